"""Case-based subsidies (以案定补): the rules, a month's statement per mediator, and the summary
the 司法所 signs.

**Rules** are set by the administrator as data (:class:`Rules`, stored as JSON in
``subsidy_rule_set``), one version per month it takes effect: a month is computed under the
version with the latest ``effective_month`` not after it. A version used by an issued month can
no longer be changed (a new version from a later month is made instead).

**Which cases**: the cases closed (结案, the head's approval) in the month. For each case:

1. its outcome must be one the rules pay (调解成功 by default; 调解不成 may be added);
2. repeat mediation of the same dispute counts once: cases linked as repeat visits
   (``dispute_case.repeat_of_id``, migration 0002, followed to the first case of the chain) form
   one dispute; only the first of them closed with a paid outcome counts, later ones are refused
   as duplicates of it;
3. the file must be complete: the dossier's checklist of required items (``services.dossier.
   completeness``, the same gate as the closure), optionally also a return visit;
4. its tier: 重大 when any of the major conditions holds, else 疑难复杂 when any of the difficult
   conditions holds, else 一般 (conditions over the case's fields: people involved ≥ N, amount
   involved ≥ X, group dispute, may turn criminal, dispute types, mediation sessions ≥ N); its
   amount is the tier's amount at the center's level, capped by the per-case cap;
5. its mediators (``case_mediator``, and the lead mediator): only registered ones — an active
   mediator record of a kind the rules pay — share the amount, equally or the lead a percentage
   and the others the rest equally; the fen that do not divide go one each to the first in order
   (lead first), so the shares sum to the case's amount exactly; an unregistered mediator's line
   is refused and takes no share;
6. per mediator, in the order the cases closed: at most N paid cases and X yuan a month; the
   case that reaches the cap is paid what is left, later ones are refused.

**Reproducibility.** The first print of a month that has ended *issues* it
(:func:`statement_for_print`): the statement is stored as computed (``subsidy_statement`` and a
part per mediator) with its SHA-256, and every later print of that month reads it back — a case
edited, reopened or purged later, a mediator deactivated or a rule version changed does not
change a printed month. A month not yet ended prints as a draft (草稿) and is not stored. A month
never printed is computed from the cases as they stand, under the rules in force that month.

Who: the administrator sets the rules (every group reads them); the head computes, issues and
prints statements; a mediator reads their own part of an issued month; the administrator, who
reads no case content, may print the summary of an issued month (names and totals).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from .. import settings
from ..changes import Changes, note
from ..models import (
    CaseMediator,
    CaseState,
    Center,
    DisputeCase,
    DisputeType,
    MediationRecord,
    Mediator,
    MediatorKind,
    MediatorRole,
    ReturnVisit,
    Role,
    SubsidyRuleSet,
    SubsidyStatement,
    SubsidyStatementPart,
    now,
)
from ..readmodels.subsidies import (
    LEVELS,
    TIERS,
    MediatorStatement,
    MonthStatement,
    SubsidyLine,
    mediator_from_json,
    statement_json,
    yuan_text,
)
from . import audit, cases, center, centers, dossier, permissions
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied

#: The outcomes a rule may pay for.
OUTCOMES: dict[str, str] = {CaseState.SUCCEEDED.value: "调解成功", CaseState.FAILED.value: "调解不成"}
#: How a case of several mediators is split.
SPLITS: dict[str, str] = {"equal": "平均分配", "lead": "主办按比例，其余协办平分"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MAX_FEN = 100_000_000  # 1,000,000 yuan: no case or month is paid more


@dataclass(frozen=True)
class Conditions:
    """What makes a case of a tier: any one of them holding is enough."""

    people_at_least: int | None = None
    amount_at_least: Decimal | None = None
    group_dispute: bool = False
    may_turn_criminal: bool = False
    dispute_types: tuple[str, ...] = ()
    sessions_at_least: int | None = None

    def json(self) -> dict[str, Any]:
        return {"people_at_least": self.people_at_least,
                "amount_at_least": None if self.amount_at_least is None else f"{self.amount_at_least:.2f}",
                "group_dispute": self.group_dispute, "may_turn_criminal": self.may_turn_criminal,
                "dispute_types": list(self.dispute_types), "sessions_at_least": self.sessions_at_least}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conditions:
        amount = data.get("amount_at_least")
        return cls(people_at_least=data.get("people_at_least"),
                   amount_at_least=None if amount is None else Decimal(str(amount)),
                   group_dispute=bool(data.get("group_dispute")),
                   may_turn_criminal=bool(data.get("may_turn_criminal")),
                   dispute_types=tuple(data.get("dispute_types") or ()),
                   sessions_at_least=data.get("sessions_at_least"))

    def met(self, case: DisputeCase, dispute_type: str, sessions: int) -> list[str]:
        """The conditions the case meets, in words (empty: none)."""
        found: list[str] = []
        if self.people_at_least is not None and case.people_involved >= self.people_at_least:
            found.append(f"涉及{case.people_involved}人（≥{self.people_at_least}人）")
        if (self.amount_at_least is not None and case.amount_involved is not None
                and case.amount_involved >= self.amount_at_least):
            found.append(f"涉及金额{case.amount_involved:,.2f}元（≥{self.amount_at_least:,.2f}元）")
        if self.group_dispute and case.is_group_dispute:
            found.append("群体性纠纷")
        if self.may_turn_criminal and case.may_turn_criminal:
            found.append("可能民转刑")
        if dispute_type in self.dispute_types:
            found.append(f"纠纷类型为{dispute_type}")
        if self.sessions_at_least is not None and sessions >= self.sessions_at_least:
            found.append(f"调解{sessions}次（≥{self.sessions_at_least}次）")
        return found

    def describe(self) -> str:
        parts: list[str] = []
        if self.people_at_least is not None:
            parts.append(f"涉及人数≥{self.people_at_least}人")
        if self.amount_at_least is not None:
            parts.append(f"涉及金额≥{self.amount_at_least:,.2f}元")
        if self.group_dispute:
            parts.append("群体性纠纷")
        if self.may_turn_criminal:
            parts.append("可能民转刑")
        if self.dispute_types:
            parts.append("纠纷类型为" + "、".join(self.dispute_types))
        if self.sessions_at_least is not None:
            parts.append(f"调解次数≥{self.sessions_at_least}次")
        return "，或".join(parts) if parts else "（未设条件）"


@dataclass(frozen=True)
class Rules:
    """One version of the subsidy rules (see the module docstring). Amounts are in fen."""

    amounts: Mapping[str, Mapping[str, int]]
    difficult: Conditions = field(default_factory=Conditions)
    major: Conditions = field(default_factory=Conditions)
    paid_outcomes: tuple[str, ...] = (CaseState.SUCCEEDED.value,)
    mediator_kinds: tuple[str, ...] = (MediatorKind.VOLUNTEER.value, MediatorKind.STATIONED.value)
    require_complete_file: bool = True
    require_return_visit: bool = False
    repeats_once: bool = True
    monthly_cap_fen: int | None = None
    monthly_case_cap: int | None = None
    case_cap_fen: int | None = None
    split: str = "equal"
    lead_percent: int = 50

    def json(self) -> dict[str, Any]:
        return {"amounts": {level: dict(tiers) for level, tiers in self.amounts.items()},
                "difficult": self.difficult.json(), "major": self.major.json(),
                "paid_outcomes": list(self.paid_outcomes), "mediator_kinds": list(self.mediator_kinds),
                "require_complete_file": self.require_complete_file, "require_return_visit": self.require_return_visit,
                "repeats_once": self.repeats_once, "monthly_cap_fen": self.monthly_cap_fen,
                "monthly_case_cap": self.monthly_case_cap, "case_cap_fen": self.case_cap_fen, "split": self.split,
                "lead_percent": self.lead_percent}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rules:
        return cls(amounts={level: {tier: int(v) for tier, v in tiers.items()}
                            for level, tiers in data["amounts"].items()},
                   difficult=Conditions.from_json(data.get("difficult") or {}),
                   major=Conditions.from_json(data.get("major") or {}),
                   paid_outcomes=tuple(data.get("paid_outcomes") or (CaseState.SUCCEEDED.value,)),
                   mediator_kinds=tuple(data.get("mediator_kinds") or ()),
                   require_complete_file=bool(data.get("require_complete_file", True)),
                   require_return_visit=bool(data.get("require_return_visit", False)),
                   repeats_once=bool(data.get("repeats_once", True)),
                   monthly_cap_fen=data.get("monthly_cap_fen"), monthly_case_cap=data.get("monthly_case_cap"),
                   case_cap_fen=data.get("case_cap_fen"), split=str(data.get("split", "equal")),
                   lead_percent=int(data.get("lead_percent", 50)))

    def lines(self, level: str) -> tuple[str, ...]:
        """The rules in words, as the summary prints them under the table."""
        amounts = self.amounts.get(level, {})
        tiers = "、".join(f"{TIERS[t]}案件{yuan_text(amounts.get(t, 0))}元" for t in TIERS)
        kinds = "、".join(MediatorKind(k).label for k in self.mediator_kinds) or "（无）"
        gate = ["卷宗完整规范（必备材料齐全）"] if self.require_complete_file else []
        if self.require_return_visit:
            gate.append("已回访")
        caps = []
        if self.case_cap_fen is not None:
            caps.append(f"每案不超过{yuan_text(self.case_cap_fen)}元")
        if self.monthly_cap_fen is not None:
            caps.append(f"每人每月不超过{yuan_text(self.monthly_cap_fen)}元")
        if self.monthly_case_cap is not None:
            caps.append(f"每人每月不超过{self.monthly_case_cap}件")
        split = "平均分配" if self.split == "equal" else f"主办{self.lead_percent}%，其余协办平分"
        return (
            f"补贴标准（{LEVELS.get(level, level)}）：{tiers}。",
            f"重大案件：{self.major.describe()}；疑难复杂案件：{self.difficult.describe()}（满足其一即可）。",
            "补贴范围：" + "、".join(OUTCOMES[o] for o in self.paid_outcomes) + f"的结案案件；在册且在用的{kinds}。",
            ("补贴条件：" + "、".join(gate) + "。") if gate else "补贴条件：不审查卷宗。",
            ("同一纠纷重复调解（重复来访）只计一次。" if self.repeats_once else "重复来访的案件分别计算。")
            + f"多名调解员共同调解的，{split}，分以下尾差依次计入主办、协办。"
            + ("上限：" + "，".join(caps) + "。" if caps else ""),
        )


DEFAULT_RULES = Rules(
    amounts={"county": {"general": 8000, "difficult": 30000, "major": 60000},
             "township": {"general": 5000, "difficult": 20000, "major": 40000},
             "village": {"general": 3000, "difficult": 10000, "major": 20000}},
    difficult=Conditions(people_at_least=5, amount_at_least=Decimal("50000"), sessions_at_least=3),
    major=Conditions(people_at_least=30, amount_at_least=Decimal("500000"), group_dispute=True,
                     may_turn_criminal=True),
)


# --------------------------------------------------------------------------- months


def month_range(month: str) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next; a bad month is refused naming it."""
    match = _MONTH.match(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2099:
        raise InvalidInput("month", f"月份“{month}”格式不对，应写作 2026-11。")
    year, number = int(match.group(1)), int(match.group(2))
    start = datetime(year, number, 1)
    end = datetime(year + number // 12, number % 12 + 1, 1)
    return start, end


def _month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --------------------------------------------------------------------------- the rules as a form


def rules_form(rules: Rules) -> dict[str, str]:
    """The rules as the form's fields (texts; yuan for money, "1"/"" for ticks)."""
    values: dict[str, str] = {}
    for level in LEVELS:
        for tier in TIERS:
            values[f"amount.{level}.{tier}"] = f"{rules.amounts.get(level, {}).get(tier, 0) / 100:.2f}"
    for tier, conditions in (("difficult", rules.difficult), ("major", rules.major)):
        people = conditions.people_at_least
        values[f"{tier}.people_at_least"] = "" if people is None else str(people)
        values[f"{tier}.amount_at_least"] = ("" if conditions.amount_at_least is None
                                             else f"{conditions.amount_at_least:.2f}")
        values[f"{tier}.group_dispute"] = "1" if conditions.group_dispute else ""
        values[f"{tier}.may_turn_criminal"] = "1" if conditions.may_turn_criminal else ""
        values[f"{tier}.dispute_types"] = "、".join(conditions.dispute_types)
        values[f"{tier}.sessions_at_least"] = ("" if conditions.sessions_at_least is None
                                               else str(conditions.sessions_at_least))
    for outcome in OUTCOMES:
        values[f"outcome.{outcome}"] = "1" if outcome in rules.paid_outcomes else ""
    for kind in MediatorKind:
        values[f"kind.{kind.value}"] = "1" if kind.value in rules.mediator_kinds else ""
    values["require_complete_file"] = "1" if rules.require_complete_file else ""
    values["require_return_visit"] = "1" if rules.require_return_visit else ""
    values["repeats_once"] = "1" if rules.repeats_once else ""
    values["monthly_cap"] = "" if rules.monthly_cap_fen is None else f"{rules.monthly_cap_fen / 100:.2f}"
    values["monthly_case_cap"] = "" if rules.monthly_case_cap is None else str(rules.monthly_case_cap)
    values["case_cap"] = "" if rules.case_cap_fen is None else f"{rules.case_cap_fen / 100:.2f}"
    values["split"] = rules.split
    values["lead_percent"] = str(rules.lead_percent)
    return values


#: Each field of the form, named as the form labels it (the messages name the field so).
FIELD_NAMES: dict[str, str] = {
    **{f"amount.{level}.{tier}": f"{LEVELS[level]}{TIERS[tier]}案件的补贴金额" for level in LEVELS for tier in TIERS},
    **{f"{tier}.people_at_least": f"{TIERS[tier]}案件的涉及人数" for tier in ("difficult", "major")},
    **{f"{tier}.amount_at_least": f"{TIERS[tier]}案件的涉及金额" for tier in ("difficult", "major")},
    **{f"{tier}.sessions_at_least": f"{TIERS[tier]}案件的调解次数" for tier in ("difficult", "major")},
    **{f"{tier}.dispute_types": f"{TIERS[tier]}案件的纠纷类型" for tier in ("difficult", "major")},
    "monthly_cap": "每人每月补贴上限", "monthly_case_cap": "每人每月补贴案件数上限", "case_cap": "每案补贴上限",
    "lead_percent": "主办调解员的比例", "split": "分配方式", "effective_month": "起始月份",
}


def _money_fen(values: Mapping[str, str], key: str, *, required: bool) -> int | None:
    text = values.get(key, "").strip().replace(",", "").replace("，", "").removesuffix("元")
    if not text:
        if required:
            raise InvalidInput(key, f"请填写{FIELD_NAMES[key]}（元）。")
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(key, f"{FIELD_NAMES[key]}“{text}”不是金额，应写作 50 或 50.00。") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(key, f"{FIELD_NAMES[key]}“{text}”不能为负数。")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(key, f"{FIELD_NAMES[key]}“{text}”最多到分（两位小数）。")
    fen = int(amount * 100)
    if fen > _MAX_FEN:
        raise InvalidInput(key, f"{FIELD_NAMES[key]}“{text}”过大（不超过 1,000,000 元）。")
    return fen


def _count(values: Mapping[str, str], key: str, *, maximum: int = 100_000) -> int | None:
    text = values.get(key, "").strip().removesuffix("人").removesuffix("次").removesuffix("件")
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(key, f"{FIELD_NAMES[key]}“{text}”应为整数。")
    number = int(text)
    if not 1 <= number <= maximum:
        raise InvalidInput(key, f"{FIELD_NAMES[key]}“{text}”应在 1 至 {maximum} 之间。")
    return number


def _ticked(values: Mapping[str, str], key: str) -> bool:
    return values.get(key, "").strip() not in ("", "0", "false", "否")


def rules_from_form(session: Session, values: Mapping[str, str]) -> Rules:
    """The rules typed into the form, checked; a bad field raises InvalidInput naming it."""
    amounts: dict[str, dict[str, int]] = {}
    for level in LEVELS:
        amounts[level] = {}
        for tier in TIERS:
            fen = _money_fen(values, f"amount.{level}.{tier}", required=True)
            assert fen is not None
            amounts[level][tier] = fen
        if not amounts[level]["general"] <= amounts[level]["difficult"] <= amounts[level]["major"]:
            raise InvalidInput(f"amount.{level}.difficult",
                               f"{LEVELS[level]}的补贴金额应为一般 ≤ 疑难复杂 ≤ 重大。")
    known = set(session.scalars(select(DisputeType.name)))
    conditions: dict[str, Conditions] = {}
    for tier in ("difficult", "major"):
        types = tuple(t for t in re.split(r"[、，,；;\s]+", values.get(f"{tier}.dispute_types", "")) if t)
        unknown = [t for t in types if t not in known]
        if unknown:
            raise InvalidInput(f"{tier}.dispute_types",
                               f"{FIELD_NAMES[f'{tier}.dispute_types']}中“{'、'.join(unknown)}”不是已有的纠纷类型。")
        amount = _money_fen(values, f"{tier}.amount_at_least", required=False)
        conditions[tier] = Conditions(
            people_at_least=_count(values, f"{tier}.people_at_least"),
            amount_at_least=None if amount is None else Decimal(amount) / 100,
            group_dispute=_ticked(values, f"{tier}.group_dispute"),
            may_turn_criminal=_ticked(values, f"{tier}.may_turn_criminal"),
            dispute_types=types, sessions_at_least=_count(values, f"{tier}.sessions_at_least", maximum=1000))
    outcomes = tuple(o for o in OUTCOMES if _ticked(values, f"outcome.{o}"))
    if not outcomes:
        raise InvalidInput(f"outcome.{CaseState.SUCCEEDED.value}", "请至少选择一种补贴的调解结果。")
    kinds = tuple(k.value for k in MediatorKind if _ticked(values, f"kind.{k.value}"))
    if not kinds:
        raise InvalidInput(f"kind.{MediatorKind.VOLUNTEER.value}", "请至少选择一类补贴的调解员。")
    split = values.get("split", "equal").strip() or "equal"
    if split not in SPLITS:
        raise InvalidInput("split", f"分配方式“{split}”不对，应为平均分配（equal）或主办按比例（lead）。")
    lead_percent = 50
    if split == "lead":
        percent = _count(values, "lead_percent", maximum=100)
        if percent is None:
            raise InvalidInput("lead_percent", "请填写主办调解员的比例（1 至 100）。")
        lead_percent = percent
    return Rules(amounts=amounts, difficult=conditions["difficult"], major=conditions["major"],
                 paid_outcomes=outcomes, mediator_kinds=kinds,
                 require_complete_file=_ticked(values, "require_complete_file"),
                 require_return_visit=_ticked(values, "require_return_visit"),
                 repeats_once=_ticked(values, "repeats_once"),
                 monthly_cap_fen=_money_fen(values, "monthly_cap", required=False),
                 monthly_case_cap=_count(values, "monthly_case_cap"),
                 case_cap_fen=_money_fen(values, "case_cap", required=False), split=split, lead_percent=lead_percent)


# --------------------------------------------------------------------------- rule versions


@dataclass(frozen=True)
class RuleVersion:
    id: int
    effective_month: str
    rules: Rules
    note: str
    version: int
    #: Months already issued under this version (then it can no longer change).
    issued_months: tuple[str, ...] = ()


def rule_versions(session: Session) -> list[RuleVersion]:
    """Every version of the rules, the latest month first."""
    issued: dict[int, list[str]] = {}
    for rule_set_id, month in session.execute(select(SubsidyStatement.rule_set_id, SubsidyStatement.month)):
        issued.setdefault(rule_set_id, []).append(month)
    return [RuleVersion(r.id, r.effective_month, Rules.from_json(r.rules), r.note, r.version,
                        tuple(sorted(issued.get(r.id, ()))))
            for r in session.scalars(select(SubsidyRuleSet).order_by(SubsidyRuleSet.effective_month.desc()))]


def _rule_set_for(session: Session, month: str) -> SubsidyRuleSet | None:
    return session.scalars(select(SubsidyRuleSet).where(SubsidyRuleSet.effective_month <= month)
                           .order_by(SubsidyRuleSet.effective_month.desc()).limit(1)).first()


def rules_for(session: Session, month: str) -> RuleVersion | None:
    """The version of the rules in force in ``month`` (None: no rules yet)."""
    month_range(month)
    found = _rule_set_for(session, month)
    if found is None:
        return None
    return RuleVersion(found.id, found.effective_month, Rules.from_json(found.rules), found.note, found.version)


def save_rules(session: Session, actor: Actor, effective_month: str, values: Mapping[str, str], *,
               rule_note: str = "", version: int | None = None) -> RuleVersion:
    """Create or change the version of the rules taking effect in ``effective_month`` (the
    administrator). ``version`` is the version the form loaded (None for a new one): a version
    saved meanwhile by another desk is a conflict, not an overwrite."""
    permissions.require_role(actor, permissions.ADMIN_ONLY, "设定以案定补规则")
    try:
        month_range(effective_month)
    except InvalidInput as exc:
        raise InvalidInput("effective_month", f"起始月份“{effective_month}”格式不对，应写作 2026-07。") from exc
    rules = rules_from_form(session, values)
    existing = session.scalars(select(SubsidyRuleSet).where(
        SubsidyRuleSet.effective_month == effective_month.strip())).first()
    if existing is None:
        if version is not None:
            raise Conflict(f"{effective_month} 起的规则已被他人删除或改动，请刷新后再保存。")
        existing = SubsidyRuleSet(effective_month=effective_month.strip(), rules=rules.json(), note=rule_note.strip(),
                                  updated_by_id=actor.user_id)
        session.add(existing)
        action = "subsidy.rules_create"
    else:
        if version is None or version != existing.version:
            raise Conflict(f"{effective_month} 起适用的规则已存在或刚被他人修改，请刷新后再保存。")
        used = session.scalars(select(SubsidyStatement.month).where(
            SubsidyStatement.rule_set_id == existing.id).order_by(SubsidyStatement.month)).all()
        if used:
            raise InvalidInput("effective_month",
                               f"{effective_month} 起的规则已用于已出具的 {'、'.join(used)} 结算，不能再修改；"
                               "请新建一个自以后月份起适用的规则版本。")
        existing.rules = rules.json()
        existing.note = rule_note.strip()
        existing.updated_by_id = actor.user_id
        action = "subsidy.rules_change"
    session.flush()
    audit.record(session, actor, action, "subsidy_rules", existing.id,
                 {"effective_month": existing.effective_month, "rules": rules.json()})
    note(session, Changes(organisation=True))
    return RuleVersion(existing.id, existing.effective_month, rules, existing.note, existing.version)


# --------------------------------------------------------------------------- the computation


@dataclass
class _Case:
    row: DisputeCase
    dispute_type: str
    outcome: CaseState | None
    tier: str = "general"
    why: str = ""
    amount_fen: int = 0
    refusal: str = ""


def _outcome(session: Session, case_id: int) -> CaseState | None:
    return dossier.outcome(cases.case_detail(session, Actor.system("subsidies"), case_id))


def _chains(session: Session) -> dict[int, int]:
    """Each case that is linked as a repeat visit, or has repeats, to the first case of its chain."""
    links: dict[int, int] = {case_id: earlier for case_id, earlier in session.execute(
        select(DisputeCase.id, DisputeCase.repeat_of_id).where(DisputeCase.repeat_of_id.is_not(None)))
        if earlier is not None}
    roots: dict[int, int] = {}
    for start in links:
        seen = {start}
        node = start
        while node in links and links[node] not in seen:
            node = links[node]
            seen.add(node)
        roots[start] = node
        roots.setdefault(node, node)
    return roots


def _duplicate_of(session: Session, case: DisputeCase, roots: Mapping[int, int], paid: Sequence[str]) -> str:
    """The number of the earlier case of the same dispute that counts, or ""."""
    root = roots.get(case.id)
    if root is None:
        return ""
    members = [cid for cid, r in roots.items() if r == root and cid != case.id]
    if not members:
        return ""
    assert case.closed_at is not None
    earlier = session.scalars(select(DisputeCase).where(
        DisputeCase.id.in_(members), DisputeCase.state == CaseState.CLOSED, DisputeCase.closed_at.is_not(None))
        .order_by(DisputeCase.closed_at, DisputeCase.id)).all()
    for other in earlier:
        assert other.closed_at is not None
        if (other.closed_at, other.id) >= (case.closed_at, case.id):
            break
        ended = _outcome(session, other.id)
        if ended is not None and ended.value in paid:
            return other.number
    return ""


def _split(amount: int, count: int, lead_first: bool, rules: Rules) -> list[int]:
    """Shares of ``amount`` fen for ``count`` mediators (the first is the lead when
    ``lead_first``): they sum to ``amount`` exactly."""
    if count <= 0:
        return []
    if rules.split == "lead" and lead_first and count > 1:
        lead = amount * rules.lead_percent // 100
        rest = _split(amount - lead, count - 1, False, replace(rules, split="equal"))
        return [lead, *rest]
    base, extra = divmod(amount, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _share_text(count: int, lead_first: bool, rules: Rules, index: int) -> str:
    if count <= 1:
        return ""
    if rules.split == "lead" and lead_first:
        return (f"主办，按{rules.lead_percent}%" if index == 0
                else f"协办，{count - 1}人平分{100 - rules.lead_percent}%")
    return f"{count}人平分"


def _level_of(session: Session, center_id: int | None) -> str | None:
    """A township's or a village's own level (its rates); None for the county center, whose level
    is the setting (a desk file of one township center set it before centers carried a level)."""
    row = session.get(Center, center_id) if center_id is not None else None
    if row is None or row.parent_id is None:
        return None
    return row.level.value


def compute(session: Session, actor: Actor, month: str, *, level: str | None = None) -> MonthStatement:
    """A month's statement as the cases and the rules stand now (a draft: nothing is stored)."""
    permissions.require_role(actor, permissions.HEAD_ONLY, "计算以案定补结算")
    start, end = month_range(month)
    month = month.strip()
    rule_set = _rule_set_for(session, month)
    if rule_set is None:
        raise NotFound(f"{month} 没有适用的以案定补规则，请系统管理员先设定（起始月份不晚于 {month}）。")
    rules = Rules.from_json(rule_set.rules)
    if level is None:
        level = _level_of(session, _center_of(session, actor))
    level = level or center.get(session, settings.SUBSIDY_LEVEL)
    if level not in LEVELS:
        raise InvalidInput("level", f"层级“{level}”不对，应为 county（县级）、township（乡镇）或 village（村）。")
    types = dict(session.execute(select(DisputeType.id, DisputeType.name)).all())
    closed = session.scalars(select(DisputeCase).where(
        DisputeCase.state == CaseState.CLOSED, DisputeCase.closed_at >= start, DisputeCase.closed_at < end,
        DisputeCase.center_id == _center_of(session, actor))
        .order_by(DisputeCase.closed_at, DisputeCase.id)).all()
    roots = _chains(session) if rules.repeats_once else {}
    mediators = {m.id: m for m in session.scalars(select(Mediator))}
    #: Per mediator: (case, share in fen, how it was shared, why this mediator is not paid).
    per_mediator: dict[int | None, list[tuple[_Case, int, str, str]]] = {}

    for row in closed:
        case = _Case(row, types.get(row.dispute_type_id, ""), _outcome(session, row.id))
        reasons: list[str] = []
        if case.outcome is None or case.outcome.value not in rules.paid_outcomes:
            label = case.outcome.label if case.outcome is not None else "未载明"
            paid_labels = "、".join(OUTCOMES[o] for o in rules.paid_outcomes)
            reasons.append(f"办理结果为“{label}”，不在补贴范围（补贴{paid_labels}的案件）")
        elif rules.repeats_once:
            earlier = _duplicate_of(session, row, roots, rules.paid_outcomes)
            if earlier:
                reasons.append(f"与案件 {earlier} 为同一纠纷（重复来访），重复调解只计一次，已按该案计")
        if rules.require_complete_file:
            missing = dossier.completeness(session, row.id)
            if missing:
                reasons.append("卷宗不完整：" + "；".join(str(m) for m in missing))
        if rules.require_return_visit and session.scalar(
                select(ReturnVisit.id).where(ReturnVisit.case_id == row.id).limit(1)) is None:
            reasons.append("没有回访记录")
        sessions = len(session.scalars(select(MediationRecord.id).where(MediationRecord.case_id == row.id)).all())
        major = rules.major.met(row, case.dispute_type, sessions)
        difficult = rules.difficult.met(row, case.dispute_type, sessions)
        case.tier, met = ("major", major) if major else ("difficult", difficult) if difficult else ("general", [])
        case.why = "；".join(met)
        amount = rules.amounts.get(level, {}).get(case.tier, 0)
        if rules.case_cap_fen is not None and amount > rules.case_cap_fen:
            amount = rules.case_cap_fen
            case.why = (case.why + "；" if case.why else "") + f"按每案上限{yuan_text(amount)}元"
        case.amount_fen = amount
        case.refusal = "；".join(reasons)

        # The case's mediators, lead first.
        assigned = session.execute(select(CaseMediator.mediator_id, CaseMediator.role).where(
            CaseMediator.case_id == row.id).order_by(CaseMediator.assigned_at, CaseMediator.id)).all()
        ordered: list[int] = []
        if row.lead_mediator_id is not None:
            ordered.append(row.lead_mediator_id)
        ordered += [m for m, role in assigned if role is MediatorRole.LEAD and m not in ordered]
        ordered += [m for m, _role in assigned if m not in ordered]
        if not ordered:
            per_mediator.setdefault(None, []).append((case, 0, "", "没有承办调解员"))
            continue
        eligible = [m for m in ordered if m in mediators and mediators[m].active
                    and mediators[m].kind.value in rules.mediator_kinds]
        lead_first = bool(eligible) and eligible[0] == ordered[0] and (
            row.lead_mediator_id == ordered[0] or any(r is MediatorRole.LEAD for m, r in assigned if m == ordered[0]))
        shares = _split(case.amount_fen, len(eligible), lead_first, rules)
        for mediator_id in ordered:
            person = mediators.get(mediator_id)
            if mediator_id not in eligible:
                if person is None or not person.active:
                    why_not = "调解员未在册（已停用），不予补贴"
                else:
                    why_not = f"{person.kind.label}不在本规则的补贴范围"
                per_mediator.setdefault(mediator_id, []).append((case, 0, "", why_not))
                continue
            index = eligible.index(mediator_id)
            per_mediator.setdefault(mediator_id, []).append(
                (case, shares[index], _share_text(len(eligible), lead_first, rules, index), ""))

    statements: list[MediatorStatement] = []
    known: list[int] = sorted((k for k in per_mediator if k is not None), key=lambda k: (mediators[k].name, k))
    order: list[int | None] = [*known, *([None] if None in per_mediator else [])]
    for who in order:
        lines: list[SubsidyLine] = []
        paid_fen = paid_count = 0
        for case, share, share_text, own_refusal in per_mediator[who]:
            row = case.row
            assert row.closed_at is not None

            def line(amount_fen: int, refusal: str, share: str, row: DisputeCase = row,
                     case: _Case = case) -> SubsidyLine:
                assert row.closed_at is not None
                return SubsidyLine(case_number=row.number, title=row.title, closed_on=row.closed_at.date().isoformat(),
                                   tier=case.tier, why=case.why, amount_fen=amount_fen, refusal=refusal, share=share)

            refusal = "；".join(r for r in (own_refusal, case.refusal) if r)
            if refusal:
                lines.append(line(0, refusal, ""))
                continue
            if rules.monthly_case_cap is not None and paid_count >= rules.monthly_case_cap:
                lines.append(line(0, f"本月已达每人补贴案件数上限（{rules.monthly_case_cap}件）", share_text))
                continue
            pay = share
            capped = ""
            if rules.monthly_cap_fen is not None and paid_fen + share > rules.monthly_cap_fen:
                pay = max(0, rules.monthly_cap_fen - paid_fen)
                limit = yuan_text(rules.monthly_cap_fen)
                capped = (f"本月已达每人补贴上限（{limit}元）" if pay == 0
                          else f"达到每人每月上限{limit}元，核减{yuan_text(share - pay)}元")
            lines.append(line(pay, capped, share_text))
            paid_fen += pay
            paid_count += 1 if pay > 0 else 0
        person = mediators.get(who) if who is not None else None
        statements.append(MediatorStatement(who, person.name if person else "（未指定调解员）",
                                            person.kind.label if person else "", tuple(lines)))
    return MonthStatement(month=month, issuing_center=center.get(session, settings.CENTER_NAME), level=level,
                          rule_month=rule_set.effective_month, rule_lines=rules.lines(level),
                          mediators=tuple(statements))


# --------------------------------------------------------------------------- issued months


def _digest(statement: MonthStatement) -> str:
    data = statement_json(replace(statement, sha256=""))
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _center_of(session: Session, actor: Actor) -> int | None:
    """The center whose mediators a statement pays: the actor's own (a county head's statement is
    the county center's; each township issues its own), the county center for the system."""
    return actor.center_id if actor.center_id is not None else centers.root_id(session)


def _issued(session: Session, actor: Actor, month: str) -> tuple[ColumnElement[bool], ...]:
    """The statement row of ``month`` issued for the actor's center."""
    return SubsidyStatement.month == month.strip(), SubsidyStatement.center_id == _center_of(session, actor)


def issue(session: Session, actor: Actor, month: str, *, at: datetime | None = None) -> MonthStatement:
    """Compute the month and keep it as issued (the head); a month is issued once."""
    permissions.require_role(actor, permissions.HEAD_ONLY, "出具以案定补结算")
    month_range(month)
    month = month.strip()
    done = session.scalars(select(SubsidyStatement).where(*_issued(session, actor, month))).first()
    if done is not None:
        raise Conflict(f"{month} 的以案定补结算已于 {done.issued_at:%Y-%m-%d %H:%M} 出具，不能重复出具。")
    draft = compute(session, actor, month)
    rule_set = _rule_set_for(session, month)
    assert rule_set is not None
    moment = at or now()
    statement = replace(draft, issued_at=moment, issued_by=actor.display_name)
    statement = replace(statement, sha256=_digest(statement))
    header = statement_json(statement)
    parts = header.pop("mediators")
    header["mediators"] = [{"mediator_id": m["mediator_id"], "name": m["name"], "kind": m["kind"], "lines": [],
                            "paid": sum(1 for line in m["lines"] if line["amount_fen"] > 0),
                            "refused": sum(1 for line in m["lines"] if line["amount_fen"] == 0),
                            "total_fen": sum(line["amount_fen"] for line in m["lines"])} for m in parts]
    row = SubsidyStatement(center_id=_center_of(session, actor), month=month, level=statement.level,
                           rule_set_id=rule_set.id, issued_at=moment, issued_by_id=actor.user_id,
                           summary=header, total_fen=statement.total_fen, sha256=statement.sha256)
    session.add(row)
    session.flush()
    for seq, (part, mediator) in enumerate(zip(parts, statement.mediators, strict=True)):
        session.add(SubsidyStatementPart(statement_id=row.id, seq=seq, mediator_id=part["mediator_id"], content=part,
                                         paid_fen=mediator.total_fen))
    session.flush()
    audit.record(session, actor, "subsidy.issue", "subsidy_statement", row.id,
                 {"month": month, "total_fen": statement.total_fen, "sha256": statement.sha256})
    return statement


def _from_row(row: SubsidyStatement, parts: Sequence[SubsidyStatementPart] | None) -> MonthStatement:
    header = row.summary
    if parts is None:
        mediators = tuple(MediatorStatement(m["mediator_id"], m["name"], m["kind"], ()) for m in header["mediators"])
    else:
        mediators = tuple(mediator_from_json(p.content) for p in parts)
    issued = header.get("issued_at")
    return MonthStatement(month=row.month, issuing_center=header["issuing_center"], level=header["level"],
                          rule_month=header["rule_month"], rule_lines=tuple(header["rule_lines"]), mediators=mediators,
                          issued_at=datetime.fromisoformat(issued) if issued else row.issued_at,
                          issued_by=header.get("issued_by", ""), sha256=row.sha256,
                          notes=tuple(header.get("notes", ())))


@dataclass(frozen=True)
class IssuedSummary:
    """What the administrator may print of an issued month: per mediator counts and totals."""

    statement: MonthStatement
    #: mediator name → (cases paid, cases refused, total fen), in the statement's order.
    totals: tuple[tuple[str, str, int, int, int], ...]


def issued(session: Session, actor: Actor, month: str) -> MonthStatement | None:
    """The issued statement of the month, as the actor may see it (None: not issued): the head
    sees every mediator's part, a mediator only their own."""
    month_range(month)
    row = session.scalars(select(SubsidyStatement).where(*_issued(session, actor, month))).first()
    if row is None:
        return None
    if permissions.has_role(actor, permissions.HEAD_ONLY):
        parts = session.scalars(select(SubsidyStatementPart).where(SubsidyStatementPart.statement_id == row.id)
                                .order_by(SubsidyStatementPart.seq)).all()
        found = _from_row(row, parts)
        if _digest(found) != row.sha256:
            raise Conflict(f"{row.month} 已出具的以案定补结算与出具时的校验值不符，可能被改动，请联系系统管理员核查。")
        return found
    if actor.role is Role.MEDIATOR:
        if actor.mediator_id is None:
            raise PermissionDenied("您的账户没有关联调解员，无法查看以案定补结算。")
        parts = session.scalars(select(SubsidyStatementPart).where(
            SubsidyStatementPart.statement_id == row.id, SubsidyStatementPart.mediator_id == actor.mediator_id)).all()
        return _from_row(row, parts)
    raise PermissionDenied(f"“{actor.role.label}”无权查看以案定补结算的案件明细（只有中心主任和调解员本人可以）。")


def issued_summary(session: Session, actor: Actor, month: str) -> IssuedSummary | None:
    """The summary of an issued month (no case content): the head and the administrator."""
    permissions.require_role(actor, permissions.OVERSIGHT_ROLES, "查看以案定补结算汇总")
    month_range(month)
    row = session.scalars(select(SubsidyStatement).where(*_issued(session, actor, month))).first()
    if row is None:
        return None
    totals = tuple((m["name"], m["kind"], int(m["paid"]), int(m["refused"]), int(m["total_fen"]))
                   for m in row.summary["mediators"])
    return IssuedSummary(_from_row(row, None), totals)


def statement_for_print(session: Session, actor: Actor, month: str, *, today: date) -> MonthStatement:
    """What a print of the month shows: the issued statement if there is one; else a month that
    has ended is issued now (the print is what the 司法所 signs); else a draft (草稿)."""
    month_range(month)
    month = month.strip()
    found = issued(session, actor, month)
    if found is None:
        permissions.require_role(actor, permissions.HEAD_ONLY, "打印以案定补结算")
        found = issue(session, actor, month) if month < _month_of(today) else compute(session, actor, month)
    # Every print is in the audit log, as every export of the center's figures is.
    audit.record(session, actor, "subsidy.print", "subsidy_statement", None,
                 {"month": month, "draft": found.draft, "sha256": found.sha256})
    return found


# --------------------------------------------------------------------------- what the screens show


@dataclass(frozen=True)
class StatementRow:
    """One line of the statement screen: a mediator's case (or, for the administrator, a
    mediator's totals)."""

    mediator: str
    case_number: str
    title: str
    tier: str  # the tier's label
    notes: str  # why the tier, how it was shared
    amount_fen: int
    refusal: str


@dataclass(frozen=True)
class StatementPage:
    month: str
    #: "issued", "draft" (computed now: the month is not issued) or "none" (nothing to show).
    state: str
    rows: tuple[StatementRow, ...]
    total_fen: int
    rule_month: str = ""
    issued_at: datetime | None = None
    issued_by: str = ""
    #: Why there is nothing to show (no rules, not issued yet for a mediator …).
    message: str = ""


def _rows(statement: MonthStatement) -> tuple[StatementRow, ...]:
    return tuple(StatementRow(m.name, line.case_number, line.title, TIERS.get(line.tier, ""),
                              "；".join(x for x in (line.why, line.share) if x), line.amount_fen, line.refusal)
                 for m in statement.mediators for line in m.lines)


def statement_page(session: Session, actor: Actor, month: str) -> StatementPage:
    """The month as the actor's screen shows it: the head the issued statement or a draft computed
    now (viewing issues nothing), a mediator their own part of an issued month, the administrator
    the totals of an issued month."""
    month_range(month)
    month = month.strip()
    if actor.role is Role.ADMIN and not permissions.is_system(actor):
        found = issued_summary(session, actor, month)
        if found is None:
            return StatementPage(month, "none", (), 0, message="本月结算尚未由中心主任出具。")
        rows = tuple(StatementRow(name, "", "", "", f"补贴{paid}件，不予补贴{refused}件", fen, "")
                     for name, _kind, paid, refused, fen in found.totals)
        return _page(found.statement, rows, sum(t[4] for t in found.totals))
    if actor.role is Role.MEDIATOR:
        mine = issued(session, actor, month)
        if mine is None:
            return StatementPage(month, "none", (), 0, message="本月结算尚未出具，出具后可在此查看本人的结算单。")
        return _page(mine, _rows(mine), mine.total_fen)
    statement = issued(session, actor, month)
    if statement is None:
        if _rule_set_for(session, month) is None:
            return StatementPage(month, "none", (), 0,
                                 message=f"{month} 没有适用的以案定补规则，请系统管理员先设定。")
        statement = compute(session, actor, month)
    return _page(statement, _rows(statement), statement.total_fen)


def _page(statement: MonthStatement, rows: tuple[StatementRow, ...], total: int) -> StatementPage:
    return StatementPage(statement.month, "draft" if statement.draft else "issued", rows, total,
                         statement.rule_month, statement.issued_at, statement.issued_by)


@dataclass(frozen=True)
class Printable:
    """What a print of the month holds for the actor: the statement, and for the administrator
    the summary's totals only."""

    statement: MonthStatement
    totals: tuple[tuple[str, str, int, int, int], ...] | None = None


def printable(session: Session, actor: Actor, month: str, *, today: date) -> Printable:
    """The month to print (a write: the head's first print of an ended month issues it)."""
    if actor.role is Role.ADMIN and not permissions.is_system(actor):
        found = issued_summary(session, actor, month)
        if found is None:
            raise NotFound(f"{month} 的以案定补结算尚未由中心主任出具，暂无汇总可打印。")
        return Printable(found.statement, found.totals)
    if actor.role is Role.MEDIATOR:
        mine = issued(session, actor, month)
        if mine is None:
            raise NotFound(f"{month} 的以案定补结算尚未出具。")
        return Printable(mine)
    return Printable(statement_for_print(session, actor, month, today=today))


def will_issue(session: Session, actor: Actor, month: str, *, today: date) -> bool:
    """Whether printing the month now issues it (the head, an ended month not issued yet)."""
    month_range(month)
    return (permissions.has_role(actor, permissions.HEAD_ONLY) and month.strip() < _month_of(today)
            and session.scalar(select(SubsidyStatement.id).where(*_issued(session, actor, month))) is None)
