"""``mediation-desk case list|show|act|witness|evidence``: the center's cases on the command line."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import asdict

from mediation_desk.cli.args import bounded_int, name_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.models import CaseState
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import audit, caselist, cases, evidence, reference, workflow


@command
def cmd_case_list(context: CliContext) -> int:
    args = context.args
    db = context.database()
    states = frozenset(CaseState(s) for s in args.state) if args.state else frozenset()
    query = caselist.CaseQuery(filter=CaseFilter(states=states), sort=caselist.SortKey(args.sort))
    actor = context.actor()
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, args.limit, total=total)
    with db.write() as session:  # the list read is audited, once per command
        caselist.record_query(session, actor, query, purpose="cli")

    def lines() -> Iterator[str]:
        for r in rows:
            yield f"{r.number}\t{r.state.label}\t{r.dispute_type}\t{r.received_at:%Y-%m-%d}\t{r.applicants}\t{r.title}"
        yield f"共 {total} 件，显示 {len(rows)} 件。"

    context.emit(lambda: {"total": total, "cases": [
        {k: v for k, v in asdict(r).items() if k != "sort_key"} for r in rows]}, lines())
    return 0


@command
def cmd_case_show(context: CliContext) -> int:
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        detail = cases.case_detail_by_number(session, actor, context.args.number)
    audit.record_access(db, actor, detail.id, purpose="cli")  # personal data shown

    def lines() -> Iterator[str]:
        yield f"{detail.number}  {detail.title}"
        yield (f"状态：{detail.state.label}  类型：{detail.dispute_type}  团队：{detail.team or '—'}  "
               f"承办：{detail.lead_mediator or '—'}")
        yield f"登记：{detail.received_at:%Y-%m-%d %H:%M}"
        for p in detail.parties:
            yield f"  {p.role.label}：{p.name}"
        yield "时间线："
        for e in detail.events:
            move = f"{e.from_state.label if e.from_state else ''}→{e.to_state.label if e.to_state else ''}"
            yield f"  {e.at:%Y-%m-%d %H:%M}  {e.user_name}  {move}  {e.note}"

    context.emit(lambda: asdict(detail), lines())
    return 0


@command
def cmd_case_act(context: CliContext) -> int:
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        if args.action == workflow.Action.ASSIGN:
            if not args.team:
                raise CliError("分派须用 --team 指定调解团队。")
            team = _choice(reference.teams(session), args.team, "调解团队")
            lead = _choice(reference.mediators(session), args.lead, "调解员") if args.lead else None
            cases.assign_case(session, actor, detail.id, team_id=team, lead_mediator_id=lead, note=args.note or "")
        else:
            workflow.transition(session, actor, detail.id, args.action, note=args.note or "")
        after = cases.case_detail(session, actor, detail.id).state
    print(f"{args.number}：{detail.state.label} → {after.label}")
    return 0


@command
def cmd_case_witness(context: CliContext) -> int:
    """A witness of the case, as the court summary lists them (CPL art. 124)."""
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        named_by = None
        if args.named_by:
            named_by = next((p.id for p in detail.parties if p.name == args.named_by), None)
            if named_by is None:
                raise CliError(f"--named-by：“{args.named_by}”不是本案当事人。当事人："
                               + "、".join(p.name for p in detail.parties))
        added = evidence.add_witness(session, actor, detail.id, evidence.WitnessInput(
            name=args.name, address=args.address, phone=args.phone or "", proves=args.proves, party_id=named_by))
    print(f"{args.number}：已登记证人{added.name}（第 {added.seq} 位）")
    return 0


@command
def cmd_case_evidence(context: CliContext) -> int:
    """Where a piece of evidence (an attachment of kind 证据材料) came from and what it proves."""
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        evidence.describe_evidence(session, actor, args.attachment, source=args.source, purpose=args.purpose,
                                   case_id=detail.id)
    print(f"{args.number}：已说明材料 {args.attachment} 的证据来源和证明目的")
    return 0


def _choice(choices: list[reference.Choice], name: str, what: str) -> int:
    for choice in choices:
        if choice.name == name:
            return choice.id
    raise CliError(f"没有名为“{name}”的{what}。可选：" + "、".join(c.name for c in choices))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    case = sub.add_parser("case", help="查看和办理案件")
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="子命令")
    p = case_sub.add_parser("list", help="列出案件（最新登记的在前）")
    p.add_argument("--state", action="append", choices=[s.value for s in CaseState], help="按状态筛选，可重复")
    p.add_argument("--sort", default="received", choices=[k.value for k in caselist.SortKey])
    p.add_argument("--limit", type=bounded_int(1, 1_000_000), default=50)
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户的身份查看（只列出其可见的案件）")
    p.set_defaults(func=cmd_case_list)
    p = case_sub.add_parser("show", help="显示一件案件")
    p.add_argument("number", metavar="案号", type=text(60), help="案号，如 （2026）甘矛调字第0001号")
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户的身份查看")
    p.set_defaults(func=cmd_case_show)
    p = case_sub.add_parser("act", help="对案件执行流程操作")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("action", choices=[a.value for a in workflow.Action],
                   help="，".join(f"{a.value}={t.label}" for a, t in workflow.TRANSITIONS.items()))
    p.add_argument("--note", type=text(2000, allow_empty=True), help="备注或理由")
    p.add_argument("--team", type=name_text(80), help="分派时的调解团队名称")
    p.add_argument("--lead", type=name_text(60), help="分派时的承办调解员姓名")
    add_login(p, "以哪个账户的身份操作")
    p.set_defaults(func=cmd_case_act)
    p = case_sub.add_parser("witness", help="登记证人（姓名、住址、能证明的事实），移送法院的案件情况摘要载明")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("--name", required=True, type=name_text(evidence.MAX_NAME), help="证人姓名")
    p.add_argument("--address", required=True, type=text(evidence.MAX_ADDRESS), help="证人住址")
    p.add_argument("--phone", type=text(evidence.MAX_PHONE, allow_empty=True), help="证人联系电话")
    p.add_argument("--proves", required=True, type=text(evidence.MAX_PROVES), help="证人能证明的事实")
    p.add_argument("--named-by", type=name_text(60), help="提出该证人的当事人姓名（不填：调解员查明）")
    add_login(p, "以哪个账户的身份登记")
    p.set_defaults(func=cmd_case_witness)
    p = case_sub.add_parser("evidence", help="说明一份证据材料的来源和证明目的")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("attachment", metavar="材料编号", type=bounded_int(1, 2 ** 31 - 1))
    p.add_argument("--source", required=True, type=text(evidence.MAX_SOURCE), help="证据来源")
    p.add_argument("--purpose", required=True, type=text(evidence.MAX_PURPOSE), help="证明目的")
    add_login(p, "以哪个账户的身份说明")
    p.set_defaults(func=cmd_case_evidence)

