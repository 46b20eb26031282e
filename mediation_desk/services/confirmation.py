"""司法确认: the parties' joint application to the basic court, its acceptance and its decision.

The rules (人民调解法 art. 33; 最高人民法院《关于人民调解协议司法确认程序的若干规定》法释〔2011〕5号;
民事诉讼法 arts. 205–206):

- both parties apply together, **within 30 days of the agreement taking effect**, to the basic
  court (where the committee sits, a party lives or the subject matter is). The limit is the
  ``JUDICIAL_CONFIRMATION`` stage of :mod:`services.clocks` (configurable, extensions count), so
  the tab, the case clock and the desk always name the same day. A later application is recorded
  only with a reason, because the court will normally not accept it;
- the court files the application under its own number — since the 2016 case-number rules
  ``（2026）甘0102民特123号`` (民特: special procedure), before that ``（2014）甘民调确字第12号``;
- it rules the agreement valid (裁定有效) or rejects the application (驳回申请); the parties may
  also withdraw it (撤回申请);
- courts do not confirm agreements about identity, adoption or marriage relationships
  (身份关系、收养关系、婚姻关系): :func:`applicability_warning` says so before anyone applies.

Recording an application stops the case's confirmation clock (``clocks._stage_and_start`` counts
applications), so each write here refreshes the stored clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import (
    Agreement,
    CaseEvent,
    ClockStage,
    ConfirmationResult,
    DeadlineExtension,
    DisputeCase,
    DisputeType,
    EventKind,
    JudicialConfirmation,
    Role,
    Team,
    now,
)
from ..settings import BASIC_COURT
from . import audit, center, clocks, permissions, versions, writers
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import InvalidInput, NotFound, PermissionDenied

MAX_COURT_LENGTH = 120
#: Results a court (or the parties) end an application with.
DECISIONS = (ConfirmationResult.CONFIRMED, ConfirmationResult.REJECTED, ConfirmationResult.WITHDRAWN)
#: The year 人民调解法 took effect: no confirmation number can be older.
FIRST_YEAR = 2011


class LateApplication(InvalidInput):
    """The application date is past the window; it can be recorded only with a reason."""

    def __init__(self, message: str, days_late: int) -> None:
        super().__init__("applied_on", message)
        self.days_late = days_late


# --------------------------------------------------------------------------- applicability


@dataclass(frozen=True)
class Applicability:
    """Why an agreement may not be confirmable: ``level`` "warning" when its text is about a
    relationship courts do not confirm, "caution" for a family dispute whose text shows none."""

    level: str
    message: str
    #: The phrases that triggered the warning, as found in the text.
    found: tuple[str, ...] = ()


# Patterns of agreements that *establish, end or confirm a relationship*. A divorce's property,
# maintenance, child support or visiting arrangements are civil rights and obligations the court
# does confirm: "离婚后房屋归女方所有" or "离婚时的财产分割" must not warn, so a bare "离婚" is not a
# trigger — only wording that makes the divorce itself (or a marriage, an adoption, a parentage)
# the thing agreed.
_RELATIONSHIP_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "已于2025年登记离婚" states a past fact; "同意离婚" / "自愿到民政局办理离婚登记" agree to one.
    ("婚姻关系", re.compile(r"(?:同意|自愿|协议|决定|准予)离婚|(?:同意|自愿|决定)[^。；，,]{0,12}办理离婚|"
                        r"解除(?:婚姻|夫妻)关系|(?:确认|确立|恢复|维持|建立)(?:婚姻|夫妻)关系|"
                        r"婚姻(?:关系)?(?:无效|有效|可撤销)|撤销婚姻|(?:同意|自愿)?复婚|(?:同意|自愿)结婚|"
                        r"解除(?:婚约|同居关系)")),
    ("收养关系", re.compile(r"(?:解除|确认|成立|建立|办理|同意|终止)(?:的)?收养|收养关系|送养|"
                        r"收养(?:子女|孩子|小孩)")),
    ("身份关系", re.compile(r"(?:确认|否认|变更|解除)(?:.{0,6})(?:亲子|父子|母子|父女|母女|身份|血缘)关系|"
                        r"亲子关系|身份关系|(?:确认|认定).{0,4}(?:生父|生母|亲生)|非婚生子女(?:的)?(?:确认|认领)|"
                        r"断绝(?:父子|母子|父女|母女|亲子|亲属)关系")),
)
FAMILY_TYPES = frozenset({"婚姻家庭", "婚姻", "家庭", "收养", "继承"})


class _Term(Protocol):
    @property
    def content(self) -> str: ...


class AgreementText(Protocol):
    """What :func:`applicability_warning` reads: ``AgreementInfo`` and the model both have it."""

    @property
    def facts(self) -> str: ...
    @property
    def disputed_matters(self) -> str: ...
    @property
    def responsibilities(self) -> str: ...
    @property
    def terms(self) -> Sequence[_Term]: ...


def _agreement_text(agreement: AgreementText) -> str:
    parts = [agreement.facts, agreement.disputed_matters, agreement.responsibilities]
    parts.extend(term.content for term in agreement.terms)
    return "\n".join(p for p in parts if p)


def applicability_warning(agreement: AgreementText, dispute_type: str = "") -> Applicability | None:
    """Warn when courts would not confirm this agreement (身份、收养、婚姻关系), from its facts,
    disputed matters, responsibilities and terms, and from the dispute type."""
    text = _agreement_text(agreement)
    found: list[str] = []
    kinds: list[str] = []
    for kind, pattern in _RELATIONSHIP_PATTERNS:
        hits = [m.group(0) for m in pattern.finditer(text)]
        if hits:
            kinds.append(kind)
            found.extend(dict.fromkeys(hits))
    if kinds:
        return Applicability(
            "warning",
            f"本协议涉及{'、'.join(kinds)}（“{'”“'.join(found[:4])}”）。依照《最高人民法院关于人民调解协议司法确认"
            "程序的若干规定》，确认身份关系、收养关系、婚姻关系的调解协议，人民法院不予受理司法确认申请。"
            "如协议中另有财产分割、抚养费、赡养费等内容，可只就这些内容另行达成协议后申请确认。",
            tuple(found))
    kind = dispute_type.strip().removesuffix("纠纷")
    if kind in FAMILY_TYPES:
        return Applicability(
            "caution",
            f"本案为{kind}纠纷。协议只涉及财产分割、抚养费、赡养费等民事权利义务的，可以申请司法确认；"
            "涉及婚姻、收养、身份关系的部分，人民法院不予确认。申请前请再核对协议内容。")
    return None


# --------------------------------------------------------------------------- court numbers

_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "〔": "（", "〕": "）", "【": "（",
                           "】": "）", "［": "（", "］": "）"})
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# 2016 rules: (year) province abbreviation + court code + 民特 (+确) + sequence 号.
_MODERN = re.compile(r"^（(?P<year>\d{4})）(?P<court>[\u4e00-\u9fff]\d{2,4})民特(?:确|监)?(?:第)?(?P<seq>\d{1,6})号$",
                     re.ASCII)  # ASCII: \d must not take ² or ٢ for a digit
# Before 2016: (year) court abbreviation (+ 法 / 民 …) 调确字 第 sequence 号; "民调确字", "法调确字" …
_LEGACY = re.compile(r"^（(?P<year>\d{4})）(?P<court>[\u4e00-\u9fff0-9]{1,12}?)调确字?(?:第)?(?P<seq>\d{1,6})号$",
                     re.ASCII)


def normalise_court_number(text: str) -> str:
    """The number in the court's own typography: full-width brackets, ASCII digits, no spaces."""
    return re.sub(r"\s+", "", text.translate(_DIGITS).translate(_BRACKETS))


def check_court_number(text: str, *, accepted_on: date, applied_on: date | None) -> str:
    """The normalised 调确字 / 民特 number, or InvalidInput saying what a valid one looks like."""
    number = normalise_court_number(text)
    example = "如“（2026）甘0102民特123号”或“（2015）甘民调确字第12号”"
    if not number:
        raise InvalidInput("court_case_number", f"请填写法院的司法确认案号，{example}。")
    match = _MODERN.match(number) or _LEGACY.match(number)
    if match is None:
        raise InvalidInput("court_case_number", f"“{text.strip()}”不是司法确认案号的格式，应{example[1:]}。")
    year = int(match.group("year"))
    earliest = max(FIRST_YEAR, applied_on.year if applied_on else FIRST_YEAR)
    if not earliest <= year <= accepted_on.year:
        raise InvalidInput("court_case_number",
                           f"案号年份（{year}）与受理日期（{accepted_on:%Y年%m月%d日}）不符：法院在受理当年编号。")
    if int(match.group("seq")) == 0:
        raise InvalidInput("court_case_number", "案号中的序号不能为 0。")
    return number


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ConfirmationInfo:
    id: int
    case_id: int
    agreement_id: int
    court: str
    applied_on: date | None
    accepted_on: date | None
    court_case_number: str
    result: ConfirmationResult
    decided_on: date | None
    note: str
    version: int

    @property
    def late_reason(self) -> str:
        """Why the parties applied after the window (recorded with a late application), else ""."""
        return late_reason_of(self.note)

    @property
    def stage(self) -> str:
        """Where the application is, in the words of the tab and the desk."""
        if self.result is not ConfirmationResult.PENDING:
            return self.result.label
        return "待法院受理" if self.accepted_on is None else "法院审查中"


@dataclass(frozen=True)
class AgreementWindow:
    """One signed agreement and its confirmation window on ``today``."""

    agreement_id: int
    kind_label: str
    effective_on: date
    #: The last day to apply (the limit plus any extension granted on the case's clock).
    deadline: date
    #: Days left to apply on ``today``; negative once past.
    days_left: int
    #: The latest application for this agreement, if any.
    confirmation: ConfirmationInfo | None
    #: Earlier applications (rejected or withdrawn), oldest first.
    history: tuple[ConfirmationInfo, ...]
    applicability: Applicability | None
    terms: tuple[str, ...]

    @property
    def may_apply(self) -> bool:
        return self.confirmation is None or self.confirmation.result in (ConfirmationResult.REJECTED,
                                                                        ConfirmationResult.WITHDRAWN)


@dataclass(frozen=True)
class ConfirmationPage:
    """What the case's 司法确认 tab shows."""

    case_id: int
    number: str
    title: str
    dispute_type: str
    today: date
    court: str
    may_edit: bool
    agreements: tuple[AgreementWindow, ...]
    #: Agreements drafted but not yet signed (they cannot be confirmed yet).
    unsigned: int


#: How :func:`record_application` writes a late application's reason as the first line of its note.
_LATE_NOTE = re.compile(r"^逾期 (?P<days>\d+) 天申请，原因：(?P<reason>[^\n]+)")


def late_reason_of(note: str) -> str:
    """The late-application reason stored with an application (its note's first line), or ""."""
    found = _LATE_NOTE.match(note or "")
    return found.group("reason").strip() if found else ""


@dataclass(frozen=True)
class PrintedApplication:
    """What the 司法确认申请书 of an agreement says about its filing, on the day it is printed."""

    court: str
    #: The recorded application's date (None: not recorded yet; the parties date it by hand).
    applied_on: date | None
    #: The last day of the window (the limit from the day the agreement took effect, extensions counted).
    deadline: date
    #: Why the application is late ("" when it is not, or an old record kept none).
    late_reason: str

    @property
    def late(self) -> bool:
        return self.applied_on is not None and self.applied_on > self.deadline


def printed_application(session: Session, case_id: int, agreement_id: int, today: date | None = None,
                        ) -> PrintedApplication:
    """The filing the application prints: the latest recorded application of the agreement, or,
    when none is recorded, a blank one to be filed within the window.

    Past the window without a recorded application it is refused (``LateApplication`` on
    ``applied_on``): the form would claim a filing within thirty days. The application is
    recorded first on the 司法确认 tab with the reason, and then the form says it is late, and why."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None or agreement.case_id != case_id:
        raise NotFound(f"协议（编号 {agreement_id}）不存在。")
    if agreement.effective_on is None:
        raise InvalidInput("agreement", "协议尚未签署生效，不能申请司法确认。")
    case = _case(session, case_id)
    deadline = deadline_of(session, case, agreement.effective_on)
    row = session.scalars(select(JudicialConfirmation).where(
        JudicialConfirmation.case_id == case_id, JudicialConfirmation.agreement_id == agreement_id,
    ).order_by(JudicialConfirmation.id.desc())).first()
    if row is not None and row.applied_on is not None:
        reason = late_reason_of(row.note) if row.applied_on > deadline else ""
        return PrintedApplication(row.court, row.applied_on, deadline, reason)
    day = today or now().date()
    if day > deadline:
        late = (day - deadline).days
        raise LateApplication(
            f"司法确认申请期限已过：{agreement.kind.label}于{agreement.effective_on:%Y年%m月%d日}生效，"
            f"应在 {deadline:%Y年%m月%d日} 前共同申请，今天（{day:%Y年%m月%d日}）已逾期 {late} 天，申请书不能写作"
            "“三十日内”申请。确需申请的，请先在“司法确认”页登记申请日期和逾期原因，再打印申请书。", late)
    return PrintedApplication(row.court if row is not None else "", None, deadline, "")


def _info(row: JudicialConfirmation) -> ConfirmationInfo:
    return ConfirmationInfo(row.id, row.case_id, row.agreement_id, row.court, row.applied_on, row.accepted_on,
                            row.court_case_number, row.result, row.decided_on, row.note, row.version)


def deadline_of(session: Session, case: DisputeCase, effective_on: date,
                calendar: WorkingCalendar | None = None) -> date:
    """The last day to apply: the configured limit from the day the agreement took effect."""
    limit = clocks.limit_for(session, ClockStage.JUDICIAL_CONFIRMATION, case.dispute_type_id,
                             clocks.case_department_id(session, case))
    extended = int(session.scalar(
        select(func.coalesce(func.sum(DeadlineExtension.days), 0)).where(
            DeadlineExtension.case_id == case.id, DeadlineExtension.stage == ClockStage.JUDICIAL_CONFIRMATION)
    ) or 0)
    days = limit.days + extended
    if limit.working_days:
        return (calendar or WorkingCalendar.load(session)).add_working_days(effective_on, days)
    return effective_on + timedelta(days=days)


def _may_edit(actor: Actor, case: DisputeCase) -> bool:
    return permissions.may_access_case(actor, case, permissions.CASEWORK_ROLES)


def _case(session: Session, case_id: int) -> DisputeCase:
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    return case


def _for_writing(session: Session, actor: Actor, case: DisputeCase) -> None:
    permissions.require_case_access(actor, case, "登记司法确认", permissions.CASEWORK_ROLES)


def _dispute_type(session: Session, case: DisputeCase) -> str:
    return session.scalar(select(DisputeType.name).where(DisputeType.id == case.dispute_type_id)) or ""


def confirmation_page(session: Session, actor: Actor, case_id: int, today: date | None = None) -> ConfirmationPage:
    day = today or now().date()
    case = permissions.case_for(session, actor, case_id, "查看该案件的司法确认")
    dispute_type = _dispute_type(session, case)
    calendar = WorkingCalendar.load(session)
    rows = session.scalars(select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id)).all()
    windows = []
    for agreement in rows:
        if agreement.effective_on is None:
            continue
        applications = [_info(r) for r in session.scalars(
            select(JudicialConfirmation).where(JudicialConfirmation.agreement_id == agreement.id)
            .order_by(JudicialConfirmation.id))]
        deadline = deadline_of(session, case, agreement.effective_on, calendar)
        terms = tuple(f"{t.seq}. {t.content}（{t.due_on:%Y年%m月%d日}前）" for t in agreement.terms)
        windows.append(AgreementWindow(
            agreement.id, agreement.kind.label, agreement.effective_on, deadline, (deadline - day).days,
            applications[-1] if applications else None, tuple(applications[:-1]),
            applicability_warning(agreement, dispute_type), terms))
    unsigned = sum(1 for a in rows if a.effective_on is None)
    return ConfirmationPage(case.id, case.number, case.title, dispute_type, day, center.get(session, BASIC_COURT),
                            _may_edit(actor, case), tuple(windows), unsigned)


# --------------------------------------------------------------------------- writing


def _event(session: Session, actor: Actor, case_id: int, action: str, note: str) -> None:
    session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                          action=action, note=note))


def record_application(session: Session, actor: Actor, agreement_id: int, *, applied_on: date | None, court: str,
                       late_reason: str = "", today: date | None = None) -> ConfirmationInfo:
    """The parties applied jointly on ``applied_on`` to ``court``. Past the window it is recorded
    only with ``late_reason`` (the court will normally refuse it; the record says why it was tried)."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(f"协议（编号 {agreement_id}）不存在。")
    case = _case(session, agreement.case_id)
    _for_writing(session, actor, case)
    versions.lock_case(session, case.id)  # two desks recording the same application at once: one waits
    if agreement.effective_on is None:
        raise InvalidInput("agreement", "协议尚未签署生效，不能申请司法确认。")
    day = today or now().date()
    court = court.strip()
    if not court:
        raise InvalidInput("court", "请填写受理申请的人民法院（一般为调解组织所在地的基层人民法院）。")
    if len(court) > MAX_COURT_LENGTH:
        raise InvalidInput("court", f"法院名称不能超过 {MAX_COURT_LENGTH} 个字。")
    if "法院" not in court and "法庭" not in court:
        raise InvalidInput("court", f"“{court}”不像人民法院的名称，请填写全称，如“张掖市甘州区人民法院”。")
    if applied_on is None:
        raise InvalidInput("applied_on", "请填写申请日期。")
    if applied_on > day:
        raise InvalidInput("applied_on", f"申请日期（{applied_on:%Y年%m月%d日}）不能晚于今天。")
    if applied_on < agreement.effective_on:
        raise InvalidInput("applied_on", f"申请日期（{applied_on:%Y年%m月%d日}）不能早于协议生效日期"
                                         f"（{agreement.effective_on:%Y年%m月%d日}）。")
    current = session.scalars(select(JudicialConfirmation).where(
        JudicialConfirmation.agreement_id == agreement.id,
        JudicialConfirmation.result.in_([ConfirmationResult.PENDING, ConfirmationResult.CONFIRMED]),
    )).first()
    if current is not None:
        what = "已裁定确认有效" if current.result is ConfirmationResult.CONFIRMED else "正在审查中"
        raise InvalidInput("agreement", f"该协议已于 {current.applied_on:%Y年%m月%d日} 申请司法确认，{what}，"
                                        "不能重复申请。")
    deadline = deadline_of(session, case, agreement.effective_on)
    late_reason = " ".join(late_reason.split())  # one line: the note's first line keeps it
    note = ""
    if applied_on > deadline:
        late = (applied_on - deadline).days
        if not late_reason:
            raise LateApplication(
                f"申请日期（{applied_on:%Y年%m月%d日}）已超过司法确认申请期限：协议于"
                f"{agreement.effective_on:%Y年%m月%d日}生效，应在 {deadline:%Y年%m月%d日} 前共同申请，"
                f"已逾期 {late} 天，人民法院一般不予受理。确需登记的，请写明逾期原因。", late)
        note = f"逾期 {late} 天申请，原因：{late_reason}"
    row = JudicialConfirmation(case_id=case.id, agreement_id=agreement.id, court=court, applied_on=applied_on,
                               note=note)
    session.add(row)
    session.flush()
    text = f"当事人于{applied_on:%Y年%m月%d日}共同向{court}申请司法确认{agreement.kind.label}"
    _event(session, actor, case.id, "confirmation_applied", text + (f"（{note}）" if note else ""))
    clocks.refresh_clock(session, case)
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "confirmation.apply", "case", case.id,
                 {"confirmation": row.id, "agreement": agreement.id, "court": court,
                  "applied_on": applied_on.isoformat(), "late_reason": late_reason})
    return _info(row)


def _pending(session: Session, actor: Actor, confirmation_id: int,
             expected_version: int | None) -> tuple[JudicialConfirmation, DisputeCase]:
    row = session.get(JudicialConfirmation, confirmation_id)
    if row is None:
        raise NotFound(f"司法确认申请（编号 {confirmation_id}）不存在。")
    case = _case(session, row.case_id)
    _for_writing(session, actor, case)
    if row.result is not ConfirmationResult.PENDING:
        when = f"，{row.decided_on:%Y年%m月%d日}" if row.decided_on else ""
        raise InvalidInput("result", f"该申请已有结果（{row.result.label}{when}），不能再修改。")
    versions.check(row.version, expected_version,
                   "该司法确认申请已被他人登记或更正（受理日期、案号或结果），本次未保存，也没有覆盖对方的内容。"
                   "请核对后再登记。")
    return row, case


def record_acceptance(session: Session, actor: Actor, confirmation_id: int, *, accepted_on: date | None,
                      court_case_number: str, today: date | None = None,
                      expected_version: int | None = None) -> ConfirmationInfo:
    """The court accepted (立案) the application under its 调确字 / 民特 number.

    ``expected_version`` is the application's version the form showed: a number recorded or
    corrected meanwhile by another desk is a ``Conflict``, not overwritten. ``None`` (the command
    line) checks nothing."""
    row, case = _pending(session, actor, confirmation_id, expected_version)
    day = today or now().date()
    if accepted_on is None:
        raise InvalidInput("accepted_on", "请填写法院受理日期。")
    if accepted_on > day:
        raise InvalidInput("accepted_on", f"受理日期（{accepted_on:%Y年%m月%d日}）不能晚于今天。")
    if row.applied_on is not None and accepted_on < row.applied_on:
        raise InvalidInput("accepted_on", f"受理日期（{accepted_on:%Y年%m月%d日}）不能早于申请日期"
                                          f"（{row.applied_on:%Y年%m月%d日}）。")
    number = check_court_number(court_case_number, accepted_on=accepted_on, applied_on=row.applied_on)
    taken = session.scalar(select(JudicialConfirmation.case_id).where(
        JudicialConfirmation.court_case_number == number, JudicialConfirmation.id != row.id))
    if taken is not None:
        other = session.scalar(select(DisputeCase.number).where(DisputeCase.id == taken)) or ""
        raise InvalidInput("court_case_number", f"案号 {number} 已登记在案件 {other} 的司法确认中，请核对。")
    already = bool(row.court_case_number)
    row.accepted_on, row.court_case_number = accepted_on, number
    versions.flush(session, "该司法确认申请刚被他人登记或更正，本次未保存。请核对后再登记。")
    _event(session, actor, case.id, "confirmation_accepted",
           f"{row.court}{'更正受理信息' if already else '受理司法确认申请'}：{number}（{accepted_on:%Y年%m月%d日}）")
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "confirmation.accept", "case", case.id,
                 {"confirmation": row.id, "number": number, "accepted_on": accepted_on.isoformat()})
    return _info(row)


def record_decision(session: Session, actor: Actor, confirmation_id: int, *, result: ConfirmationResult,
                    decided_on: date | None, note: str = "", today: date | None = None,
                    expected_version: int | None = None) -> ConfirmationInfo:
    """The court ruled (裁定有效 / 驳回申请), or the parties withdrew the application (撤回申请).

    ``expected_version`` as for :func:`record_acceptance`."""
    row, case = _pending(session, actor, confirmation_id, expected_version)
    day = today or now().date()
    if result not in DECISIONS:
        raise InvalidInput("result", "请选择结果：裁定有效、驳回申请或撤回申请。")
    if decided_on is None:
        raise InvalidInput("decided_on", "请填写裁定或撤回的日期。")
    if decided_on > day:
        raise InvalidInput("decided_on", f"日期（{decided_on:%Y年%m月%d日}）不能晚于今天。")
    start = row.accepted_on or row.applied_on
    if start is not None and decided_on < start:
        what = "受理日期" if row.accepted_on else "申请日期"
        raise InvalidInput("decided_on", f"日期（{decided_on:%Y年%m月%d日}）不能早于{what}（{start:%Y年%m月%d日}）。")
    if result is not ConfirmationResult.WITHDRAWN and not row.court_case_number:
        raise InvalidInput("result", "法院尚未受理（没有登记案号），不能登记裁定结果；请先登记受理和案号。")
    note = note.strip()
    if result is ConfirmationResult.REJECTED and not note:
        raise InvalidInput("note", "请写明法院驳回申请的理由。")
    row.result, row.decided_on = result, decided_on
    if note:
        row.note = f"{row.note}\n{note}".strip()
    versions.flush(session, "该司法确认申请刚被他人登记或更正，本次未保存。请核对后再登记。")
    text = f"司法确认：{result.label}（{decided_on:%Y年%m月%d日}"
    text += f"，{row.court_case_number}）" if row.court_case_number else "）"
    if note:
        text += f"。{note}"
    if result is ConfirmationResult.REJECTED:
        # 人民调解法 art. 33 para. 3: what the parties may do next.
        text += "。当事人可以通过人民调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼。"
    _event(session, actor, case.id, "confirmation_decided", text)
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "confirmation.decide", "case", case.id,
                 {"confirmation": row.id, "result": str(result), "decided_on": decided_on.isoformat(), "note": note})
    return _info(row)


def last_write(session: Session, confirmation_id: int) -> writers.LastWrite:
    """Who recorded the application's last step and when (the conflict dialog names them)."""
    row = session.get(JudicialConfirmation, confirmation_id)
    if row is None:
        raise NotFound(f"司法确认申请（编号 {confirmation_id}）不存在。")
    return writers.last_write(session, row.case_id, "confirmation", row.id,
                              ("confirmation.apply", "confirmation.accept", "confirmation.decide"), row.updated_at)


# --------------------------------------------------------------------------- the desk's list


@dataclass(frozen=True)
class PendingConfirmation:
    case_id: int
    number: str
    title: str
    team: str
    agreement_id: int
    effective_on: date
    deadline: date
    #: Days left to apply (negative: past); for applications already made, days since applying.
    days_left: int
    #: 待申请 (window open, nobody applied yet), 待法院受理, 法院审查中.
    stage: str
    confirmation_id: int | None
    court: str


def pending_confirmations(session: Session, actor: Actor, today: date | None = None) -> list[PendingConfirmation]:
    """Agreements whose window is still open with no application, and applications the court
    has not decided — most urgent first; a mediator sees their teams' cases, the head all."""
    day = today or now().date()
    if actor.role not in (Role.HEAD, Role.MEDIATOR):
        raise PermissionDenied(f"“{actor.role.label}”不跟踪司法确认。")
    stmt = (select(Agreement, DisputeCase.number, DisputeCase.title, Team.name)
            .join(DisputeCase, DisputeCase.id == Agreement.case_id)
            .outerjoin(Team, Team.id == DisputeCase.team_id)
            .where(Agreement.effective_on.is_not(None)))
    if actor.role is Role.MEDIATOR:
        stmt = stmt.where(DisputeCase.team_id.in_(sorted(actor.team_ids)))
    calendar = WorkingCalendar.load(session)
    rows: list[PendingConfirmation] = []
    found = session.execute(stmt).all()
    latest: dict[int, JudicialConfirmation] = {}
    if found:
        for application in session.scalars(select(JudicialConfirmation).where(
                JudicialConfirmation.agreement_id.in_([a.id for a, *_ in found])).order_by(JudicialConfirmation.id)):
            latest[application.agreement_id] = application
    for agreement, number, title, team in found:
        assert agreement.effective_on is not None
        case = session.get_one(DisputeCase, agreement.case_id)
        deadline = deadline_of(session, case, agreement.effective_on, calendar)
        applied = latest.get(agreement.id)
        if applied is None or applied.result in (ConfirmationResult.REJECTED, ConfirmationResult.WITHDRAWN):
            if deadline < day:
                continue  # the window closed: nothing left to chase
            rows.append(PendingConfirmation(case.id, number, title, team or "", agreement.id, agreement.effective_on,
                                            deadline, (deadline - day).days, "待申请", None, ""))
        elif applied.result is ConfirmationResult.PENDING:
            rows.append(PendingConfirmation(
                case.id, number, title, team or "", agreement.id, agreement.effective_on, deadline,
                (deadline - day).days, "待法院受理" if applied.accepted_on is None else "法院审查中", applied.id,
                applied.court))
    rows.sort(key=lambda r: (r.stage != "待申请", r.deadline, r.case_id))
    return rows

