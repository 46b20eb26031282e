"""The counter's 好差评 as plain data: one rating, and the figures of a period per clerk
(services/ratings.py counts them; the dashboard and the monthly report show them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..models import BadRatingReason, RatingChannel, RatingLevel

GOOD = frozenset({RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.FAIRLY})
BAD = frozenset({RatingLevel.UNSATISFIED, RatingLevel.VERY_UNSATISFIED})
SHARE_FORMULA = "满意及以上比例 = （非常满意 + 满意 + 基本满意）÷ 评价数；差评 = 不满意 + 非常不满意"


@dataclass(frozen=True)
class RatingFacts:
    """One stored rating as the screens show it."""

    id: int
    case_id: int
    case_number: str
    clerk_id: int | None
    clerk_name: str
    rating: RatingLevel
    reasons: tuple[BadRatingReason, ...]
    comment: str
    channel: RatingChannel
    rated_at: datetime


@dataclass(frozen=True)
class RatingFigure:
    """The ratings of one clerk (or of the whole center) in a period."""

    name: str
    rated: int
    good: int
    bad: int
    by_level: dict[RatingLevel, int]

    @property
    def share(self) -> float | None:
        return None if not self.rated else self.good / self.rated

    def share_text(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%"


@dataclass(frozen=True)
class RatingFigures:
    start: date
    end: date
    total: RatingFigure
    clerks: tuple[RatingFigure, ...]


def rating_rows(figures: RatingFigures) -> list[list[str]]:
    """The report's 好差评 block: a header, one row per clerk, then the center's total."""
    rows = [["登记人", "评价数", *(level.label for level in RatingLevel), "满意及以上比例", "差评"]]
    for figure in (*figures.clerks, figures.total):
        rows.append([figure.name, str(figure.rated), *(str(figure.by_level[level]) for level in RatingLevel),
                     figure.share_text(), str(figure.bad)])
    return rows
