"""``mediation-desk hotline export``: the return file of the 12345 work orders (docs/hotline.md).

    mediation-desk hotline export --since 2026-11-01 --until 2026-12-01 --format csv --out 回传.csv
    mediation-desk hotline export --since last --format json --out 回传.json

Each order that changed in [--since, --until) is one row keyed by its order number, as it stands
now. ``--until`` defaults to now; the file's bounds are kept, and ``--since last`` continues from
the last file's ``--until``. The same bounds give the same bytes while nothing changed.
"""

from __future__ import annotations

import argparse
import errno

from mediation_desk.cli.args import bounded_int, out_file, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command

SUFFIXES = {"csv": ".csv", "json": ".json"}


@command
def cmd_hotline_export(context: CliContext) -> int:
    from pathlib import Path

    from mediation_desk.files import check_target, write_atomically
    from mediation_desk.services import hotline

    args = context.args
    target = Path(args.out)
    if target.suffix.lower() != SUFFIXES[args.format]:
        raise CliError(f"输出文件“{target.name}”的扩展名应为 {SUFFIXES[args.format]}（--format {args.format}）。")
    if not target.parent.is_dir():
        raise CliError(f"目录“{target.parent}”不存在。")
    # Bad times are refused before the database is opened.
    since = None if args.since == "last" else hotline.parse_moment(args.since, "since", "--since 起始时间")
    until = None if args.until is None else hotline.parse_moment(args.until, "until", "--until 截止时间")
    check_target(target)
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        if since is None:
            since = hotline.last_until(session, actor)
            if since is None:
                raise CliError("还没有导出过回传文件，没有“上次”可接续："
                               "请用 --since 写明起始时间，如 --since 2026-11-01。")
        returned = hotline.return_file(session, actor, since=since, until=until, fmt=args.format)
    try:
        write_atomically(target, returned.data)
    except OSError as error:
        reason = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘已满",
                  errno.EROFS: "所在磁盘只读"}.get(error.errno or 0, "该位置不能建立文件")
        raise CliError(f"参数 --out：无法写入输出文件“{target}”（{reason}），未导出，下次 --since last "
                       "仍从上次的截止时间接续。") from None
    try:
        with db.write() as session:  # the bounds are kept (and audited) only once the file is there
            hotline.record_export(session, actor, returned, target.name)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    print(f"12345 回传文件（{args.format.upper()}，{len(returned.orders)} 件工单，"
          f"{returned.since:%Y-%m-%d %H:%M:%S} 至 {returned.until:%Y-%m-%d %H:%M:%S}）已写入 {target}")
    return 0


@command
def cmd_hotline_weights(context: CliContext) -> int:
    from mediation_desk.services import hotline

    args = context.args
    given = (args.response, args.resolution, args.satisfaction)
    if any(v is not None for v in given) and not all(v is not None for v in given):
        raise CliError("三率权重须三项一起设置：--response、--resolution、--satisfaction（三者之和为 100）。")
    db = context.database()
    actor = context.actor()
    if all(v is not None for v in given):
        hotline.check_weights(*given)  # refused before anything is written
        with db.write() as session:
            hotline.set_weights(session, actor, *given)
    with db.read() as session:
        response, resolution, satisfaction = hotline.weights(session)
    print(f"12345 三率权重：响应率 {response}，解决率 {resolution}，满意率 {satisfaction}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("hotline", help="12345 热线工单：回传文件")
    group_sub = group.add_subparsers(dest="hotline_command", required=True, metavar="子命令")
    p = group_sub.add_parser("export", help="导出 12345 工单的回传文件（签收、联系、办理、办结、结果、回访、满意度）",
                             description=__doc__.split("\n\n")[2] if __doc__ else None)
    p.add_argument("--since", required=True, type=text(60),
                   help="起始时间（含），如 2026-11-01 或 2026-11-01T08:00:00+08:00；last 接续上次导出的截止时间")
    p.add_argument("--until", type=text(60), help="截止时间（不含），缺省为现在")
    p.add_argument("--format", required=True, choices=("csv", "json"), help="csv（UTF-8 带 BOM）或 json")
    p.add_argument("--out", required=True, type=out_file(".csv", ".json"), help="写入的文件")
    add_login(p, "以哪个账户的身份导出（受理员或中心主任，记入审计日志）")
    p.set_defaults(func=cmd_hotline_export)
    w = group_sub.add_parser("weights", help="查看或设置 12345 三率（响应率、解决率、满意率）的权重，三者之和为 100")
    w.add_argument("--response", type=bounded_int(0, 100), help="响应率权重（缺省 30）")
    w.add_argument("--resolution", type=bounded_int(0, 100), help="解决率权重（缺省 35）")
    w.add_argument("--satisfaction", type=bounded_int(0, 100), help="满意率权重（缺省 35）")
    add_login(w, "以哪个账户的身份查看或设置（中心主任或管理员，记入审计日志）")
    w.set_defaults(func=cmd_hotline_weights)
