"""The monthly publicity list (公示) as plain data: its month, sections, columns and rows.

``services.publicity`` builds the rows (names already masked) and the printable list; the
publicity document prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

#: The two sections of the list, and their printed titles.
ACCEPTED = "受理"
CLOSED = "结案"
SECTION_TITLES = {ACCEPTED: "本月受理案件", CLOSED: "本月办结案件"}


#: The columns of a row, in print order, with their printed titles (``case_id`` is not printed).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "案号"),
    ("dispute_type", "纠纷类型"),
    ("accepted_on", "受理日期"),
    ("applicants", "申请人"),
    ("respondents", "被申请人"),
    ("team", "调解团队"),
    ("status", "办理状态/结果"),
    ("closed_on", "结案日期"),
)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int
    #: Whose publicity board: the cases of this center only (docs/centers.md); None: every case
    #: (a database of one center, the maintenance actor). Not part of the month's identity.
    center_id: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """``2026-10``: how the month is stored and typed on the command line."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1)

    @property
    def end(self) -> datetime:
        """The first moment after the month."""
        return datetime(self.year + 1, 1, 1) if self.month == 12 else datetime(self.year, self.month + 1, 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


@dataclass(frozen=True)
class PublicityRow:
    """One line of the list; every field is the printed text."""

    case_id: int
    section: str
    number: str
    dispute_type: str
    accepted_on: str
    applicants: str
    respondents: str
    team: str
    status: str
    closed_on: str

    def as_dict(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> PublicityRow:
        values: dict[str, Any] = {f.name: str(data.get(f.name, "")) for f in fields(cls)}
        values["case_id"] = int(values["case_id"] or 0)
        return cls(**values)

    def cell(self, column: str) -> str:
        return str(getattr(self, column))


@dataclass(frozen=True)
class Approval:
    month: str
    snapshot_id: int
    approved_at: datetime
    approved_by: str
    sha256: str
    case_count: int


@dataclass(frozen=True)
class ChangedCase:
    case_id: int
    number: str
    #: "changed", "added" (now on the list, was not approved) or "removed" (approved, now off it).
    change: str

    @property
    def label(self) -> str:
        return {"changed": "内容有变动", "added": "新列入", "removed": "已不在名单中"}[self.change]


@dataclass(frozen=True)
class PrintableList:
    """What the publicity PDF prints."""

    center_name: str
    month: Month
    rows: tuple[PublicityRow, ...]
    #: None: a preview of a list nobody approved (the PDF says 未审核 in its header).
    approval: Approval | None
    #: The date printed above the signature: the approval day, or today for a preview.
    dated: date
    #: Cases changed since approval (the snapshot is printed all the same).
    changes: tuple[ChangedCase, ...] = ()

    @property
    def approved(self) -> bool:
        return self.approval is not None


#: Why a month's publicity list and the month's statistical report count differently, printed on
#: both so that neither reads as a mistake of the other.
COUNT_DEFINITIONS = ("公示名单与月度统计报表口径不同：公示名单“本月受理”按受理日期计"
                     "（不含不予受理和仅登记待受理的案件），"
                     "“本月办结”按结案审核通过日期计；统计报表“收案数”按登记日期计（含不予受理），"
                     "“办理结果”按调解成功、调解不成、撤回、分流、不予受理的办结日期计。同一月份两者件数可能不一致。")


@dataclass(frozen=True)
class Feedback:
    """How the public gives feedback on the list: the center's address, phone and mailbox (blank:
    not set)."""

    address: str = ""
    phone: str = ""
    email: str = ""

    @property
    def empty(self) -> bool:
        return not (self.address.strip() or self.phone.strip() or self.email.strip())


@dataclass(frozen=True)
class PublicPage:
    """What the monthly public web page shows: an approved list (never a preview) and where to
    give feedback."""

    listing: PrintableList
    feedback: Feedback
