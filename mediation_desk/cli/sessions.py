"""``mediation-desk sessions ics``: a mediator's mediation sessions as an iCalendar file.

Each session is one event in Asia/Shanghai time, with a UID that stays the session's for its
life: a calendar that imports the file again updates the events it has (a moved session moves)
instead of adding copies.

    mediation-desk sessions ics --mediator 李建国 --out 李建国.ics --as head --password-stdin
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from mediation_desk.cli.args import bounded_int, iso_date, name_text, out_file
from mediation_desk.cli.context import CliContext, CliError, add_login, command


@command
def cmd_sessions_ics(context: CliContext) -> int:
    from mediation_desk.files import write_atomically
    from mediation_desk.services import sessions

    args = context.args
    from mediation_desk.models import now

    start: date = args.start or now().date()
    end: date = args.end or start + timedelta(days=args.days - 1)
    if end < start:
        raise CliError(f"--to（{end:%Y-%m-%d}）早于 --from（{start:%Y-%m-%d}）。")
    actor = context.actor()
    with context.database().write() as session:  # each export is written to the audit log
        mediator_id = sessions.mediator_named(session, args.mediator)
        data = sessions.mediator_ics(session, actor, mediator_id, start=start, end=end)
    write_atomically(args.out, data, private=False)
    count = data.count(b"BEGIN:VEVENT")
    print(f"已将 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 的 {count} 次调解会写入 {args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("sessions", help="调解会日程")
    group_sub = group.add_subparsers(dest="sessions_command", required=True, metavar="子命令")
    p = group_sub.add_parser("ics", help="把一名调解员的调解会导出为 iCalendar（.ics）日历文件",
                             description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--mediator", required=True, type=name_text(), help="调解员姓名或编号")
    p.add_argument("--out", required=True, type=out_file(".ics"), help="写入的日历文件（.ics）")
    p.add_argument("--from", dest="start", type=iso_date, help="起始日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--to", dest="end", type=iso_date, help="截止日期 YYYY-MM-DD（含当天；默认起始日起 --days 天）")
    p.add_argument("--days", type=bounded_int(1, 366), default=90, help="未给 --to 时导出的天数（默认 90）")
    add_login(p, "以哪个账户的身份导出（调解员只能导出本人的）")
    p.set_defaults(func=cmd_sessions_ics)
