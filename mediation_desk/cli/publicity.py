"""``mediation-desk publicity``: the monthly publicity list (公示) as a PDF, or as a web page.

An approved month prints its approved snapshot (the same content every time; its hash is
checked first). A month nobody approved yet prints the current list as a preview marked
"未审核" in the PDF's header and footer, with a warning on stderr, unless ``--approved-only``
is given, in which case nothing is written and the command fails (exit 2).

``--html DIR`` writes the approved list as a static web page (``DIR/index.html``) for the
center's website: only an approved month, never a preview. DIR must be new or empty; ``--force``
replaces a page written there before (docs/publicity.md).

``publicity approve --month M --yes`` is the head's 审核 of the app's publicity section: the
month's list of the head's own center, as it reads now, kept as its approved snapshot (the same
service; irreversible, hence ``--yes`` where the app asks first).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from typing import TYPE_CHECKING

from mediation_desk.cli.args import month_key, out_file, path_text
from mediation_desk.cli.context import CliContext, CliError, add_login, command

if TYPE_CHECKING:
    from pathlib import Path

    from mediation_desk.documents.publicity import Progress
    from mediation_desk.readmodels.publicity import Month


@command
def cmd_publicity(context: CliContext) -> int:
    from pathlib import Path

    from mediation_desk.services import publicity

    args = context.args
    if args.action == "approve":
        return _approve(context)
    month = publicity.parse_month(args.month)
    if args.out is None and args.html is None:
        raise CliError("请用 --out 指定公示 PDF 文件，或用 --html 指定公示网页的文件夹"
                       "（审核名单用 publicity approve --month 月份 --yes）。")
    if args.html is not None:
        return _web_page(context, month, Path(args.html))
    from mediation_desk.documents.publicity import write_publicity

    target = Path(args.out)
    if not target.parent.is_dir():
        raise CliError(f"目录“{target.parent}”不存在。")
    db = context.database()
    actor = context.actor()
    with db.write() as session:  # each print is written to the audit log (of the actor's center's board)
        data = publicity.printable(session, actor, publicity.for_actor(month, actor), approved_only=args.approved_only)
    write_publicity(data, target, progress=_progress_on_terminal())
    if data.approval is None:
        print(f"警告：{month.label}的公示名单未审核，已按当前数据生成预览（PDF 页眉标注“未审核”，不得张贴）。",
              file=sys.stderr)
    elif data.changes:
        print(f"警告：{len(data.changes)} 件案件在审核后有变动，需重新审核；本次仍按 "
              f"{data.approval.approved_at:%Y-%m-%d %H:%M} 审核的名单打印。", file=sys.stderr)
    state = "已审核" if data.approval is not None else "未审核预览"
    print(f"{month.label}公示名单（{state}，{len(data.rows)} 行）已写入 {target}")
    return 0


def _progress_on_terminal() -> Progress | None:
    """On a terminal, how far the PDF is (a county's month runs to thousands of pages and half a
    minute): one line of stderr, rewritten at most twice a second. Nothing when stderr is a file
    or a pipe (logs and scripts get only the result)."""
    stream = sys.stderr
    if not stream.isatty():
        return None
    last = -math.inf

    def told(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= 0.5:
            last = now
            stream.write(f"\r正在生成公示 PDF：第 {done:,} / {total:,} 页…")
            if done == total:
                stream.write("\n")
            stream.flush()
    return told


def _approve(context: CliContext) -> int:
    from mediation_desk.services import publicity

    args = context.args
    for given, name in ((args.out, "--out"), (args.html, "--html"), (args.approved_only or None, "--approved-only"),
                        (args.force or None, "--force")):
        if given is not None:
            raise CliError(f"publicity approve 只审核名单，不生成文件，不能与 {name} 同用。")
    month = publicity.parse_month(args.month)
    if not args.yes:
        raise CliError(f"审核后，{month.label}的名单即按现在的内容存档为本月公示名单，不能撤回。"
                       "确认审核请加 --yes。")
    db = context.database()
    actor = context.actor()
    with db.write() as session:  # audited as publicity.approve, as from the app
        approval = publicity.approve(session, actor, publicity.for_actor(month, actor))
    print(f"{month.label}公示名单已审核：{approval.case_count} 件案件，审核人 {approval.approved_by or '—'}，"
          f"{approval.approved_at:%Y-%m-%d %H:%M}，校验值 {approval.sha256[:16]}…")
    return 0


def _web_page(context: CliContext, month: Month, folder: Path) -> int:
    from mediation_desk.documents.publicpage import write_page
    from mediation_desk.services import publicity

    args = context.args
    if not folder.parent.is_dir():
        raise CliError(f"--html 的上级目录“{folder.parent}”不存在。")
    if folder.exists() and not folder.is_dir():
        raise CliError(f"--html“{folder}”已存在且不是文件夹。")
    if folder.is_dir() and any(folder.iterdir()) and not args.force:
        raise CliError(f"--html 文件夹“{folder}”不是空的。请换一个空文件夹，"
                       "或加 --force 用新生成的网页替换其中的旧网页。")
    db = context.database()
    actor = context.actor()
    with db.write() as session:  # each page is written to the audit log
        page = publicity.public_page(session, actor, publicity.for_actor(month, actor))
    index = write_page(page, folder, force=args.force)
    data = page.listing
    if data.changes and data.approval is not None:
        print(f"警告：{len(data.changes)} 件案件在审核后有变动，需重新审核；本次仍按 "
              f"{data.approval.approved_at:%Y-%m-%d %H:%M} 审核的名单生成网页。", file=sys.stderr)
    if page.feedback.empty:
        print("警告：中心未设置地址、电话和公示意见反馈邮箱，网页上只写“请到本中心当面反映”。", file=sys.stderr)
    print(f"{month.label}公示网页（已审核，{len(data.rows)} 行）已写入 {index}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("publicity", help="生成月度案件受理及办结情况公示 PDF 或网页（当事人姓名化名）",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("action", nargs="?", choices=("approve",), metavar="approve",
                   help="审核该月名单（中心主任；与在“公示”中点“审核”相同，审核后不能撤回，须加 --yes）")
    p.add_argument("--month", required=True, type=month_key, help="公示月份，如 2026-10")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--out", type=out_file(".pdf"), help="写入的 PDF 文件")
    target.add_argument("--html", metavar="DIR", type=path_text,
                        help="写入公示网页（index.html）的文件夹：只发布已审核的名单；文件夹须为新的或空的")
    p.add_argument("--approved-only", action="store_true", help="只打印已审核的名单；未审核时不生成文件")
    p.add_argument("--force", action="store_true", help="与 --html 同用：替换该文件夹中以前生成的公示网页")
    p.add_argument("--yes", action="store_true", help="与 approve 同用：确认审核（审核后不能撤回）")
    add_login(p, "以哪个账户的身份打印或审核（记入审计日志）")
    p.set_defaults(func=cmd_publicity)
