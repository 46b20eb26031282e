"""``mediation-desk retention run [--dry-run]``: archive and purge closed cases whose 保管期限 ran out.

The services are imported when the command runs: ``mediation-desk --help`` does not load them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.cli.args import iso_date, path_text, text
from mediation_desk.cli.context import CliContext, CliError, command


def default_folder() -> Path:
    from mediation_desk import settings

    return Path(settings.data_dir()) / "archive"


@command
def cmd_retention_run(context: CliContext) -> int:
    from mediation_desk.models import now
    from mediation_desk.services import retention

    args = context.args
    db = context.database()
    actor = context.actor()
    today = args.today or now().date()
    folder = Path(args.to) if args.to else default_folder()
    if not args.dry_run:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CliError(f"无法创建归档目录“{folder}”：{error.strerror or error}") from None
    if args.dry_run:
        with db.read() as session:
            report = retention.archive_expired(session, actor, today, folder, dry_run=True)
    else:
        with db.write() as session:
            report = retention.archive_expired(session, actor, today, folder)
    if not report.expired:
        print(f"截至 {today:%Y-%m-%d}，没有保管期限届满的案卷。")
        return 0
    if report.dry_run:
        print(f"截至 {today:%Y-%m-%d}，保管期限届满的案卷 {len(report.expired)} 件（试运行，未做任何改动）：")
        for item in report.expired:
            closed = f"{item.closed_on:%Y-%m-%d}" if item.closed_on else "—"
            print(f"  {item.number}\t结案 {closed}\t保管至 {item.retain_until:%Y-%m-%d}")
        return 0
    for done in report.archived:
        print(f"  {done.number} → {done.folder}（卷宗 PDF、数据 JSON、{done.files} 个附件）")
    print(f"已归档 {len(report.archived)} 件到期案卷到 {folder}，并删除了其中的个人信息（案号保留）。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    parser = sub.add_parser("retention", help="保管期限：归档并删除到期的结案案卷")
    retention_sub = parser.add_subparsers(dest="retention_command", required=True, metavar="子命令")
    p = retention_sub.add_parser("run", help="把保管期限届满的案卷导出到归档目录（卷宗 PDF + 数据 JSON + 附件），"
                                             "再删除其中的个人信息；案号保留")
    p.add_argument("--dry-run", action="store_true", help="只列出到期案卷，不做任何改动")
    p.add_argument("--to", metavar="DIR", type=path_text, help="归档目录（默认数据目录下的 archive）")
    p.add_argument("--today", type=iso_date, help=argparse.SUPPRESS)
    p.add_argument("--as", dest="as_user", type=text(40), help="以哪个账户（中心主任或系统管理员）的身份运行；默认系统")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取该账户的密码")
    p.set_defaults(func=cmd_retention_run)
