"""The monthly publicity list (公示): the cases the center accepted and closed in a month, names
masked, for the public to supervise (DESIGN.md §3).

The list has two parts, each a run of rows of one shape: 一、本月受理 (accepted in the month)
and 二、本月办结 (closed in the month); a case accepted and closed in the same month appears in
both, as it would on a notice board. A row carries the case number, the dispute type, the
acceptance date, the applicants and respondents masked (``masking.mask_party_names`` over all of
the case's parties, so two people of one surname are 某甲 / 某乙), the team, the state at the end
of the month (or the result of a closed case) and the closing date. Nothing else about a case is
ever read into a row: no title (it often holds names), address, ID number, phone, amount or
agreement term. Family cases (a dispute type marked private, 婚姻家庭 by default) and cases with
a minor among the parties print :data:`WITHHELD` instead of any name.

The head approves a month: the rows are kept as a :class:`PublicitySnapshot` with a SHA-256 of
their canonical JSON and, per case, a fingerprint of exactly the data its rows are made from.
An approved month always prints its snapshot (the same content every time, the hash checked
before each print); a case whose fingerprint no longer matches, or that joined or left the list
since, is reported by :func:`changed_since_approval` for re-approval.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from ..models import (
    CaseEvent,
    CaseState,
    Center,
    DisputeCase,
    DisputeType,
    EventKind,
    Party,
    PartyKind,
    PartyRole,
    PublicitySnapshot,
    Role,
    Team,
    User,
    now,
)
from ..readmodels import masking, minors
from ..readmodels.publicity import (
    ACCEPTED,
    CLOSED,
    Approval,
    ChangedCase,
    Feedback,
    Month,
    PrintableList,
    PublicityRow,
    PublicPage,
)
from ..settings import CENTER_NAME, PUBLICITY_NAME_STYLE
from . import audit, center
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied

#: Printed instead of the parties of a family or minor's case.
WITHHELD = "（依法不公开）"
#: More names than this in one cell print as "张某、李某等 N 人" (a group dispute).
MAX_NAMES = 5


_RESULT_TEXT = {
    CaseState.SUCCEEDED: "调解成功",
    CaseState.FAILED: "调解不成",
    CaseState.TRANSFERRED: "调解不成，已移送",
    CaseState.WITHDRAWN: "撤回",
    CaseState.DIVERTED: "分流",
}
_OPEN_TEXT = {
    CaseState.REGISTERED: "登记",
    CaseState.ACCEPTED: "已受理",
    CaseState.ASSIGNED: "已分派",
    CaseState.IN_MEDIATION: "调解中",
    CaseState.CLOSURE_REVIEW: "结案审核中",
    CaseState.REJECTED: "不予受理",
    **_RESULT_TEXT,
}
_MAY_PRINT = frozenset({Role.HEAD, Role.ADMIN})
_CHUNK = 500


# --------------------------------------------------------------------------- month


_MONTH = re.compile(r"^\s*([0-9]{4})\s*(?:[-/.年])\s*([0-9]{1,2})\s*月?\s*$")


def parse_month(text: str | Month) -> Month:
    """``2026-10`` (also ``2026/10``, ``2026年10月``) as a :class:`Month`; anything else is refused
    with a message for the field ``month``."""
    if isinstance(text, Month):
        return text
    found = _MONTH.match(text or "")
    if found is None:
        raise InvalidInput("month", f"月份“{text}”格式不对，请写作“年-月”，如 2026-10。")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        raise InvalidInput("month", f"月份“{text}”不存在：月应在 1 至 12 之间。")
    if not 2000 <= year <= 2099:
        raise InvalidInput("month", f"月份“{text}”的年份应在 2000 至 2099 之间。")
    return Month(year, month)


def last_month(today: date | None = None) -> Month:
    """The month a head usually publishes: the one that just ended."""
    day = today or now().date()
    return Month(day.year, day.month).previous()


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class _CaseFacts:
    """Everything a case's rows are made of, and nothing more (its fingerprint is over this)."""

    case_id: int
    number: str
    dispute_type: str
    private_type: bool
    accepted_at: datetime | None
    closed_at: datetime | None
    team: str
    state_at_end: CaseState
    outcome: CaseState | None
    sections: tuple[str, ...]
    style: str
    parties: tuple[tuple[int, str, str, str, bool], ...]  # (seq, role, kind, name, is_minor)

    def fingerprint(self) -> str:
        payload = [
            self.number, self.dispute_type, self.private_type, _iso(self.accepted_at), _iso(self.closed_at),
            self.team, str(self.state_at_end), str(self.outcome or ""), list(self.sections), self.style,
            [list(p) for p in self.parties],
        ]
        return _sha256(payload)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(sep=" ") if moment is not None else ""


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment is not None else ""


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _sha256(data: Any) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


def rows_digest(rows: Sequence[PublicityRow] | Sequence[dict[str, str]]) -> str:
    """The SHA-256 of the rows' canonical JSON (keys sorted, no spaces, UTF-8)."""
    return _sha256([r.as_dict() if isinstance(r, PublicityRow) else r for r in rows])


def name_style(session: Session) -> str:
    """How a given name is replaced on the list, "某" (张某) or "某某" (张某某): the center's setting."""
    style = center.get(session, PUBLICITY_NAME_STYLE)
    return style if style in masking.STYLES else PUBLICITY_NAME_STYLE.default


def _names(names: Sequence[str]) -> str:
    shown = [n for n in names if n]
    if len(shown) > MAX_NAMES:
        return "、".join(shown[:MAX_NAMES]) + f"等 {len(shown)} 人"
    return "、".join(shown)


def _status(state: CaseState, outcome: CaseState | None) -> str:
    if state is CaseState.CLOSED:
        return _RESULT_TEXT.get(outcome, "结案") if outcome is not None else "结案"
    return _OPEN_TEXT.get(state, state.label)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _of_center(month: Month) -> ColumnElement[bool]:
    """The cases of the month's center (each center publishes its own; docs/centers.md)."""
    return true() if month.center_id is None else DisputeCase.center_id == month.center_id


def for_actor(month: Month, actor: Actor) -> Month:
    """The month on the board of the actor's own center."""
    return month if month.center_id is not None or actor.center_id is None else replace(
        month, center_id=actor.center_id)


def _listed_case_ids(session: Session, month: Month) -> tuple[list[int], list[int]]:
    """The month's cases accepted, and closed, in the list's order: each read from its index alone
    (migration 0056; a county's month is ~95,000 ids at a million cases)."""
    connection = session.connection()
    accepted = list(connection.execute(
        select(DisputeCase.id)
        .where(DisputeCase.accepted_at >= month.start, DisputeCase.accepted_at < month.end, _of_center(month))
        .order_by(DisputeCase.accepted_at, DisputeCase.id)
    ).scalars())
    closed = list(connection.execute(
        select(DisputeCase.id)
        .where(DisputeCase.state == CaseState.CLOSED, DisputeCase.closed_at >= month.start,
               DisputeCase.closed_at < month.end, _of_center(month))
        .order_by(DisputeCase.closed_at, DisputeCase.id)
    ).scalars())
    return accepted, closed


@dataclass(frozen=True)
class _Born:
    """A party's birth date and ID number, as ``minors.is_minor`` reads them."""

    birth_date: date | None
    id_number: str


def _sections(accepted: Sequence[int], closed: Sequence[int]) -> dict[int, list[str]]:
    sections: dict[int, list[str]] = {}
    for case_id in accepted:
        sections.setdefault(case_id, []).append(ACCEPTED)
    for case_id in closed:
        sections.setdefault(case_id, []).append(CLOSED)
    return sections


def _facts(session: Session, month: Month, only: Sequence[int] | None = None,
           listed: Listing | None = None) -> tuple[list[int], list[int], dict[int, _CaseFacts]]:
    """The month's listed cases and the facts of each (of the cases ``only``, when given)."""
    if listed is None:
        accepted, closed = _listed_case_ids(session, month)
        sections = _sections(accepted, closed)
    else:
        accepted, closed = list(listed.accepted), list(listed.closed)
        wanted = set(only) if only is not None else set(accepted) | set(closed)
        sections = {case_id: listed.sections_of(case_id) for case_id in wanted}
    ids = sorted(set(only) if only is not None else sections)
    style = name_style(session)
    facts: dict[int, _CaseFacts] = {}
    for chunk in _chunks(ids):
        cases = session.execute(
            select(DisputeCase.id, DisputeCase.number, DisputeType.name, DisputeType.is_private,
                   DisputeCase.accepted_at, DisputeCase.closed_at, Team.name, DisputeCase.state)
            .join(DisputeType, DisputeType.id == DisputeCase.dispute_type_id)
            .outerjoin(Team, Team.id == DisputeCase.team_id)
            .where(DisputeCase.id.in_(chunk))
        ).all()
        # A minor's case is one with a party under eighteen when the case was accepted (by the ID's
        # birth date, else the recorded one, else the registration's tick): their names are never
        # published, even after they come of age.
        minor_on = {case_id: (accepted_at or received_at).date() for case_id, accepted_at, received_at in
                    session.execute(select(DisputeCase.id, DisputeCase.accepted_at, DisputeCase.received_at)
                                    .where(DisputeCase.id.in_(chunk)))}
        parties: dict[int, list[tuple[int, str, str, str, bool]]] = {}
        for p in session.execute(
            select(Party.case_id, Party.seq, Party.role, Party.kind, Party.name, Party.is_minor, Party.id,
                   Party.birth_date, Party.id_number)
            .where(Party.case_id.in_(chunk)).order_by(Party.case_id, Party.seq, Party.id)
        ):
            minor = minors.is_minor(_Born(p[7], p[8] or ""), minor_on[p[0]], is_person=p[3] is PartyKind.PERSON,
                                    ticked=bool(p[5]))
            parties.setdefault(p[0], []).append((p[1], str(p[2]), str(p[3]), p[4], minor))
        # The state at the end of the month (a list for October printed in November shows October),
        # and the outcome of the last round of mediation before then (as services.dossier.outcome).
        state_at_end: dict[int, CaseState] = {}
        outcome: dict[int, CaseState | None] = {}
        for case_id, to_state in session.execute(
            select(CaseEvent.case_id, CaseEvent.to_state)
            .where(CaseEvent.case_id.in_(chunk), CaseEvent.at < month.end, CaseEvent.to_state.is_not(None),
                   CaseEvent.kind.in_((EventKind.TRANSITION, EventKind.REGISTERED)))
            .order_by(CaseEvent.case_id, CaseEvent.at, CaseEvent.id)
        ):
            if to_state is None:
                continue
            state_at_end[case_id] = to_state
            if to_state in _RESULT_TEXT:
                outcome[case_id] = to_state
            elif to_state is CaseState.IN_MEDIATION:
                outcome[case_id] = None
        for case_id, number, type_name, private, accepted_at, closed_on, team, state in cases:
            closed_at = closed_on if closed_on is not None and closed_on < month.end else None
            if closed_at is not None and state is CaseState.CLOSED:
                at_end = CaseState.CLOSED
            else:
                at_end = state_at_end.get(case_id, state)
            facts[case_id] = _CaseFacts(
                case_id=case_id, number=number, dispute_type=type_name, private_type=bool(private),
                accepted_at=accepted_at, closed_at=closed_at, team=team or "", state_at_end=at_end,
                outcome=outcome.get(case_id), sections=tuple(sections[case_id]), style=style,
                parties=tuple(parties.get(case_id, ())),
            )
    return accepted, closed, facts


def _row(facts: _CaseFacts, section: str) -> PublicityRow:
    withheld = facts.private_type or any(p[4] for p in facts.parties)
    if withheld:
        applicants = respondents = WITHHELD
    else:
        shown = masking.mask_party_names([(p[3], PartyKind(p[2])) for p in facts.parties], style=facts.style)
        by_role: dict[str, list[str]] = {}
        for party, name in zip(facts.parties, shown, strict=True):
            by_role.setdefault(party[1], []).append(name)
        applicants = _names(by_role.get(PartyRole.APPLICANT.value, []))
        respondents = _names(by_role.get(PartyRole.RESPONDENT.value, []))
        third = _names(by_role.get(PartyRole.THIRD_PARTY.value, []))
        if third:
            respondents = f"{respondents}；第三人：{third}" if respondents else f"第三人：{third}"
    return PublicityRow(
        case_id=facts.case_id, section=section, number=facts.number, dispute_type=facts.dispute_type,
        accepted_on=_day(facts.accepted_at), applicants=applicants, respondents=respondents,
        team=facts.team or "—", status=_status(facts.state_at_end, facts.outcome),
        closed_on=_day(facts.closed_at),
    )


def _build(session: Session, month: Month) -> tuple[list[PublicityRow], dict[str, str]]:
    accepted, closed, facts = _facts(session, month)
    rows = [_row(facts[i], ACCEPTED) for i in accepted] + [_row(facts[i], CLOSED) for i in closed]
    return rows, {str(case_id): f.fingerprint() for case_id, f in facts.items()}


#: The rows of the publicity table read first and painted at once (a screenful many times over) …
FIRST_ROWS = 300
#: … and those read at once after them, read after read: a month of a county-sized center lists
#: tens of thousands of cases (90,000 in the million-case demo), each page about 0.2 s of work.
PAGE_ROWS = 2000


@dataclass(frozen=True)
class Listing:
    """Which cases a month lists, in the list's order (ids only: read from two index ranges)."""

    month: Month
    accepted: tuple[int, ...]
    closed: tuple[int, ...]

    @property
    def total(self) -> int:
        return len(self.accepted) + len(self.closed)

    @cached_property
    def _listed(self) -> tuple[frozenset[int], frozenset[int]]:
        return frozenset(self.accepted), frozenset(self.closed)

    def sections_of(self, case_id: int) -> list[str]:
        """The parts a case is listed in (a case accepted and closed in the month is in both).
        Asked per page: the listing lives as long as the month is shown, and a dict of a list per
        case (90,000 in the million-case demo) was that many objects more for every full pass of
        Python's collector to walk."""
        accepted, closed = self._listed
        return [part for part, ids in ((ACCEPTED, accepted), (CLOSED, closed)) if case_id in ids]

    def entries(self, offset: int, limit: int) -> list[tuple[int, str]]:
        """The rows ``offset`` … ``offset + limit - 1``: (case id, section)."""
        rows = [(i, ACCEPTED) for i in self.accepted[offset:offset + limit]]
        rest = max(0, offset - len(self.accepted))
        rows += [(i, CLOSED) for i in self.closed[rest:rest + limit - len(rows)]]
        return rows


def listing(session: Session, month: str | Month) -> Listing:
    month = parse_month(month)
    accepted, closed = _listed_case_ids(session, month)
    return Listing(month, tuple(accepted), tuple(closed))


@dataclass(frozen=True)
class RowsPage:
    """Rows ``offset`` … of a month's list, with the changes since the approval among their cases."""

    offset: int
    rows: tuple[PublicityRow, ...]
    changes: tuple[ChangedCase, ...]


def rows_page(session: Session, listed: Listing, offset: int, limit: int | None = None, *,
              approved: dict[str, str] | None = None) -> RowsPage:
    """Build only the rows ``offset`` … ``offset + limit - 1`` (:data:`PAGE_ROWS` rows by default)
    of ``listed`` and, when the month has an approval (its fingerprints: ``approved``), the cases
    among them added or changed since."""
    entries = listed.entries(offset, PAGE_ROWS if limit is None else limit)
    ids = sorted({case_id for case_id, _ in entries})
    _, _, facts = _facts(session, listed.month, ids, listed)
    rows = tuple(_row(facts[case_id], section) for case_id, section in entries)
    changes = _changed_among(facts, ids, approved) if approved is not None else ()
    return RowsPage(offset, rows, changes)


def _changed_among(facts: dict[int, _CaseFacts], ids: Sequence[int],
                   approved: dict[str, str]) -> tuple[ChangedCase, ...]:
    changes: list[ChangedCase] = []
    for case_id in ids:
        fingerprint = approved.get(str(case_id))
        if fingerprint is None:
            changes.append(ChangedCase(case_id, facts[case_id].number, "added"))
        elif fingerprint != facts[case_id].fingerprint():
            changes.append(ChangedCase(case_id, facts[case_id].number, "changed"))
    return tuple(changes)


def changes_page(session: Session, listed: Listing, offset: int, limit: int | None = None, *,
                 approved: dict[str, str]) -> tuple[ChangedCase, ...]:
    """The cases of the rows ``offset`` … ``offset + limit - 1`` of ``listed`` added or changed
    since the approval whose fingerprints are ``approved``, as :func:`rows_page` finds them, without
    building (masking) the rows: a month's changes are checked page by page in the background while
    its table reads only the rows shown."""
    entries = listed.entries(offset, PAGE_ROWS if limit is None else limit)
    ids = sorted({case_id for case_id, _ in entries})
    _, _, facts = _facts(session, listed.month, ids, listed)
    return _changed_among(facts, ids, approved)


def publicity_rows(session: Session, month: str | Month) -> list[PublicityRow]:
    """The month's list as it reads now: the accepted cases, then the closed ones."""
    return _build(session, parse_month(month))[0]


# --------------------------------------------------------------------------- approval


@dataclass(frozen=True)
class ApprovedList:
    approval: Approval
    rows: tuple[PublicityRow, ...]
    #: The stored rows still hash to the stored SHA-256.
    intact: bool


def _latest(session: Session, month: Month) -> PublicitySnapshot | None:
    center_id = month.center_id
    return session.scalars(
        select(PublicitySnapshot).where(PublicitySnapshot.month == month.key,
                                        true() if center_id is None else PublicitySnapshot.center_id == center_id)
        .order_by(PublicitySnapshot.approved_at.desc(), PublicitySnapshot.id.desc()).limit(1)
    ).first()


def _approval(session: Session, snap: PublicitySnapshot) -> Approval:
    who = ""
    if snap.approved_by_id is not None:
        who = session.scalar(select(User.display_name).where(User.id == snap.approved_by_id)) or ""
    return Approval(snap.month, snap.id, snap.approved_at, who, snap.sha256, len(snap.case_fingerprints))


def snapshot(session: Session, month: str | Month) -> ApprovedList | None:
    """The latest approved list of the month, or None if it was never approved."""
    snap = _latest(session, parse_month(month))
    if snap is None:
        return None
    rows = tuple(PublicityRow.from_dict(r) for r in snap.rows)
    return ApprovedList(_approval(session, snap), rows, rows_digest(list(snap.rows)) == snap.sha256)


def approve(session: Session, actor: Actor, month: str | Month) -> Approval:
    """The head approves the month's list as it reads now; it is kept as a snapshot."""
    if actor.role is not Role.HEAD:
        raise PermissionDenied(f"只有中心主任可以审核公示名单（当前账户：{actor.role.label}）。")
    month = for_actor(parse_month(month), actor)
    rows, fingerprints = _build(session, month)
    stored = [r.as_dict() for r in rows]
    snap = PublicitySnapshot(month=month.key, approved_at=now(), approved_by_id=actor.user_id, rows=stored,
                             sha256=rows_digest(stored), case_fingerprints=fingerprints)
    if month.center_id is not None:
        snap.center_id = month.center_id
    session.add(snap)
    session.flush()
    audit.record(session, actor, "publicity.approve", "publicity_snapshot", snap.id,
                 {"month": month.key, "sha256": snap.sha256, "rows": len(stored), "cases": len(fingerprints)})
    return _approval(session, snap)


def _changes(session: Session, snap: PublicitySnapshot, fingerprints: dict[str, str],
             numbers: dict[int, str]) -> list[ChangedCase]:
    approved: dict[str, str] = dict(snap.case_fingerprints)
    found: list[ChangedCase] = []
    for key, fingerprint in fingerprints.items():
        if key not in approved:
            found.append(ChangedCase(int(key), numbers.get(int(key), ""), "added"))
        elif approved[key] != fingerprint:
            found.append(ChangedCase(int(key), numbers.get(int(key), ""), "changed"))
    gone = [int(k) for k in approved if k not in fingerprints]
    if gone:
        approved_numbers = {int(r.get("case_id", 0) or 0): r.get("number", "") for r in snap.rows}
        found += [ChangedCase(i, approved_numbers.get(i, ""), "removed") for i in gone]
    return sorted(found, key=lambda c: (c.number, c.case_id))


def changed_since_approval(session: Session, month: str | Month) -> list[ChangedCase]:
    """The cases whose rows would differ from the approved list now (empty when never approved)."""
    month = parse_month(month)
    snap = _latest(session, month)
    if snap is None:
        return []
    rows, fingerprints = _build(session, month)
    return _changes(session, snap, fingerprints, {r.case_id: r.number for r in rows})


@dataclass(frozen=True)
class Overview:
    """What the head's publicity section shows for a month."""

    month: Month
    #: The list as it reads now (what approving would keep); in :class:`FirstPage`, and so in the
    #: desk's panel, only its first rows (the table reads the rest by window when shown).
    rows: Sequence[PublicityRow]
    approval: Approval | None
    changes: tuple[ChangedCase, ...]
    #: The stored snapshot still matches its hash (True when there is none).
    intact: bool = True

    @property
    def changed_case_ids(self) -> frozenset[int]:
        return frozenset(c.case_id for c in self.changes)


def overview(session: Session, month: str | Month) -> Overview:
    month = parse_month(month)
    rows, fingerprints = _build(session, month)
    snap = _latest(session, month)
    if snap is None:
        return Overview(month, tuple(rows), None, ())
    changes = _changes(session, snap, fingerprints, {r.case_id: r.number for r in rows})
    return Overview(month, tuple(rows), _approval(session, snap), tuple(changes),
                    rows_digest(list(snap.rows)) == snap.sha256)


@dataclass(frozen=True)
class FirstPage:
    """What the publicity section paints first: the month's first rows, its approval and the cases
    it lists; :func:`rows_page` reads the rest (``listed``, from ``len(first.rows)``)."""

    first: Overview
    listed: Listing
    #: The approval's fingerprints per case (None: never approved), for :func:`rows_page`.
    approved: dict[str, str] | None

    @property
    def complete(self) -> bool:
        return len(self.first.rows) >= self.listed.total


def first_page(session: Session, month: str | Month, limit: int | None = None) -> FirstPage:
    """The month's overview as far as its first ``limit`` rows (:data:`FIRST_ROWS`): the approval, whether the approved
    list is intact, the cases removed since (from the listing) and those among the first rows
    added or changed since. The whole overview is this and the :func:`rows_page` that follow."""
    month = parse_month(month)
    limit = FIRST_ROWS if limit is None else limit
    listed = listing(session, month)
    snap = _latest(session, month)
    if snap is None:
        return FirstPage(Overview(month, rows_page(session, listed, 0, limit).rows, None, ()), listed, None)
    approved: dict[str, str] = dict(snap.case_fingerprints)
    page = rows_page(session, listed, 0, limit, approved=approved)
    listed_ids = set(listed.accepted) | set(listed.closed)
    gone = [int(k) for k in approved if int(k) not in listed_ids]
    removed: list[ChangedCase] = []
    if gone:
        approved_numbers = {int(r.get("case_id", 0) or 0): r.get("number", "") for r in snap.rows}
        removed = [ChangedCase(i, approved_numbers.get(i, ""), "removed") for i in gone]
    first = Overview(month, page.rows, _approval(session, snap), tuple(page.changes) + tuple(removed),
                     rows_digest(list(snap.rows)) == snap.sha256)
    return FirstPage(first, listed, approved)


# --------------------------------------------------------------------------- printing


def printable(session: Session, actor: Actor, month: str | Month, *, approved_only: bool = False) -> PrintableList:
    """The list to print: the approved snapshot when there is one (its hash checked first), else
    the current rows as a preview, unless ``approved_only``. Each print is audited."""
    if actor.role not in _MAY_PRINT:
        raise PermissionDenied(f"只有中心主任可以打印公示名单（当前账户：{actor.role.label}）。")
    month = for_actor(parse_month(month), actor)
    center_name = center.get(session, CENTER_NAME)
    if month.center_id is not None:
        center_name = session.scalar(select(Center.name).where(Center.id == month.center_id)) or center_name
    snap = _latest(session, month)
    if snap is not None:
        if rows_digest(list(snap.rows)) != snap.sha256:
            audit.record(session, actor, "publicity.print_refused", "publicity_snapshot", snap.id,
                         {"month": month.key, "reason": "hash mismatch"})
            raise Conflict(f"{month.label}已审核的公示名单存档与其校验值不符，可能已被改动，不予打印。"
                           "请核对后重新审核。")
        approval = _approval(session, snap)
        changes: list[ChangedCase] = []
        if actor.role is not Role.ADMIN:
            # Which cases changed since the approval is read from the cases themselves, which the
            # administrator does not read (docs/permissions.md): their print is the snapshot alone.
            rows, fingerprints = _build(session, month)
            changes = _changes(session, snap, fingerprints, {r.case_id: r.number for r in rows})
        audit.record(session, actor, "publicity.print", "publicity_snapshot", snap.id,
                     {"month": month.key, "sha256": snap.sha256, "approved": True})
        return PrintableList(center_name, month, tuple(PublicityRow.from_dict(r) for r in snap.rows), approval,
                             snap.approved_at.date(), tuple(changes))
    if approved_only:
        raise NotFound(f"{month.label}的公示名单尚未审核，未生成文件。请中心主任先审核。")
    if actor.role is Role.ADMIN:
        # The unapproved preview is built from the cases and their parties: not the administrator's.
        raise PermissionDenied(f"{month.label}的公示名单尚未审核。系统管理员只能打印中心主任审核过的名单"
                               "（未审核的预览须读取案件内容）；请中心主任先审核。")
    current = tuple(publicity_rows(session, month))
    audit.record(session, actor, "publicity.print", "publicity_snapshot", None,
                 {"month": month.key, "sha256": rows_digest(list(current)), "approved": False})
    return PrintableList(center_name, month, current, None, now().date())



def public_page(session: Session, actor: Actor, month: str | Month) -> PublicPage:
    """What the month's public web page shows: the approved snapshot exactly as approved (its hash
    checked first; never the list recomputed, never a preview) and the center's feedback contacts.
    A month nobody approved is refused. Each page is audited as ``publicity.web``."""
    if actor.role not in _MAY_PRINT:
        raise PermissionDenied(f"只有中心主任可以生成公示网页（当前账户：{actor.role.label}）。")
    month = for_actor(parse_month(month), actor)
    snap = _latest(session, month)
    if snap is None:
        raise NotFound(f"{month.label}的公示名单尚未审核，不能生成公示网页：网页只发布中心主任审核过的名单。"
                       "请中心主任先在“公示”中审核该月名单。")
    if rows_digest(list(snap.rows)) != snap.sha256:
        audit.record(session, actor, "publicity.web_refused", "publicity_snapshot", snap.id,
                     {"month": month.key, "reason": "hash mismatch"})
        raise Conflict(f"{month.label}已审核的公示名单存档与其校验值不符，可能已被改动，不予生成网页。"
                       "请核对后重新审核。")
    center_name = center.get(session, CENTER_NAME)
    if month.center_id is not None:
        center_name = session.scalar(select(Center.name).where(Center.id == month.center_id)) or center_name
    changes: list[ChangedCase] = []
    if actor.role is not Role.ADMIN:  # as printable(): the administrator reads no case
        rows, fingerprints = _build(session, month)
        changes = _changes(session, snap, fingerprints, {r.case_id: r.number for r in rows})
    audit.record(session, actor, "publicity.web", "publicity_snapshot", snap.id,
                 {"month": month.key, "sha256": snap.sha256})
    listing = PrintableList(center_name, month, tuple(PublicityRow.from_dict(r) for r in snap.rows),
                            _approval(session, snap), snap.approved_at.date(), tuple(changes))
    return PublicPage(listing, feedback(session, month.center_id))



#: A mailbox the page links to (plain ASCII addresses only: the link must be a valid URL).
_EMAIL = re.compile(r"^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$")
_FEEDBACK_MAX = 200


def feedback(session: Session, center_id: int | None = None) -> Feedback:
    """The feedback contacts (address, phone, mailbox) the public page of ``center_id`` gives
    (None: the county center's). A township's are its own, never the county's: blank until set."""
    return Feedback(**center.own_fields(session, center_id, "address", "phone", "email"))


def set_feedback(session: Session, actor: Actor, data: Feedback) -> Feedback:
    """Keep the feedback contacts of the actor's own center (the head or the administrator; each
    change audited). The address and phone are the center's papers' too, checked and kept as the
    center's profile keeps them (``center.checked_contacts``, ``center.keep_own_fields``): the
    county center's are its settings, printed on the intake receipt as well; a township's are its
    own row (``center_feedback``, migration 0038)."""
    if actor.role not in _MAY_PRINT:
        raise PermissionDenied(f"只有中心主任或系统管理员可以设置公示的反馈方式（当前账户：{actor.role.label}）。")
    address, phone = center.checked_contacts(data.address, data.phone)
    email = data.email.strip()
    if len(email) > _FEEDBACK_MAX:
        raise InvalidInput("email", f"电子邮箱最长 {_FEEDBACK_MAX} 个字符（现有 {len(email)} 个）。")
    if email and not _EMAIL.fullmatch(email):
        raise InvalidInput("email", f"电子邮箱“{email}”格式不对，应如 gzmtzx@example.cn"
                                    "（只用英文字母、数字和 . _ + -）。")
    center.keep_own_fields(session, actor, {"address": address, "phone": phone, "email": email},
                           "publicity.feedback")
    return Feedback(address, phone, email)


__all__ = [
    "FIRST_ROWS",
    "PAGE_ROWS",
    "WITHHELD",
    "ApprovedList",
    "FirstPage",
    "Listing",
    "Overview",
    "RowsPage",
    "approve",
    "changed_since_approval",
    "changes_page",
    "feedback",
    "first_page",
    "for_actor",
    "last_month",
    "listing",
    "overview",
    "parse_month",
    "printable",
    "public_page",
    "publicity_rows",
    "rows_digest",
    "rows_page",
    "set_feedback",
    "snapshot",
]
