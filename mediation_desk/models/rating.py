"""The counter's 好差评 (一事一评价): the citizen's rating of a registration, given on the
citizen-facing second screen at the counter (评价器), or on paper or by phone and entered by the
clerk afterwards. Stored with the case and the clerk who registered it (services/ratings.py,
docs/ratings.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now
from .enums import LabelledEnum
from .org import ROOT_CENTER


class RatingLevel(LabelledEnum):
    """The five levels of the 好差评, best first."""

    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    VERY_UNSATISFIED = "very_unsatisfied", "非常不满意"


class RatingChannel(LabelledEnum):
    """How the rating reached the center."""

    SCREEN = "screen", "评价器"
    PAPER = "paper", "纸质"
    PHONE = "phone", "电话"


class BadRatingReason(LabelledEnum):
    """What a citizen may tick for a 不满意 or 非常不满意 rating."""

    WAITING = "waiting", "等候时间长"
    ATTITUDE = "attitude", "服务态度不好"
    EXPLANATION = "explanation", "政策解释不清楚"
    PROCEDURE = "procedure", "手续繁琐、材料多"
    NOT_ACCEPTED = "not_accepted", "诉求没有被受理"
    OTHER = "other", "其他"


class ServiceRating(Base):
    """One rating of one case's registration through one channel (at most one per channel)."""

    __tablename__ = "service_rating"
    __table_args__ = (
        UniqueConstraint("case_id", "channel", name="uq_service_rating_case_id_channel"),
        # The month's figures read the ratings of a period by center and clerk.
        Index("ix_service_rating_center_rated", "center_id", "rated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"))
    #: The clerk rated: the one who registered the case at the counter.
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), default=ROOT_CENTER)
    rating: Mapped[str] = mapped_column(String(20))
    #: The reason codes ticked (BadRatingReason values), only for a bad rating.
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10))
    rated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    #: Who recorded it: the clerk at whose counter the screen stands, or who typed the paper/phone one.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
