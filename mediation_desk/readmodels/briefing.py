"""The monthly risk briefing (风险研判), as plain data (docs/briefing.md).

``services.briefing`` counts it; ``documents.briefing`` prints it for the monthly meeting. Every
number carries the :class:`CaseFilter` of exactly the cases behind it (a figure of the dashboard's
statistics where one fits, else the listed case ids), so the case list opened from a number holds
the cases counted. The risk grades are proposed by the rules of :data:`GRADE_RULES`; a grade the
head set differently is shown beside the proposed one with its reason, never in its place.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from itertools import accumulate
from typing import overload

from ..models import RiskLevel
from .caselist import CaseFilter

TITLE = "矛盾纠纷风险研判报告"

#: The rules' thresholds (docs/briefing.md "The grades").
RED_PEOPLE = 101  # more than 100 people involved
ORANGE_PEOPLE = 50
ORANGE_REPEATS = 3  # the same party in at least this many cases within the window
REPEAT_LEAST = 2  # a repeat party or place: at least this many cases within the window
WINDOW_DAYS = 90  # the window ends on the month's last day and holds this many days

#: The grades from the most to the least urgent.
GRADE_ORDER = (RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE)


class Reason(StrEnum):
    """Why a case is listed; each reason proposes a grade (:data:`GRADE_RULES`)."""

    CRIMINAL = "criminal"
    PEOPLE_OVER_100 = "people_over_100"
    PEOPLE_50 = "people_50"
    PARTY_3 = "party_3"
    PETITION = "petition"
    MAJOR = "major"
    GROUP = "group"
    REPEAT_PARTY = "repeat_party"
    REPEAT_PLACE = "repeat_place"
    OVERDUE = "overdue"
    CARDED = "carded"


#: Each reason, its grade and its words (the rule as the meeting's paper and docs/briefing.md state it).
GRADE_RULES: dict[Reason, tuple[RiskLevel, str]] = {
    Reason.CRIMINAL: (RiskLevel.RED, "标记可能民转刑"),
    Reason.PEOPLE_OVER_100: (RiskLevel.RED, f"涉及{RED_PEOPLE}人以上"),
    Reason.PEOPLE_50: (RiskLevel.ORANGE, f"涉及{ORANGE_PEOPLE}人以上"),
    Reason.PARTY_3: (RiskLevel.ORANGE, f"同一当事人{WINDOW_DAYS}日内{ORANGE_REPEATS}件以上"),
    Reason.PETITION: (RiskLevel.ORANGE, "标记可能引发群体性上访"),
    Reason.MAJOR: (RiskLevel.ORANGE, "重大矛盾纠纷"),
    Reason.GROUP: (RiskLevel.YELLOW, "群体性纠纷"),
    Reason.REPEAT_PARTY: (RiskLevel.YELLOW, f"同一当事人{WINDOW_DAYS}日内{REPEAT_LEAST}件"),
    Reason.REPEAT_PLACE: (RiskLevel.YELLOW, f"同一地点{WINDOW_DAYS}日内{REPEAT_LEAST}件以上"),
    Reason.OVERDUE: (RiskLevel.BLUE, "超期未办结"),
    Reason.CARDED: (RiskLevel.BLUE, "本月被亮黄牌或红牌"),
}


def proposed_grade(reasons: frozenset[Reason] | set[Reason]) -> RiskLevel:
    """The most urgent grade any of ``reasons`` proposes (蓝 for a case listed for none of the higher)."""
    grades = {GRADE_RULES[r][0] for r in reasons}
    return next((g for g in GRADE_ORDER if g in grades), RiskLevel.BLUE)


class SpotKind(StrEnum):
    CENTER = "center"
    VILLAGE = "village"
    GRID = "grid"
    TYPE = "type"


SPOT_TITLES = {SpotKind.CENTER: "按中心（乡镇）", SpotKind.VILLAGE: "按村（社区）", SpotKind.GRID: "按网格",
               SpotKind.TYPE: "按纠纷类型"}


@dataclass(frozen=True)
class Count:
    """One number and the filter of exactly the cases behind it."""

    value: int
    filter: CaseFilter


@dataclass(frozen=True)
class Spot:
    """A hot spot: the cases received in the month and in the month before at one place or type."""

    kind: SpotKind
    name: str
    this: Count
    last: Count

    @property
    def change(self) -> int:
        return self.this.value - self.last.value

    @property
    def change_text(self) -> str:
        return f"{self.change:+d}" if self.change else "0"


@dataclass(frozen=True)
class Repeat:
    """A party or a place in at least :data:`REPEAT_LEAST` cases within the window."""

    label: str  # the party's name and masked ID number, or the address
    cases: Count
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class GradedCase:
    case_id: int
    number: str
    title: str
    center_name: str
    people: int
    reasons: tuple[Reason, ...]
    proposed: RiskLevel
    #: The head's grade where it differs from the proposed one, with the reason and who set it.
    adjusted: RiskLevel | None = None
    adjust_reason: str = ""
    adjusted_by: str = ""

    @property
    def grade(self) -> RiskLevel:
        return self.adjusted or self.proposed

    @property
    def reason_text(self) -> str:
        return "；".join(GRADE_RULES[r][1] for r in self.reasons)

    @property
    def grade_text(self) -> str:
        if self.adjusted is None:
            return self.proposed.label
        return f"{self.proposed.label}→{self.adjusted.label}"


#: One case of :class:`GradedCases` as kept: (case id, number, title, center name, people, the index
#: of its (reasons, proposed grade) in the list's table, the head's grade as an index of
#: :data:`GRADE_ORDER` or -1, the head's reason, who set it). Ints and texts only.
GradedRow = tuple[int, str, str, str, int, int, int, str, str]
#: Where :data:`GradedRow`'s int and text values are (kept by :class:`GradedCases` as arrays and texts).
_INT_COLUMNS = (0, 4, 5, 6)
_TEXT_COLUMNS = (1, 2, 3, 7, 8)


class GradedCases(Sequence[GradedCase]):
    """The graded list as a sequence of :class:`GradedCase`, kept as columns of plain values and made
    into a :class:`GradedCase` only when one is asked for.

    The county head's list holds ~122,000 cases on the 1M demo. As 124,000 ``GradedCase`` objects
    (each with its attribute dict) every pass of Python's cyclic collector walked them while the
    briefing was made and for as long as it was shown: ~1 s of the head's ~4 s CPU, passes of up to
    0.2 s holding Python's lock (the GUI thread waits meanwhile). As rows (a tuple of ints and texts
    a case) each row was still examined by the first pass after it was made — 122,000 objects, ~70
    ms of the GUI thread's CPU in one pass when the app's collector leaves the briefing's read alone
    (``ui.common.gui_collector.plain_data``). Kept as columns — the ints in arrays, each text column as
    one text and the rows' ends — no pass examines any of it. Equal to any sequence of the same
    ``GradedCase`` s (a tuple of them included); pickled as its rows."""

    __slots__ = ("_ints", "_rules", "_texts")

    def __init__(self, rows: Iterable[GradedRow], rules: tuple[tuple[tuple[Reason, ...], RiskLevel], ...]) -> None:
        columns = tuple(zip(*rows, strict=True)) or ((),) * 9
        #: The int columns (case id, people, rule, the head's grade) as arrays and the text columns
        #: (number, title, center name, the head's reason, who) each as one text with the rows' ends:
        #: objects the collector never examines (tuples of them it examined entry by entry).
        self._ints: tuple[array[int], ...] = tuple(array("q", columns[i]) for i in _INT_COLUMNS)
        self._texts: tuple[tuple[str, array[int]], ...] = tuple(
            ("".join(columns[i]), array("q", accumulate(map(len, columns[i])))) for i in _TEXT_COLUMNS)
        self._rules = rules

    @classmethod
    def of(cls, cases: Iterable[GradedCase]) -> GradedCases:
        """The list of these cases, in this order."""
        index: dict[tuple[tuple[Reason, ...], RiskLevel], int] = {}
        rows: list[GradedRow] = []
        for c in cases:
            rule = index.setdefault((c.reasons, c.proposed), len(index))
            adjusted = GRADE_ORDER.index(c.adjusted) if c.adjusted is not None else -1
            rows.append((c.case_id, c.number, c.title, c.center_name, c.people, rule, adjusted, c.adjust_reason,
                         c.adjusted_by))
        return cls(rows, tuple(index))

    def _made(self, case_id: int, number: str, title: str, center_name: str, people: int, rule: int, adjusted: int,
              why: str, who: str) -> GradedCase:
        reasons, proposed = self._rules[rule]
        return GradedCase(case_id, number, title, center_name, people, reasons, proposed,
                          GRADE_ORDER[adjusted] if adjusted >= 0 else None, why, who)

    def _texts_of(self, column: int, first: int, last: int) -> list[str]:
        """The texts of rows ``first`` … ``last - 1`` of a text column."""
        text, ends = self._texts[column]
        if last <= first:
            return []
        starts = ends[first - 1:last - 1] if first else [0, *ends[:last - 1]]
        return [text[a:b] for a, b in zip(starts, ends[first:last], strict=True)]

    def _plain(self, first: int, last: int) -> Iterator[GradedRow]:
        """Rows ``first`` … ``last - 1`` as plain values (:data:`GradedRow`)."""
        case_ids, people, rules, adjusted = (column[first:last] for column in self._ints)
        numbers, titles, centers, whys, whos = (self._texts_of(c, first, last) for c in range(len(_TEXT_COLUMNS)))
        return zip(case_ids, numbers, titles, centers, people, rules, adjusted, whys, whos, strict=True)

    def _rows(self, first: int, last: int) -> Iterator[GradedCase]:
        """The cases of rows ``first`` … ``last - 1``."""
        return (self._made(*row) for row in self._plain(first, last))

    def __len__(self) -> int:
        return len(self._ints[0])

    @overload
    def __getitem__(self, index: int) -> GradedCase: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[GradedCase, ...]: ...

    def __getitem__(self, index: int | slice) -> GradedCase | tuple[GradedCase, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("graded list index out of range")
        return next(self._rows(index, index + 1))

    def __iter__(self) -> Iterator[GradedCase]:
        return self._rows(0, len(self))

    def case_id(self, index: int) -> int:
        """The case id of the row at ``index`` (no ``GradedCase`` made)."""
        return self._ints[0][index]

    def index_of(self, case_id: int) -> int | None:
        """The row of the case ``case_id`` (None: not listed), without making the cases."""
        try:
            return self._ints[0].index(case_id)
        except ValueError:
            return None

    def grade(self, index: int) -> RiskLevel:
        """The grade in force of the row at ``index`` (the head's where set)."""
        adjusted = self._ints[3][index]
        return GRADE_ORDER[adjusted] if adjusted >= 0 else self._rules[self._ints[2][index]][1]

    def ids_by_grade(self) -> dict[RiskLevel, frozenset[int]]:
        found: dict[RiskLevel, list[int]] = {grade: [] for grade in GRADE_ORDER}
        proposed = [GRADE_ORDER.index(grade) for _reasons, grade in self._rules]
        case_ids, _people, rules, adjusted = self._ints
        for case_id, rule, grade in zip(case_ids, rules, adjusted, strict=True):
            found[GRADE_ORDER[grade if grade >= 0 else proposed[rule]]].append(case_id)
        return {grade: frozenset(ids) for grade, ids in found.items()}

    def adjusted_count(self) -> int:
        return sum(1 for adjusted in self._ints[3] if adjusted >= 0)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GradedCases):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        if isinstance(other, tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"GradedCases({len(self)} cases)"

    def __reduce__(self) -> tuple[type[GradedCases], tuple[tuple[GradedRow, ...], tuple[tuple[tuple[Reason, ...],
                                                                                               RiskLevel], ...]]]:
        return (GradedCases, (tuple(self._plain(0, len(self))), self._rules))


@dataclass(frozen=True)
class HotlineTrend:
    this: Count
    last: Count
    #: The 三率 as text ("85.0%" or "—"), this month and last: (name, this, last).
    rates: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class BriefingOverview:
    """The briefing's first page (总体情况 but the grades' counts): made first, so the tab shows it
    while the hot spots, the repeats and the graded list are still being counted."""

    center_name: str
    month: str  # "2026-11"
    period_start: date
    period_end: date
    window_start: date
    today: date
    received: Count
    received_last: Count
    #: Group disputes received in the month by people-involved band: (band label, count).
    group_bands: tuple[tuple[str, Count], ...]
    criminal: Count
    overdue: Count
    carded: Count
    hotline: HotlineTrend
    prepared_by: str = ""

    @property
    def month_text(self) -> str:
        return f"{self.period_start.year}年{self.period_start.month}月"


@dataclass(frozen=True)
class BriefingSpots:
    """The month's hot spots (热点分布)."""

    month: str
    spots: tuple[Spot, ...]

    def spots_of(self, kind: SpotKind) -> tuple[Spot, ...]:
        return tuple(s for s in self.spots if s.kind is kind)


@dataclass(frozen=True)
class BriefingRepeats:
    """The window's repeat parties and places (重复当事人与地点)."""

    month: str
    #: The window: the :data:`WINDOW_DAYS` days ending on the month's last day, both included.
    window_start: date
    window_end: date
    parties: tuple[Repeat, ...]
    places: tuple[Repeat, ...]


@dataclass(frozen=True)
class BriefingGrades:
    """The graded list (风险分级清单) with its ids by grade and the head's adjustments counted, both
    made where the list is made (the slow lane), not by the GUI thread walking 124,000 cases."""

    month: str
    cases: GradedCases
    #: The listed cases' ids by grade in force, in :data:`GRADE_ORDER`.
    by_grade: tuple[frozenset[int], ...]
    adjusted_count: int
    #: False for the list's first part: every case above 蓝 and the first 蓝 ones (the whole list's
    #: first rows), with every grade's ids and the adjusted count already whole; the whole list follows.
    complete: bool = True

    @property
    def listed(self) -> int:
        """How many cases the whole list holds (the first part holds fewer rows)."""
        return sum(len(ids) for ids in self.by_grade)

    @classmethod
    def of(cls, month: str, cases: GradedCases) -> BriefingGrades:
        ids = cases.ids_by_grade()
        return cls(month, cases, tuple(ids[g] for g in GRADE_ORDER), cases.adjusted_count())

    @property
    def graded_ids(self) -> dict[RiskLevel, frozenset[int]]:
        return dict(zip(GRADE_ORDER, self.by_grade, strict=True))

    def grade_counts(self) -> dict[RiskLevel, int]:
        return {grade: len(ids) for grade, ids in zip(GRADE_ORDER, self.by_grade, strict=True)}


#: One part of a briefing, as ``services.briefing.parts`` makes them.
BriefingPart = BriefingOverview | BriefingSpots | BriefingRepeats | BriefingGrades


@dataclass(frozen=True)
class Briefing:
    center_name: str
    month: str  # "2026-11"
    period_start: date
    period_end: date
    window_start: date
    today: date
    received: Count
    received_last: Count
    spots: tuple[Spot, ...]
    repeat_parties: tuple[Repeat, ...]
    repeat_places: tuple[Repeat, ...]
    #: Group disputes received in the month by people-involved band: (band label, count).
    group_bands: tuple[tuple[str, Count], ...]
    criminal: Count
    overdue: Count
    carded: Count
    hotline: HotlineTrend
    cases: GradedCases
    prepared_by: str = ""

    @property
    def month_text(self) -> str:
        return f"{self.period_start.year}年{self.period_start.month}月"

    def spots_of(self, kind: SpotKind) -> tuple[Spot, ...]:
        return tuple(s for s in self.spots if s.kind is kind)

    @cached_property
    def graded_ids(self) -> dict[RiskLevel, frozenset[int]]:
        """The listed cases' ids by grade (the head's where set), worked out once: the county's
        list holds 280,000 cases, so the tab has them made on the slow lane, not the GUI thread."""
        return self.cases.ids_by_grade()

    @cached_property
    def adjusted_count(self) -> int:
        """How many listed cases carry the head's grade."""
        return self.cases.adjusted_count()

    def grade_counts(self) -> dict[RiskLevel, int]:
        return {grade: len(ids) for grade, ids in self.graded_ids.items()}

    @classmethod
    def of(cls, overview: BriefingOverview, spots: BriefingSpots, repeats: BriefingRepeats,
           grades: BriefingGrades) -> Briefing:
        """The whole briefing of its four parts (of one month), the ids by grade and the adjusted
        count taken as the grades' part made them."""
        months = {overview.month, spots.month, repeats.month, grades.month}
        if len(months) != 1:
            raise ValueError(f"the parts of a briefing are of one month, not {sorted(months)}")
        made = cls(
            center_name=overview.center_name, month=overview.month, period_start=overview.period_start,
            period_end=overview.period_end, window_start=overview.window_start, today=overview.today,
            received=overview.received, received_last=overview.received_last, spots=spots.spots,
            repeat_parties=repeats.parties, repeat_places=repeats.places, group_bands=overview.group_bands,
            criminal=overview.criminal, overdue=overview.overdue, carded=overview.carded, hotline=overview.hotline,
            cases=grades.cases, prepared_by=overview.prepared_by)
        # The cached properties' values, as made with the list (a frozen dataclass keeps them in __dict__).
        made.__dict__["graded_ids"] = grades.graded_ids
        made.__dict__["adjusted_count"] = grades.adjusted_count
        return made

    @classmethod
    def made_of(cls, parts: Iterable[BriefingPart]) -> Briefing:
        """The whole briefing of its four parts, in any order."""
        overview = spots = repeats = grades = None
        for part in parts:
            if isinstance(part, BriefingOverview):
                overview = part
            elif isinstance(part, BriefingSpots):
                spots = part
            elif isinstance(part, BriefingRepeats):
                repeats = part
            elif part.complete:  # (not the graded list's first part)
                grades = part
        if overview is None or spots is None or repeats is None or grades is None:
            raise ValueError("a briefing is made of its four parts")
        return cls.of(overview, spots, repeats, grades)

    def parts(self) -> tuple[BriefingOverview, BriefingSpots, BriefingRepeats, BriefingGrades]:
        """The briefing as the four parts :meth:`of` is made of."""
        overview = BriefingOverview(
            center_name=self.center_name, month=self.month, period_start=self.period_start,
            period_end=self.period_end, window_start=self.window_start, today=self.today, received=self.received,
            received_last=self.received_last, group_bands=self.group_bands, criminal=self.criminal,
            overdue=self.overdue, carded=self.carded, hotline=self.hotline, prepared_by=self.prepared_by)
        graded = self.graded_ids
        grades = BriefingGrades(self.month, self.cases, tuple(graded[g] for g in GRADE_ORDER), self.adjusted_count)
        return (overview, BriefingSpots(self.month, self.spots),
                BriefingRepeats(self.month, self.window_start, self.period_end, self.repeat_parties,
                                self.repeat_places), grades)


__all__ = ["GRADE_ORDER", "GRADE_RULES", "ORANGE_PEOPLE", "ORANGE_REPEATS", "RED_PEOPLE", "REPEAT_LEAST",
           "SPOT_TITLES", "TITLE", "WINDOW_DAYS", "Briefing", "BriefingGrades", "BriefingOverview", "BriefingPart",
           "BriefingRepeats", "BriefingSpots", "Count", "GradedCase", "GradedCases", "GradedRow",
           "HotlineTrend", "Reason", "Repeat", "Spot", "SpotKind", "proposed_grade"]
