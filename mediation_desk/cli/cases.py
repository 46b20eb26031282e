"""``mediation-desk case list|show|act|witness|evidence``: the center's cases on the command line."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import asdict

from sqlalchemy.orm import Session

from mediation_desk.cli.args import bounded_int, name_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.models import CaseState
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.readmodels.cases import CaseDetail
from mediation_desk.services import assignment, audit, caselist, cases, evidence, reference, workflow


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
        if args.action in (workflow.Action.ASSIGN, ROUTE):
            # The teams and people of the center handling the case (docs/crossings.md).
            offered = assignment.suggest(session, detail.id)
            teams = [reference.Choice(t.team_id, t.name) for t in offered.teams]
            people = [reference.Choice(m.mediator_id, m.name)
                      for m in assignment.mediator_options(session, offered.center_id)]
            if not args.team:
                raise CliError(f"{'改派' if args.action == ROUTE else '分派'}须用 --team 指定调解团队。")
            team = _choice(teams, args.team, "调解团队")
            lead = _choice(people, args.lead, "调解员") if args.lead else None
            if args.action == ROUTE:
                if lead is None:
                    raise CliError("改派须用 --lead 指定主办调解员。")
                assignment.route(session, actor, detail.id, team_id=team, lead_mediator_id=lead,
                                 note=args.note or "")
            else:
                cases.assign_case(session, actor, detail.id, team_id=team, lead_mediator_id=lead,
                                  note=args.note or "")
        else:
            workflow.transition(session, actor, detail.id, args.action, note=args.note or "")
        after_detail = cases.case_detail(session, actor, detail.id)
    after = after_detail.state
    if args.action == ROUTE:
        print(f"{args.number}：改派至{after_detail.team}（主办调解员{after_detail.lead_mediator}）")
        return 0
    print(f"{args.number}：{detail.state.label} → {after.label}")
    return 0


def _named_by(args: argparse.Namespace, detail: CaseDetail) -> int | None:
    named_by = next((p.id for p in detail.parties if p.name == args.named_by), None)
    if named_by is None:
        raise CliError(f"--named-by：“{args.named_by}”不是本案当事人。当事人："
                       + "、".join(p.name for p in detail.parties))
    return named_by


def _witness(session: Session, case_id: int, seq: int, number: str) -> evidence.WitnessInfo:
    found = evidence.witnesses_of(session, case_id)
    chosen = next((w for w in found if w.seq == seq), None)
    if chosen is None:
        listed = "、".join(f"第 {w.seq} 位 {w.name}" for w in found) or "本案尚未登记证人"
        raise CliError(f"证人序号 {seq}：{number} 没有这位证人（{listed}）。")
    return chosen


def _witness_line(w: evidence.WitnessInfo) -> str:
    named = f"（{w.named_by}提出）" if w.named_by else "（调解员查明）"
    phone = f"，联系电话：{w.phone}" if w.phone else ""
    return f"{w.seq}\t{w.name}{named}，住{w.address}{phone}。拟证明：{w.proves}"


@command
def cmd_case_witness(context: CliContext) -> int:
    """A witness of the case, as the court summary lists them (CPL art. 124)."""
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        named_by = _named_by(args, detail) if args.named_by else None
        added = evidence.add_witness(session, actor, detail.id, evidence.WitnessInput(
            name=args.name, address=args.address, phone=args.phone or "", proves=args.proves, party_id=named_by))
    print(f"{args.number}：已登记证人{added.name}（第 {added.seq} 位）")
    return 0


@command
def cmd_case_witness_edit(context: CliContext) -> int:
    """Correct a witness: only the options given change; the rest stays as recorded."""
    args = context.args
    db = context.database()
    actor = context.actor()
    if args.named_by and args.found_by_mediators:
        raise CliError("--named-by 与 --found-by-mediators 只能选一个。")
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        was = _witness(session, detail.id, args.seq, args.number)
        party_id = was.party_id
        if args.named_by:
            party_id = _named_by(args, detail)
        elif args.found_by_mediators:
            party_id = None
        data = evidence.WitnessInput(
            name=args.name if args.name is not None else was.name,
            address=args.address if args.address is not None else was.address,
            phone=args.phone if args.phone is not None else was.phone,
            proves=args.proves if args.proves is not None else was.proves, party_id=party_id)
        now = evidence.edit_witness(session, actor, was.id, data, expected_version=args.expect_version,
                                    case_id=detail.id)
    if now.version == was.version:
        print(f"{args.number}：证人{was.name}（第 {was.seq} 位）没有改动")
    else:
        print(f"{args.number}：已修改证人{now.name}（第 {now.seq} 位）")
    return 0


@command
def cmd_case_witness_remove(context: CliContext) -> int:
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        was = _witness(session, detail.id, args.seq, args.number)
        evidence.remove_witness(session, actor, was.id, case_id=detail.id)
    print(f"{args.number}：已删除证人{was.name}（第 {was.seq} 位）")
    return 0


@command
def cmd_case_witness_list(context: CliContext) -> int:
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        page = evidence.evidence_page(session, actor, detail.id)

    def lines() -> Iterator[str]:
        for w in page.witnesses:
            yield _witness_line(w)
        yield f"共 {len(page.witnesses)} 位证人。"
        for item in page.evidence:
            yield (f"材料 {item.id}\t{item.filename}\t证据来源：{item.source or '（未说明）'}\t"
                   f"证明目的：{item.purpose or '（未说明）'}")
        if page.read_only_reason:
            yield page.read_only_reason

    context.emit(lambda: {"witnesses": [asdict(w) for w in page.witnesses],
                          "evidence": [asdict(e) for e in page.evidence],
                          "may_write": page.may_write, "read_only_reason": page.read_only_reason}, lines())
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
                                   case_id=detail.id, expected_version=args.expect_version)
    print(f"{args.number}：已说明材料 {args.attachment} 的证据来源和证明目的")
    return 0


WITNESS_COMMANDS = frozenset({"add", "edit", "remove", "list", "-h", "--help"})


def witness_add_by_default(argv: list[str]) -> list[str]:
    """``case witness 案号 --name …`` (before witnesses could be corrected) still adds a witness:
    the word ``add`` is put in when the case number follows ``witness`` directly."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):  # the global options: --database URL
        i += 1 if "=" in argv[i] or argv[i] not in ("--database",) else 2
    if argv[i:i + 2] == ["case", "witness"] and len(argv) > i + 2 and argv[i + 2] not in WITNESS_COMMANDS:
        return [*argv[:i + 2], "add", *argv[i + 2:]]
    return argv


#: ``case act``'s 改派 (no transition: ``assignment.route``).
ROUTE = "route"


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
    p.add_argument("action", choices=[a.value for a in workflow.Action] + [ROUTE],
                   help="，".join(f"{a.value}={t.label}" for a, t in workflow.TRANSITIONS.items())
                   + f"，{ROUTE}=改派（已分派或调解中的案件交给承办中心的另一团队，须 --team 和 --lead）")
    p.add_argument("--note", type=text(2000, allow_empty=True), help="备注或理由")
    p.add_argument("--team", type=name_text(80), help="分派或改派时的调解团队名称（承办中心的团队）")
    p.add_argument("--lead", type=name_text(60), help="分派或改派时的承办调解员姓名（承办中心的调解员）")
    add_login(p, "以哪个账户的身份操作")
    p.set_defaults(func=cmd_case_act)
    witness = case_sub.add_parser("witness", help="证人（姓名、住址、能证明的事实），移送法院的案件情况摘要载明")
    witness_sub = witness.add_subparsers(dest="witness_command", required=True, metavar="子命令")
    p = witness_sub.add_parser("add", help="登记证人")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("--name", required=True, type=name_text(evidence.MAX_NAME), help="证人姓名")
    p.add_argument("--address", required=True, type=text(evidence.MAX_ADDRESS), help="证人住址")
    p.add_argument("--phone", type=text(evidence.MAX_PHONE, allow_empty=True), help="证人联系电话")
    p.add_argument("--proves", required=True, type=text(evidence.MAX_PROVES), help="证人能证明的事实")
    p.add_argument("--named-by", type=name_text(60), help="提出该证人的当事人姓名（不填：调解员查明）")
    add_login(p, "以哪个账户的身份登记")
    p.set_defaults(func=cmd_case_witness)
    p = witness_sub.add_parser("edit", help="修改证人（只改给出的项，其余不变）")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("seq", metavar="证人序号", type=bounded_int(1, 1_000_000), help="第几位证人（见 case witness list）")
    p.add_argument("--name", type=name_text(evidence.MAX_NAME), help="证人姓名")
    p.add_argument("--address", type=text(evidence.MAX_ADDRESS), help="证人住址")
    p.add_argument("--phone", type=text(evidence.MAX_PHONE, allow_empty=True), help="证人联系电话（空串：删去）")
    p.add_argument("--proves", type=text(evidence.MAX_PROVES), help="证人能证明的事实")
    p.add_argument("--named-by", type=name_text(60), help="提出该证人的当事人姓名")
    p.add_argument("--found-by-mediators", action="store_true", help="改为调解员查明的证人（无提出的当事人）")
    p.add_argument("--expect-version", type=bounded_int(1, 2 ** 31 - 1),
                   help="读取时的版本（见 case witness list --json）：他人已修改则拒绝，不覆盖")
    add_login(p, "以哪个账户的身份修改")
    p.set_defaults(func=cmd_case_witness_edit)
    p = witness_sub.add_parser("remove", help="删除证人")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("seq", metavar="证人序号", type=bounded_int(1, 1_000_000), help="第几位证人（见 case witness list）")
    add_login(p, "以哪个账户的身份删除")
    p.set_defaults(func=cmd_case_witness_remove)
    p = witness_sub.add_parser("list", help="列出证人和证据材料的来源、证明目的")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户的身份查看")
    p.set_defaults(func=cmd_case_witness_list)
    p = case_sub.add_parser("evidence", help="说明或更正一份证据材料的来源和证明目的")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("attachment", metavar="材料编号", type=bounded_int(1, 2 ** 31 - 1))
    p.add_argument("--source", required=True, type=text(evidence.MAX_SOURCE), help="证据来源")
    p.add_argument("--purpose", required=True, type=text(evidence.MAX_PURPOSE), help="证明目的")
    p.add_argument("--expect-version", type=bounded_int(0, 2 ** 31 - 1),
                   help="读取时的说明版本（0：未说明过；见 case witness list --json）：他人已修改则拒绝，不覆盖")
    add_login(p, "以哪个账户的身份说明")
    p.set_defaults(func=cmd_case_evidence)

