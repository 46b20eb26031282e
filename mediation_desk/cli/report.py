"""``mediation-desk report monthly``: the monthly statistical report as PDF or XLSX;
``mediation-desk report levels``: the 矛盾纠纷排查调处情况表 by level (docs/statistics.md);
``mediation-desk report briefing``: the monthly risk briefing (风险研判) and the head's grades (docs/briefing.md).

    mediation-desk report monthly --month 2026-10 --out 十月统计.pdf
    mediation-desk report monthly --month 2026-10 --out 十月统计.xlsx --reporter 王晓燕 --responsible 陈志强
    mediation-desk report levels --month 2026-11 --pdf 分级.pdf --xlsx 分级.xlsx --as head --password-stdin
    mediation-desk report briefing --month 2026-11 --pdf 研判.pdf --as head --password-stdin
    mediation-desk report briefing --month 2026-11 --grade （2026）甘州调字第0012号=红 --reason 扬言报复 \\
        --as head --password-stdin
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from mediation_desk.cli.args import YEAR_RANGE, iso_date, month_key, name_text, out_file, text
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


_GRADES = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}


def _grade(value: str) -> tuple[str, str]:
    number, sep, grade = value.rpartition("=")
    grade = grade.strip()
    if not sep or not number.strip() or (grade not in _GRADES and grade not in _GRADES.values()):
        raise argparse.ArgumentTypeError(f"“{value[:60]}”应写作 案号=等级，等级为 红、橙、黄 或 蓝")
    return number.strip(), _GRADES.get(grade, grade)


@command
def cmd_report_briefing(context: CliContext) -> int:
    from mediation_desk.documents import briefing as document
    from mediation_desk.files import check_target, write_atomically
    from mediation_desk.models import RiskLevel
    from mediation_desk.services import briefing, cases, statistics

    args = context.args
    target = Path(args.pdf) if args.pdf else None
    if target is not None:
        if not target.parent.is_dir():
            raise CliError(f"目录“{target.parent}”不存在。")
        check_target(target)
    if args.grade and not (args.reason or "").strip():
        raise CliError("调整风险等级必须用 --reason 写明理由。")
    statistics.month_period(args.month)  # a bad month is refused before the database is opened
    db = context.database()
    actor = context.actor()
    if args.grade:
        number, grade = args.grade
        with db.write() as session:
            case_id = cases.case_detail_by_number(session, actor, number).id
            graded = briefing.set_grade(session, actor, case_id, args.month, RiskLevel(grade), args.reason,
                                        today=args.today)
        why = graded.adjust_reason if graded.adjusted else "按规则"
        shown = f"{graded.grade_text}（{why}）"
        print(f"{graded.number}：{shown}")
    with db.read() as session:
        result = briefing.load(session, actor, args.month, today=args.today)
    context.close()  # the file is made without the database
    if target is not None:
        data = document.render_pdf(result)
        write_atomically(target, data)
        try:
            with context.database().write() as session:  # every export is audited: no entry, no file
                briefing.record_export(session, actor, args.month, target=target.name)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    print(f"{result.month_text}矛盾纠纷风险研判（{result.center_name}）")
    print(f"本月收案 {result.received.value} 件（上月 {result.received_last.value} 件）；"
          f"可能民转刑 {result.criminal.value} 件；超期 {result.overdue.value} 件；亮牌 {result.carded.value} 件；"
          f"重复当事人 {len(result.repeat_parties)} 人；重复地点 {len(result.repeat_places)} 处")
    counts = result.grade_counts()
    print("风险分级：" + "，".join(f"{grade.label} {n} 件" for grade, n in counts.items()))
    for case in result.cases:
        if case.adjusted is not None:
            print(f"  {case.number}：{case.grade_text}（{case.adjust_reason}，{case.adjusted_by}）")
    if target is not None:
        print(f"PDF 已写入 {target}（{len(data):,} 字节）")
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
    p = group_sub.add_parser("briefing", help="矛盾纠纷风险研判报告（热点、重复当事人与地点、风险分级）")
    p.add_argument("--month", required=True, type=month_key, help="研判月份，如 2026-11")
    p.add_argument("--pdf", type=out_file(".pdf"), help="写出 PDF 文件（月度研判会用）")
    p.add_argument("--today", type=iso_date, help="超期统计日（默认：今天），如 2026-12-03")
    p.add_argument("--grade", type=_grade, help="调整一件案件的风险等级：案号=红/橙/黄/蓝（与建议等级相同则取消调整）")
    p.add_argument("--reason", type=text(500), help="调整理由（调整时必填）")
    add_login(p, "以哪个账户的身份生成（中心主任：本中心及下级中心）")
    p.set_defaults(func=cmd_report_briefing)
