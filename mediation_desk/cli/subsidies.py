"""``mediation-desk subsidies statement``: a month's case-based subsidy statements (以案定补).

    mediation-desk subsidies statement --month 2026-11 --pdf 十一月补贴.pdf --xlsx 十一月补贴.xlsx --as head

The head gets every mediator's statement and the summary; a month that has ended is issued by
its first print and prints the same ever after (services/subsidies.py); a month still running
prints as a draft. A mediator gets their own statement of an issued month; the administrator the
summary of an issued month (names and totals, no cases).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.cli.args import month_key, out_file
from mediation_desk.cli.context import CliContext, CliError, add_login, command


@command
def cmd_subsidies_statement(context: CliContext) -> int:
    from mediation_desk.documents import subsidies as subsidy_doc
    from mediation_desk.files import check_target, write_atomically
    from mediation_desk.models import Role, now
    from mediation_desk.readmodels.subsidies import yuan_text
    from mediation_desk.services import subsidies

    args = context.args
    subsidies.month_range(args.month)  # a bad month is refused before the database is opened
    targets = [Path(p) for p in (args.pdf, args.xlsx) if p]
    for target in targets:
        check_target(target)
    db = context.database()
    actor = context.actor()
    summary_only = actor.role is Role.ADMIN
    with db.write() as session:
        if summary_only:
            found = subsidies.issued_summary(session, actor, args.month)
            if found is None:
                raise CliError(f"{args.month} 的以案定补结算尚未出具（由中心主任打印出具后，管理员可打印汇总）。")
            statement = found.statement
            totals = list(found.totals)
        elif actor.role is Role.MEDIATOR:
            mine = subsidies.issued(session, actor, args.month)
            if mine is None:
                raise CliError(f"{args.month} 的以案定补结算尚未出具。")
            statement = mine
            totals = subsidy_doc.summary_totals(statement)
        else:
            statement = subsidies.statement_for_print(session, actor, args.month, today=now().date())
            totals = subsidy_doc.summary_totals(statement)
    context.close()  # the files are made without the database
    if args.pdf:
        if summary_only:
            data = subsidy_doc.render_summary_pdf(statement, totals)
        else:
            data = subsidy_doc.render_pdf(statement, summary=actor.role is not Role.MEDIATOR)
        write_atomically(Path(args.pdf), data)
    if args.xlsx:
        if summary_only:
            raise CliError("管理员只能打印汇总表（PDF），案件明细请由中心主任导出。")
        write_atomically(Path(args.xlsx), subsidy_doc.render_xlsx(statement))
    state = "草稿（本月尚未结束，未出具）" if statement.draft else f"已出具，校验码 {statement.sha256[:16]}"
    grand = sum(fen for *_rest, fen in totals)

    def as_json() -> object:
        return {"month": statement.month, "rule_month": statement.rule_month, "level": statement.level,
                "draft": statement.draft, "sha256": statement.sha256, "total_fen": grand,
                "mediators": [{"name": n, "kind": k, "paid": p, "refused": r, "total_fen": f}
                              for n, k, p, r, f in totals]}

    context.emit(as_json, [
        f"{statement.month_text}以案定补结算（{state}）：适用 {statement.rule_month} 起的规则",
        *(f"  {name}：补贴 {paid} 件，不予补贴 {refused} 件，{yuan_text(fen)} 元"
          for name, _kind, paid, refused, fen in totals),
        f"  合计：{yuan_text(grand)} 元",
        *(f"已写入 {target}" for target in targets),
    ])
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("subsidies", help="以案定补：调解员补贴结算")
    group_sub = group.add_subparsers(dest="subsidies_command", required=True, metavar="子命令")
    p = group_sub.add_parser("statement", help="某月的补贴结算单和汇总表（PDF、XLSX）")
    p.add_argument("--month", required=True, type=month_key, help="结算月份，如 2026-11")
    p.add_argument("--pdf", type=out_file(".pdf"), help="写出 PDF 文件")
    p.add_argument("--xlsx", type=out_file(".xlsx"), help="写出 XLSX 文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出各调解员合计")
    add_login(p, "以哪个账户的身份打印（中心主任；调解员看本人；管理员看汇总）")
    p.set_defaults(func=cmd_subsidies_statement)
