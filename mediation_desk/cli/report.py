"""``mediation-desk report monthly``: the monthly statistical report as PDF or XLSX;
``mediation-desk report levels``: the 矛盾纠纷排查调处情况表 by level (docs/statistics.md).

    mediation-desk report monthly --month 2026-10 --out 十月统计.pdf
    mediation-desk report monthly --month 2026-10 --out 十月统计.xlsx --reporter 王晓燕 --responsible 陈志强
    mediation-desk report levels --month 2026-11 --pdf 分级.pdf --xlsx 分级.xlsx --as head --password-stdin
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from mediation_desk.cli.args import YEAR_RANGE, month_key, name_text, out_file, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command

FORMATS = {".pdf": "PDF", ".xlsx": "XLSX"}


def _submitted_on(text: str | None) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CliError(f"报送日期“{text}”格式不对，应写作 2026-11-05。") from None
    if not YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1]:
        raise CliError(f"报送日期“{text}”的年份应在 {YEAR_RANGE[0]} 至 {YEAR_RANGE[1]} 年之间。")
    return day


@command
def cmd_report_monthly(context: CliContext) -> int:
    from mediation_desk.documents import report
    from mediation_desk.files import check_target, write_atomically
    from mediation_desk.services import statistics

    args = context.args
    target = Path(args.out)
    kind = FORMATS.get(target.suffix.lower())
    if kind is None:
        raise CliError(f"输出文件“{target.name}”的扩展名应为 .pdf 或 .xlsx。")
    if not target.parent.is_dir():
        raise CliError(f"目录“{target.parent}”不存在。")
    statistics.month_period(args.month)  # a bad month is refused before the database is opened
    submitted_on = _submitted_on(args.submitted_on)
    check_target(target)
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        monthly = statistics.load_monthly_report(session, actor, args.month, reporter=args.reporter or "",
                                                 responsible=args.responsible or "", submitted_on=submitted_on)
    context.close()  # the file is made without the database
    data = report.render_pdf(monthly) if kind == "PDF" else report.render_xlsx(monthly)
    # Written beside the target and renamed, so a reader never opens half a file.
    write_atomically(target, data)
    try:
        with context.database().write() as session:  # every export is audited: no entry, no file
            statistics.record_report_export(session, actor, args.month, target=target.name)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    figs = monthly.figures
    print(f"{monthly.month_text}人民调解工作统计表（{kind}）已写入 {target}（{len(data):,} 字节）："
          f"收案 {figs.received.count} 件，办结 {figs.by_result.total} 件，调解成功率 {figs.success_rate.text()}")
    return 0


def _levels_text(table: object) -> list[str]:
    from mediation_desk.readmodels.levels import COLUMNS, HEADINGS, SPAN_LABELS, LevelsTable, Span

    assert isinstance(table, LevelsTable)
    heads = ["".join(part for part in HEADINGS[c] if part) for c in COLUMNS]
    lines = ["\t".join(("单位", "期间", *heads))]
    for row in table.rows:
        for span in Span:
            lines.append("\t".join((row.name if span is Span.MONTH else "", SPAN_LABELS[span],
                                    *(str(f.value) for f in row.figures(span)))))
    return lines


@command
def cmd_report_levels(context: CliContext) -> int:
    from mediation_desk.documents import levels as document
    from mediation_desk.files import check_target, write_atomically
    from mediation_desk.readmodels.levels import Span
    from mediation_desk.services import levels, statistics

    args = context.args
    targets = [(Path(path), kind) for path, kind in ((args.pdf, "PDF"), (args.xlsx, "XLSX")) if path]
    for target, _kind in targets:
        if not target.parent.is_dir():
            raise CliError(f"目录“{target.parent}”不存在。")
        check_target(target)
    statistics.month_period(args.month)  # a bad month is refused before the database is opened
    submitted_on = _submitted_on(args.submitted_on)
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        table = levels.load(session, actor, args.month, reporter=args.reporter or "",
                            responsible=args.responsible or "", submitted_on=submitted_on)
    context.close()  # the files are made without the database
    written: list[tuple[Path, str, int]] = []
    try:
        for target, kind in targets:
            data = document.render_pdf(table) if kind == "PDF" else document.render_xlsx(table)
            write_atomically(target, data)
            written.append((target, kind, len(data)))
        with context.database().write() as session:  # every export is audited: no entry, no file
            for target, _kind, _size in written:
                levels.record_export(session, actor, args.month, target=target.name)
    except BaseException:
        for target, _kind, _size in written:
            target.unlink(missing_ok=True)
        raise
    print(f"{table.month_text}矛盾纠纷排查调处情况表（{table.center_name}）")
    for line in _levels_text(table):
        print(line)
    for target, kind, size in written:
        print(f"{kind} 已写入 {target}（{size:,} 字节）")
    month = table.total.figures(Span.MONTH)
    print(f"合计：本月排查 {month[0].value} 件，调处 {month[1].value} 件，成功 {month[2].value} 件")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("report", help="生成统计报表")
    group_sub = group.add_subparsers(dest="report_command", required=True, metavar="子命令")
    p = group_sub.add_parser("monthly", help="月度人民调解工作统计表（PDF 或 XLSX，按输出文件扩展名）")
    p.add_argument("--month", required=True, type=month_key, help="统计月份，如 2026-10")
    p.add_argument("--out", required=True, type=out_file(*FORMATS), help="输出文件：.pdf 或 .xlsx")
    p.add_argument("--reporter", type=name_text(60), help="填报人")
    p.add_argument("--responsible", type=name_text(60), help="负责人")
    p.add_argument("--submitted-on", type=text(40), help="报送日期，如 2026-11-05")
    add_login(p, "以哪个账户的身份生成（中心主任或管理员）")
    p.set_defaults(func=cmd_report_monthly)
    p = group_sub.add_parser("levels", help="矛盾纠纷排查调处情况表（分级：县、乡镇、村；本月与本年累计）")
    p.add_argument("--month", required=True, type=month_key, help="统计月份，如 2026-11")
    p.add_argument("--pdf", type=out_file(".pdf"), help="写出 PDF 文件")
    p.add_argument("--xlsx", type=out_file(".xlsx"), help="写出 XLSX 文件")
    p.add_argument("--reporter", type=name_text(60), help="填报人")
    p.add_argument("--responsible", type=name_text(60), help="审核人（默认：登录的中心主任）")
    p.add_argument("--submitted-on", type=text(40), help="填报日期，如 2026-12-03")
    add_login(p, "以哪个账户的身份生成（中心主任：本中心及下级中心）")
    p.set_defaults(func=cmd_report_levels)
