"""What each screen shows: one function per page, reading everything the screen paints in one go
on the read lane, with what the actor may do there already decided (``may_…`` flags): by the
case's team *id* and the rules in :mod:`.permissions`, the same checks the writes make, so that no
screen works out rights from a role or a team name of its own.

The screens call these from :class:`mediation_desk.ui.common.page.LoadedPage` subclasses (or
their own read tasks); the functions are plain services and are tested on the ``db`` fixture.

A case's screens:

- :func:`case_page` — the case's overview (``ui.cases.detail``): the case, its clock, whether the
  user may grant an extension, its supervision orders and diversions.
- :func:`records_page` — 调查记录 and 调解记录 (``ui.cases.tabs.records``).
- :func:`agreement_page` — the mediation agreements (``ui.cases.tabs.agreement``).
- :func:`transfer_page` — termination, the undisputed-facts statement, transfers
  (``ui.cases.tabs.transfer``).
- :func:`documents_page` — which printable documents apply now (``ui.cases.tabs.documents``).
- The 司法确认 tab's page is ``confirmation.confirmation_page`` and the 回访 tab's
  ``visits.visits_page`` (each lives with its service).

The desk and the rest: :func:`desk_page`, :func:`visits_due_page`, :func:`calendar_page`,
:func:`limits_page`, :func:`center_info` (below the desk line).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ..documents import kinds
from ..models import CaseState, ClockStage, DisputeCase, Role, now
from ..readmodels.statistics import FORMULAS, Figure
from . import audit, calendar, clocks, diversion, permissions, reference, statistics, supervision, visits
from .actor import Actor
from .calendar import WorkingCalendar
from .clocks import ClockState
from .diversion import DiversionInfo
from .errors import NotFound
from .supervision import OrderInfo
from .workflow import FINAL_STATES, OPEN_STATES

# A case's own pages import the services they read (cases, records, agreements, termination,
# transfers, 12345, the flags) when first called: the desk, the first screen after the sign-in,
# does not wait for them (issue 20 item 1; they are imported in the background once it is shown).
if TYPE_CHECKING:
    from ..readmodels.agreements import AgreementInfo
    from ..readmodels.cases import CaseDetail
    from ..readmodels.hotline import HotlineOrderFacts
    from ..readmodels.records import RecordInfo
    from .calendar import HolidayEntry
    from .clocks import DueCase, Limit
    from .reference import Choice
    from .termination import TerminationInfo, UndisputedFactsInfo
    from .transfers import TransferInfo
    from .visits import DueVisit


#: The states in which mediation may be ended and the undisputed facts written.
_ENDABLE = (CaseState.IN_MEDIATION, CaseState.FAILED)
#: The states in which a transfer packet may be built.
_EXPORTABLE = (CaseState.FAILED, CaseState.TRANSFERRED)
#: The document made only when it is opened (it binds every scan and takes a while).
DOSSIER = "dossier"


def _may_do_casework(session: Session, actor: Actor, case_id: int) -> bool:
    """The head, or a mediator of the case's team (or its lead): who the records and agreement
    services let write (``permissions.CASEWORK_ROLES`` on the case)."""
    case = session.get(DisputeCase, case_id)  # already loaded by case_detail: no second query
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    return permissions.may_access_case(actor, case, permissions.CASEWORK_ROLES)


# --------------------------------------------------------------------------- the overview


@dataclass(frozen=True)
class CasePage:
    """Everything the case's overview shows, read in one go so its parts never disagree."""

    detail: CaseDetail
    #: The running clock on the page's "today" (None when no limit runs).
    clock: ClockState | None
    #: Whether this user may grant an extension (the head, or a mediator of the case's team).
    may_extend: bool
    orders: tuple[OrderInfo, ...]
    diversions: tuple[DiversionInfo, ...]
    #: The 12345 work order the case came from (docs/hotline.md), None for any other case.
    hotline: HotlineOrderFacts | None = None
    #: Whether this user may record 签收 and 首次联系 on it.
    may_record_hotline: bool = False
    #: Whether this user may change the case's statistics flags (services.case_flags).
    may_edit_flags: bool = False

    @property
    def awaiting_diversion(self) -> DiversionInfo | None:
        return next((d for d in self.diversions if d.awaiting_feedback), None)


def case_page(session: Session, actor: Actor, case_id: int, today: date) -> CasePage:
    from . import case_flags, cases, hotline

    detail = cases.case_detail(session, actor, case_id)
    clock = clocks.case_clock(session, case_id, at=today)
    # As ``clocks.extend`` decides: the head, or a mediator of the case's team (by its id).
    may_extend = actor.role is Role.HEAD or permissions.in_case_team(actor, detail.team_id)
    case = session.get(DisputeCase, case_id)  # loaded by case_detail: no second query
    if case is not None and not permissions.may_write(actor, case):
        may_extend = False  # a case of a center below the head's: read-only
    # Orders of this case among those this user may see (the head all, a mediator their teams').
    orders = tuple(supervision.orders(session, actor, open_only=False, case_id=case_id))
    order = hotline.load_orders(session, [case_id]) if hotline.is_order(session, case_id) else []
    may_record = bool(order) and case is not None and permissions.may_access_case(
        actor, case, permissions.CASE_ROLES, write=True)
    may_edit_flags = case is not None and case_flags.may_edit(actor, case)
    return CasePage(detail, clock, may_extend, orders, tuple(diversion.diversions_of(session, case_id)),
                    order[0] if order else None, may_record, may_edit_flags)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordsPage:
    detail: CaseDetail
    records: tuple[RecordInfo, ...]
    #: Whether this user may add and correct records of the case now (casework on a case not finished).
    may_write: bool


def records_page(session: Session, actor: Actor, case_id: int) -> RecordsPage:
    from . import cases, records

    detail = cases.case_detail(session, actor, case_id)
    may_write = _may_do_casework(session, actor, case_id) and detail.state not in FINAL_STATES
    return RecordsPage(detail, tuple(records.records_of(session, case_id)), may_write)


# --------------------------------------------------------------------------- agreement


@dataclass(frozen=True)
class AgreementPage:
    detail: CaseDetail
    agreements: tuple[AgreementInfo, ...]
    #: Whether this user may draft, edit and sign the case's agreement now (casework, case in mediation).
    may_write: bool
    clock: ClockState | None


def agreement_page(session: Session, actor: Actor, case_id: int) -> AgreementPage:
    from . import agreements, cases
    from .agreements import EDITABLE_STATES

    detail = cases.case_detail(session, actor, case_id)
    may_write = _may_do_casework(session, actor, case_id) and detail.state in EDITABLE_STATES
    return AgreementPage(detail, tuple(agreements.agreements_of(session, case_id)), may_write,
                         clocks.case_clock(session, case_id))


# --------------------------------------------------------------------------- termination and transfer


@dataclass(frozen=True)
class TransferPage:
    case_id: int
    number: str
    state: CaseState
    requests: tuple[str, ...]
    termination: TerminationInfo | None
    facts: UndisputedFactsInfo | None
    transfers: tuple[TransferInfo, ...]
    #: Mediation may be ended here (in mediation or failed, and not ended yet).
    may_end: bool
    #: The undisputed-facts statement may be written and signed (mediation ongoing or failed, not signed).
    may_write_facts: bool
    #: A transfer packet may be printed and exported (mediation failed, or the case transferred).
    may_export: bool
    #: The actor may do this tab's work at all (the casework roles on the case); when not, why
    #: (shown before anything is typed).
    may_work: bool = True
    refusal: str = ""


def transfer_page(session: Session, actor: Actor, case_id: int) -> TransferPage:
    from . import cases, termination, transfers

    detail = cases.case_detail(session, actor, case_id)
    ended = termination.termination_of(session, case_id)
    facts = termination.undisputed_facts_of(session, case_id)
    ongoing = detail.state in _ENDABLE
    may_work = _may_do_casework(session, actor, case_id)
    refusal = "" if may_work else (
        permissions.role_refusal(actor, permissions.CASEWORK_ROLES, "终结调解、制作无争议事实或办理移送")
        or permissions.NOT_YOUR_TEAM.format(number=detail.number, doing="办理移送"))
    return TransferPage(case_id, detail.number, detail.state, detail.requests, ended, facts,
                        tuple(transfers.transfers_of(session, case_id)),
                        may_end=may_work and ongoing and ended is None,
                        may_write_facts=may_work and ongoing and not (facts is not None and facts.signed),
                        may_export=may_work and detail.state in _EXPORTABLE,
                        may_work=may_work, refusal=refusal)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    #: The title printed on the paper (Chinese, as ``documents.kinds.TITLES`` has it).
    title: str
    #: Why it does not apply yet; "" when it does.
    reason: str
    case_id: int
    #: A scanned, signed copy of a document of this kind is filed with the case (scan-back, or
    #: filed by hand): the dossier binds it in place of the generated one.
    signed_copy: bool = False

    @property
    def applies(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class DocumentsPage:
    case_id: int
    number: str
    rows: tuple[DocumentRow, ...]


def check_documents(session: Session, actor: Actor, case_id: int,
                    detail: CaseDetail | None = None) -> list[DocumentRow]:
    """Every document kind of the case, and the reason it does not apply yet ("" when it does),
    decided from the case's data (``dossier.applicability``): no PDF is made to list them (every
    kind was rendered to find out, 431 ms on a big case of the 1M demo); the preview makes the one
    chosen. The case is read once for them all (``detail``, or read here)."""
    from . import cases, dossier  # dossier brings the renderers (reportlab): loaded when first checked

    if detail is None or detail.id != case_id:
        detail = cases.case_detail(session, actor, case_id)
    signed = {ref.partition(":")[0] for ref in dossier.signed_copies(session, actor, case_id)}
    rows: list[DocumentRow] = []
    for kind in dossier.DOCUMENT_KINDS:
        title = kinds.TITLES[kind]
        # The dossier always applies: it is bound when opened, and binds whatever the case has.
        reason = "" if kind == DOSSIER else dossier.applicability(session, actor, case_id, kind, detail=detail)
        rows.append(DocumentRow(kind, title, reason, case_id, signed_copy=kind in signed))
    return rows


def documents_page(session: Session, actor: Actor, case_id: int) -> DocumentsPage:
    from . import cases

    detail = cases.case_detail(session, actor, case_id)
    return DocumentsPage(case_id, detail.number, tuple(check_documents(session, actor, case_id, detail)))


# ---- desk, visits, calendar, sign-in
#
# The desk (工作台) and its return visits due, the calendar the clocks count on, and what the
# sign-in dialog says about the center. (A case's 回访 tab reads ``visits.visits_page``, which
# already decides ``may_record`` and ``may_reopen``.)


def shows_due(actor: Actor) -> bool:
    """The desk lists the cases due soon or overdue (the head: the center's; a mediator: their teams')."""
    return actor.role in (Role.HEAD, Role.MEDIATOR)


def shows_orders(actor: Actor) -> bool:
    """The desk lists supervision orders (a mediator answers them; the head follows them)."""
    return actor.role in (Role.HEAD, Role.MEDIATOR)


def shows_diversions(actor: Actor) -> bool:
    """The desk lists diversions awaiting feedback, and records the feedback when it comes."""
    return actor.role in (Role.HEAD, Role.INTAKE)


def shows_visits(actor: Actor) -> bool:
    """The desk lists the return visits due."""
    return actor.role in (Role.HEAD, Role.MEDIATOR)


def shows_audit_head(actor: Actor) -> bool:
    """The head's desk shows the audit chain's head (sequence number and MAC)."""
    return actor.role is Role.HEAD


def has_desk(actor: Actor) -> bool:
    """Whether this role has anything on a desk (the administrator has not)."""
    return shows_due(actor) or shows_orders(actor) or shows_diversions(actor)


def may_answer_orders(actor: Actor) -> bool:
    """A mediator answers the supervision orders on the desk (``supervision.answer`` checks the case)."""
    return actor.role is Role.MEDIATOR


def may_list_answered_orders(actor: Actor) -> bool:
    """The head, who issues orders, may list the answered ones beside the open ones."""
    return actor.role is Role.HEAD


#: The desk lists at most this many rows of a list; its title says how many there are in all.
DESK_ROWS = 500


@dataclass(frozen=True)
class DeskPage:
    """What the desk shows (a list is None: not shown to this role, or not read yet — the due list
    is read first and painted, the other lists right after it: :func:`desk_lists`)."""

    today: date
    due: tuple[DueCase, ...] | None
    orders: tuple[OrderInfo, ...] | None
    awaiting: tuple[DiversionInfo, ...] | None
    #: The actor answers open supervision orders here.
    may_answer: bool = False
    #: The actor may list the answered orders too.
    may_list_answered: bool = False
    #: The actor records the feedback of diversions awaiting it.
    may_record_feedback: bool = False
    #: The head sees the audit chain's head (sequence and MAC) to compare with the anchors.
    shows_audit_head: bool = False
    #: The chain's newest entry (None: no entry yet, or not shown to this role).
    audit_head: audit.Anchor | None = None
    #: 超期案件 on ``today`` (services.statistics.count_overdue: the statistics' own definition and
    #: figure; a mediator's counts their teams' cases only); None where the due list is not shown.
    overdue: int | None = None
    #: The definition of 超期案件 as the statistics state it (the desk's tooltip says the same).
    overdue_definition: str = ""
    #: The count covers the actor's teams only (a mediator), not the whole center.
    overdue_of_own_teams: bool = False
    #: How many diversions await feedback (``awaiting`` holds the first :data:`DESK_ROWS`).
    awaiting_count: int | None = None
    #: How many open cases are due soon (yellow) in all (None until the other lists are read).
    due_soon: int | None = None


@dataclass(frozen=True)
class DeskLists:
    """The desk's lists after the due list: supervision orders, diversions awaiting feedback (the
    first :data:`DESK_ROWS` and how many in all) and the audit chain's head."""

    orders: tuple[OrderInfo, ...] | None
    awaiting: tuple[DiversionInfo, ...] | None
    awaiting_count: int | None
    audit_head: audit.Anchor | None
    #: How many open cases are due soon (yellow) in all: the due list shows its first rows only.
    due_soon: int | None = None


def desk_page(session: Session, actor: Actor, today: date, *, answered_orders: bool = False,
              lists: bool = True) -> DeskPage:
    """The desk of ``actor`` on ``today``; ``answered_orders`` lists answered supervision orders
    beside the open ones (the head's choice). ``lists=False``: the due list and its count only
    (what the desk paints first), the others are None until :func:`with_lists` adds them."""
    # The due list holds the open cases only, so that its red rows are exactly the statistics'
    # 超期案件 (one definition, services.statistics.overdue_condition): a closed case's first
    # return visit is listed, with the planned ones, under the desk's return visits due.
    due = (tuple(clocks.due_soon_or_overdue(session, actor, at=today, states=OPEN_STATES, limit=DESK_ROWS))
           if shows_due(actor) else None)
    own_teams = actor.role is Role.MEDIATOR
    own = None if actor.center_id is None else (actor.center_id,)
    overdue = (statistics.count_overdue(session, today, team_ids=actor.team_ids if own_teams else None, centers=own)
               if shows_due(actor) else None)
    page = DeskPage(today, due, None, None, may_answer=may_answer_orders(actor),
                    may_list_answered=may_list_answered_orders(actor),
                    may_record_feedback=shows_diversions(actor), shows_audit_head=shows_audit_head(actor),
                    overdue=overdue, overdue_definition=FORMULAS[Figure.OVERDUE], overdue_of_own_teams=own_teams)
    return with_lists(page, desk_lists(session, actor, answered_orders=answered_orders, today=today)) if lists \
        else page


def desk_lists(session: Session, actor: Actor, *, answered_orders: bool = False,
               today: date | None = None) -> DeskLists:
    """The desk's other lists (see :class:`DeskLists`), each bounded, counted apart; ``today``: the
    day the due-soon cases are counted on (the due list's)."""
    today = today or now().date()
    orders = (tuple(supervision.orders(session, actor, open_only=not answered_orders))
              if shows_orders(actor) else None)
    awaiting = awaiting_count = None
    if shows_diversions(actor):
        awaiting = tuple(diversion.awaiting_feedback(session, limit=DESK_ROWS, center_id=actor.center_id))
        awaiting_count = (len(awaiting) if len(awaiting) < DESK_ROWS
                          else diversion.count_awaiting(session, center_id=actor.center_id))
    due_soon = None
    if shows_due(actor):
        team_ids = actor.team_ids if actor.role is Role.MEDIATOR else None
        due_soon = clocks.count_due_soon(session, today, states=OPEN_STATES, team_ids=team_ids,
                                         center_id=actor.center_id)
    return DeskLists(orders, awaiting, awaiting_count,
                     audit.chain_head(session) if shows_audit_head(actor) else None, due_soon)


def with_lists(page: DeskPage, lists: DeskLists) -> DeskPage:
    """The desk page with its other lists read."""
    return replace(page, orders=lists.orders, awaiting=lists.awaiting, awaiting_count=lists.awaiting_count,
                   audit_head=lists.audit_head, due_soon=lists.due_soon)


@dataclass(frozen=True)
class DueVisitsPage:
    """The return visits due within the week or overdue, as of ``today`` (the first
    :data:`DESK_ROWS`; the counts are of all of them)."""

    today: date
    rows: tuple[DueVisit, ...]
    overdue_count: int = 0
    soon_count: int = 0


def visits_due_page(session: Session, actor: Actor, today: date) -> DueVisitsPage:
    """The visits due that ``actor`` makes or follows (none for a role without them on the desk)."""
    if not shows_visits(actor):
        return DueVisitsPage(today, ())
    rows = tuple(visits.visits_due(session, actor, today, limit=DESK_ROWS))
    if len(rows) < DESK_ROWS:
        overdue = sum(1 for r in rows if r.days_overdue > 0)
        return DueVisitsPage(today, rows, overdue, len(rows) - overdue)
    overdue, soon = visits.count_visits_due(session, actor, today)
    return DueVisitsPage(today, rows, overdue, soon)


def may_edit_holidays(actor: Actor) -> bool:
    """Only the administrator changes the holiday table."""
    return actor.role is Role.ADMIN


def may_edit_limits(actor: Actor) -> bool:
    """The administrator and the head change the time limits (as ``clocks.set_limit`` allows)."""
    return actor.role in (Role.ADMIN, Role.HEAD)


@dataclass(frozen=True)
class CalendarPage:
    """One year of the holiday table, and what the calendar screen warns about."""

    year: int
    entries: tuple[HolidayEntry, ...]
    #: "library", "table" or "none" for the year shown.
    source: str
    #: The current and next year when neither the library nor the table knows them.
    uncovered: tuple[int, ...]
    dispute_types: tuple[Choice, ...]
    may_edit_holidays: bool = False
    may_edit_limits: bool = False
    #: The built-in schedule's days of the year that no entry of the center overrides.
    built_in: tuple[HolidayEntry, ...] = ()


def calendar_page(session: Session, actor: Actor, year: int, today: date) -> CalendarPage:
    """The holiday table of ``year`` as the clocks count it, and the years still uncovered on ``today``."""
    coverage = WorkingCalendar.load(session).coverage(year)
    entries = tuple(calendar.list_entries(session, year))
    entered = {entry.day for entry in entries}
    built_in = tuple(e for e in calendar.built_in_entries(year) if e.day not in entered)
    return CalendarPage(year, entries, coverage.source,
                        tuple(calendar.uncovered_years(session, today)), tuple(reference.dispute_types(session)),
                        may_edit_holidays=may_edit_holidays(actor), may_edit_limits=may_edit_limits(actor),
                        built_in=built_in)


@dataclass(frozen=True)
class LimitRow:
    stage: ClockStage
    #: The limit in force for the chosen scope.
    limit: Limit
    #: The limit for all dispute types (what a type without an override uses).
    general: Limit
    #: True when the chosen scope is one dispute type.
    for_type: bool


@dataclass(frozen=True)
class LimitsPage:
    """The time limit of every clock stage, for all dispute types or for one."""

    dispute_type_id: int | None
    rows: tuple[LimitRow, ...]
    may_edit: bool = False


def limits_page(session: Session, actor: Actor, dispute_type_id: int | None) -> LimitsPage:
    """The limits in force for ``dispute_type_id`` (None: all types), beside the general ones."""
    rows = []
    for stage in ClockStage:
        general = clocks.limit_for(session, stage, None)
        limit = clocks.limit_for(session, stage, dispute_type_id) if dispute_type_id is not None else general
        rows.append(LimitRow(stage, limit, general, dispute_type_id is not None))
    return LimitsPage(dispute_type_id, tuple(rows), may_edit=may_edit_limits(actor))


@dataclass(frozen=True)
class CenterInfo:
    """What the sign-in dialog says about the center it opens."""

    name: str
    is_demo: bool
    #: (user name, role) of the demo accounts, and their shared password.
    demo_accounts: tuple[tuple[str, Role], ...] = ()
    demo_password: str = ""


def center_info(session: Session) -> CenterInfo:
    """The center's name and, for a demo center, the accounts to try (before anyone signed in)."""
    from .. import settings
    from . import center, dbroles
    from .setup import DEMO_PASSWORD, DEMO_USERS

    if dbroles.is_desk_connection(session):  # before a sign-in on a server: only what the login screen shows
        values = center.Values(dbroles.desk_login_settings(session),
                               frozenset({settings.CENTER_NAME.key, settings.IS_DEMO.key}))
    else:
        values = center.read(session, settings.CENTER_NAME, settings.IS_DEMO)
    name = values.get(settings.CENTER_NAME)
    if not values.get(settings.IS_DEMO):
        return CenterInfo(name, False)
    accounts = tuple((username, role) for username, _display, role in DEMO_USERS)
    return CenterInfo(name, True, accounts, DEMO_PASSWORD)


__all__ = [
    "DESK_ROWS",
    "DOSSIER",
    "AgreementPage",
    "CalendarPage",
    "CasePage",
    "CenterInfo",
    "DeskLists",
    "DeskPage",
    "DocumentRow",
    "DocumentsPage",
    "DueVisitsPage",
    "LimitRow",
    "LimitsPage",
    "RecordsPage",
    "TransferPage",
    "agreement_page",
    "calendar_page",
    "case_page",
    "center_info",
    "check_documents",
    "desk_lists",
    "desk_page",
    "documents_page",
    "has_desk",
    "limits_page",
    "may_answer_orders",
    "may_edit_holidays",
    "may_edit_limits",
    "may_list_answered_orders",
    "records_page",
    "shows_audit_head",
    "shows_diversions",
    "shows_due",
    "shows_orders",
    "shows_visits",
    "transfer_page",
    "visits_due_page",
]
