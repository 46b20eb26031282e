"""What the case list shows: the filter a person (or a figure of the dashboard) sets on it.

``services.caselist`` turns a :class:`CaseFilter` into SQL; the statistics figures carry one per
bucket, so "click a number, see those cases" opens exactly the cases counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..models import CaseState

if TYPE_CHECKING:
    from .statistics import StatisticFilter


@dataclass(frozen=True)
class CaseFilter:
    states: frozenset[CaseState] = frozenset()
    dispute_type_id: int | None = None
    team_ids: frozenset[int] = frozenset()
    received_from: date | None = None
    received_to: date | None = None
    #: Exactly the cases one figure of the statistics dashboard counted (services.statistics).
    statistic: StatisticFilter | None = None
    #: Only the cases a search for this text finds (services.search); None or blank: no search.
    text: str | None = None
    #: Only the cases this mediator leads or mediates with others (a mediator's "my cases").
    mediator_id: int | None = None
    #: Only the cases of this center (a head looking at one center below theirs; docs/centers.md).
    center_id: int | None = None
    #: Only the cases of these centers (a subtotal of the table by level: a level's centers).
    center_ids: frozenset[int] | None = None
    #: Only these cases (a figure of the risk briefing whose cases are listed by id: docs/briefing.md).
    case_ids: frozenset[int] | None = None

    @property
    def searching(self) -> bool:
        return bool(self.text and self.text.strip())
