"""``mediation-desk retention run [--dry-run]``: archive and purge closed cases whose 保管期限 ran out.

The services are imported when the command runs: ``mediation-desk --help`` does not load them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediation_desk.cli.args import path_text
from mediation_desk.cli.context import CliContext, add_login, command


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
    today = now().date()
    folder = Path(args.to) if args.to else default_folder()
    # The dry run is an audit entry too (the list it showed): both need a write session.
    with db.write() as session:
        report = retention.archive_expired(session, actor, today, folder, dry_run=args.dry_run,
                                           narrow_existing=not args.to)
    if not report.dry_run:
        note = retention.compact(db.writer)  # the deleted bytes leave the file (after the commit)
        if note:
            print(note, file=sys.stderr)
    if not report.expired:
        print(f"截至 {today:%Y-%m-%d}，没有保管期限届满的案卷。")
        return 0
    if report.dry_run:
        print(f"截至 {today:%Y-%m-%d}，保管期限届满的案卷 {len(report.expired)} 件（试运行，未做任何改动；"
              "清单已记入审计日志，24 小时内可由您本人正式运行）：")
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
    p.add_argument("--dry-run", action="store_true",
                   help="只列出到期案卷（清单记入审计日志），不做任何改动；正式运行前须先试运行")
    p.add_argument("--to", metavar="DIR", type=path_text,
                   help="归档目录（默认数据目录下的 archive）；新建为仅本人可访问，已有目录须仅本人可访问")
    add_login(p, "以哪个中心主任账户的身份运行")
    p.set_defaults(func=cmd_retention_run)
