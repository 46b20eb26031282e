"""``mediation-desk calendar add|between|set``: working days by the statutory holidays (with the
weekend days worked in their place), and entering the State Council's holiday arrangement."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from mediation_desk.cli.args import bounded_int, iso_date, name_text
from mediation_desk.cli.context import CliContext, add_login, command
from mediation_desk.services import calendar as holidays
from mediation_desk.services import clocks


def _working_calendar(context: CliContext) -> holidays.WorkingCalendar:
    context.actor()  # the center's calendar is its data: read by a signed-in person
    with context.database().read() as session:
        working = holidays.WorkingCalendar.load(session)
        missing = holidays.uncovered_years(session, date.today())
    if missing:
        years = "、".join(str(y) for y in missing)
        print(f"注意：{years} 年的节假日安排尚未录入，这些年份按周一至周五计算。", file=sys.stderr)
    return working


@command
def cmd_calendar_add(context: CliContext) -> int:
    print(_working_calendar(context).add_working_days(context.args.date, context.args.days).isoformat())
    return 0


@command
def cmd_calendar_between(context: CliContext) -> int:
    print(_working_calendar(context).working_days_between(context.args.start, context.args.end))
    return 0


@command
def cmd_calendar_set(context: CliContext) -> int:
    args = context.args
    actor = context.actor()
    with context.database().write() as session:
        entry = holidays.set_entry(session, actor, args.date, is_workday=args.workday, name=args.name)
        moved = clocks.recompute_clocks_for(session, actor)  # as the app's holiday screen does
    kind = "调休上班" if entry.is_workday else "放假"
    later = "未办结案件的办理期限将在中心主任下次登录时重新计算。" if moved is None else \
        f"已重新计算 {moved} 件案件的办理期限。"
    print(f"已登记：{entry.day:%Y年%m月%d日} {entry.name} {kind}。{later}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    cal = sub.add_parser("calendar", help="按法定节假日（含调休）计算工作日")
    cal_sub = cal.add_subparsers(dest="calendar_command", required=True, metavar="子命令")
    p = cal_sub.add_parser("add", help="打印 DATE 之后第 N 个工作日")
    p.add_argument("date", metavar="日期", type=iso_date, help="起算日期 YYYY-MM-DD")
    p.add_argument("days", metavar="天数", type=bounded_int(-100_000, 100_000), help="工作日数（负数为向前）")
    add_login(p, "以哪个账户的身份查看中心的节假日安排")
    p.set_defaults(func=cmd_calendar_add)
    p = cal_sub.add_parser("between", help="打印 A 之后到 B（含）之间的工作日数")
    p.add_argument("start", metavar="起始日期", type=iso_date)
    p.add_argument("end", metavar="截止日期", type=iso_date)
    add_login(p, "以哪个账户的身份查看中心的节假日安排")
    p.set_defaults(func=cmd_calendar_between)
    p = cal_sub.add_parser("set", help="录入国务院公布的节假日安排中的一天（放假或调休上班）")
    p.add_argument("date", metavar="日期", type=iso_date)
    p.add_argument("name", metavar="节日名称", type=name_text(40), help="节日名称，如 春节")
    p.add_argument("--workday", action="store_true", help="这一天是调休上班日（缺省为放假）")
    add_login(p, "以哪个系统管理员账户的身份录入")
    p.set_defaults(func=cmd_calendar_set)
