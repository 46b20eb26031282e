"""The counter's 好差评 (一事一评价): a citizen rates the registration of a case, on the
citizen-facing second screen at the counter (评价器), or on paper or by phone and the clerk enters it.

A rating is stored with its case, the clerk who registered the case and the case's center
(``service_rating``). At most one rating per case and channel: the screen's rating is given once at
the counter, a paper form or a call once each; a second one of the same channel is refused (say
which, when, and how it was rated). A bad rating (不满意, 非常不满意) names at least one reason.

The figures of a month (docs/ratings.md): per center and per clerk, the ratings given in the month
(``rated_at``), the share 满意及以上 = (非常满意 + 满意 + 基本满意) ÷ rated, and the 差评 count
(不满意 + 非常不满意).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import (
    BadRatingReason,
    CaseEvent,
    DisputeCase,
    EventKind,
    RatingChannel,
    RatingLevel,
    Role,
    ServiceRating,
    User,
    now,
)
from ..readmodels.ratings import BAD, GOOD, SHARE_FORMULA, RatingFacts, RatingFigure, RatingFigures
from . import audit, permissions, statistics
from .actor import Actor
from .errors import InvalidInput

#: Who records a rating: the counter (and the head, who may enter a paper one).
RECORDERS = frozenset({Role.INTAKE, Role.HEAD, Role.MEDIATOR})
#: Who reads the figures: those who read the center's figures.
FIGURE_READERS = frozenset({Role.HEAD, Role.ADMIN})
COMMENT_LIMIT = 500


def _level(value: str | RatingLevel) -> RatingLevel:
    try:
        return RatingLevel(value)
    except ValueError:
        try:
            return RatingLevel.from_label(str(value))  # type: ignore[return-value]
        except ValueError:
            names = "、".join(level.label for level in RatingLevel)
            raise InvalidInput("rating", f"评价等级“{value}”不存在，应为{names}之一。") from None


def _channel(value: str | RatingChannel) -> RatingChannel:
    try:
        return RatingChannel(value)
    except ValueError:
        names = "、".join(c.label for c in RatingChannel)
        raise InvalidInput("channel", f"评价渠道“{value}”不存在，应为{names}之一。") from None


def _reasons(level: RatingLevel, reasons: Iterable[str | BadRatingReason], comment: str) -> list[str]:
    chosen: list[str] = []
    for reason in reasons:
        try:
            code = BadRatingReason(reason).value
        except ValueError:
            raise InvalidInput("reasons", f"不满意原因“{reason}”不存在。") from None
        if code not in chosen:
            chosen.append(code)
    if level in BAD and not chosen:
        raise InvalidInput("reasons", f"评价为“{level.label}”时请至少选择一项不满意的原因。")
    if level not in BAD and chosen:
        raise InvalidInput("reasons", f"评价为“{level.label}”时不选不满意原因。")
    if BadRatingReason.OTHER.value in chosen and not comment.strip():
        raise InvalidInput("comment", "选择了“其他”原因，请在补充说明中写明。")
    return chosen


def record(session: Session, actor: Actor, case_id: int, rating: str | RatingLevel, *,
           channel: str | RatingChannel, reasons: Iterable[str | BadRatingReason] = (), comment: str = "",
           at: datetime | None = None) -> RatingFacts:
    """Store the citizen's rating of the registration of ``case_id`` (validated; see the module)."""
    level = _level(rating)
    way = _channel(channel)
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("comment", f"补充说明不能超过 {COMMENT_LIMIT} 字，现有 {len(comment)} 字。")
    codes = _reasons(level, reasons, comment)
    permissions.check_case_id(session, actor, case_id, "记录好差评", RECORDERS, write=True)
    moment = (at or now()).replace(microsecond=0)
    if moment > now() + timedelta(minutes=1):
        raise InvalidInput("rated_at", "评价时间不能晚于现在。")
    row = session.execute(select(DisputeCase.number, DisputeCase.registered_by_id, DisputeCase.center_id,
                                 DisputeCase.received_at).where(DisputeCase.id == case_id)).one()
    if moment.date() < row.received_at.date():
        raise InvalidInput("rated_at", f"评价时间不能早于案件登记日期 {row.received_at:%Y-%m-%d}。")
    earlier = session.scalar(select(ServiceRating).where(ServiceRating.case_id == case_id,
                                                         ServiceRating.channel == way.value))
    if earlier is not None:
        raise InvalidInput("channel", f"案件 {row.number} 已有一条{way.label}评价（{earlier.rated_at:%Y-%m-%d %H:%M} "
                                      f"“{RatingLevel(earlier.rating).label}”），同一渠道不能重复评价。")
    rated = ServiceRating(case_id=case_id, clerk_id=row.registered_by_id, center_id=row.center_id,
                          rating=level.value, reasons=codes, comment=comment, channel=way.value, rated_at=moment,
                          recorded_by_id=actor.user_id)
    session.add(rated)
    session.flush()
    labels = "、".join(BadRatingReason(c).label for c in codes)
    session.add(CaseEvent(case_id=case_id, user_id=actor.user_id, kind=EventKind.NOTE, action="service_rating",
                          note=f"好差评（{way.label}）：{level.label}" + (f"；原因：{labels}" if labels else "")))
    audit.record(session, actor, "rating.record", "service_rating", rated.id,
                 {"case_id": case_id, "rating": level.value, "channel": way.value, "reasons": codes})
    changes.note(session, Changes.cases(case_id))
    return _facts(session, [rated])[0]


def _facts(session: Session, rows: list[ServiceRating]) -> list[RatingFacts]:
    users = {u.id: u.display_name for u in session.scalars(
        select(User).where(User.id.in_({r.clerk_id for r in rows if r.clerk_id is not None})))}
    numbers = {case_id: number for case_id, number in session.execute(
        select(DisputeCase.id, DisputeCase.number).where(DisputeCase.id.in_({r.case_id for r in rows})))}
    return [RatingFacts(r.id, r.case_id, numbers.get(r.case_id, ""), r.clerk_id, users.get(r.clerk_id or 0, ""),
                        RatingLevel(r.rating), tuple(BadRatingReason(c) for c in r.reasons), r.comment,
                        RatingChannel(r.channel), r.rated_at) for r in rows]


def of_case(session: Session, actor: Actor, case_id: int) -> list[RatingFacts]:
    """The ratings of a case, oldest first."""
    permissions.check_case_id(session, actor, case_id)
    rows = list(session.scalars(select(ServiceRating).where(ServiceRating.case_id == case_id)
                                .order_by(ServiceRating.rated_at, ServiceRating.id)))
    return _facts(session, rows)


def _figure(name: str, counts: dict[RatingLevel, int]) -> RatingFigure:
    by_level = {level: counts.get(level, 0) for level in RatingLevel}
    return RatingFigure(name, sum(by_level.values()), sum(n for x, n in by_level.items() if x in GOOD),
                        sum(n for x, n in by_level.items() if x in BAD), by_level)


def figures(session: Session, actor: Actor, start: date, end: date, *,
            center_id: int | None = None) -> RatingFigures | None:
    """The ratings given in ``start`` … ``end`` (both included) at the centers the actor's figures
    count, per clerk and in all; None where the actor reads no case rows."""
    permissions.require_role(actor, FIGURE_READERS, "查看好差评统计")
    if permissions.case_rows_hidden(session, actor):
        return None
    centers = statistics.counted_centers(actor, center_id)
    visible = true() if centers is None else ServiceRating.center_id.in_(sorted(centers))
    low, high = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    # Counted by the database (a county's year holds hundreds of thousands of ratings), per clerk and level.
    rows = session.execute(
        select(ServiceRating.clerk_id, User.display_name, ServiceRating.rating, func.count())
        .outerjoin(User, User.id == ServiceRating.clerk_id)
        .where(ServiceRating.rated_at >= low, ServiceRating.rated_at < high, visible)
        .group_by(ServiceRating.clerk_id, User.display_name, ServiceRating.rating)).all()
    per_clerk: dict[tuple[str, int], dict[RatingLevel, int]] = {}
    total: dict[RatingLevel, int] = {}
    for clerk_id, name, rating, n in rows:
        level = RatingLevel(rating)
        counts = per_clerk.setdefault((name or "（未记登记人）", clerk_id or 0), {})
        counts[level] = counts.get(level, 0) + int(n)
        total[level] = total.get(level, 0) + int(n)
    clerks = tuple(_figure(name, counts) for (name, _), counts in sorted(per_clerk.items()))
    return RatingFigures(start, end, _figure("合计", total), clerks)


__all__ = ["BAD", "FIGURE_READERS", "GOOD", "RECORDERS", "SHARE_FORMULA", "RatingFacts", "RatingFigure",
           "RatingFigures", "figures", "of_case", "record"]
