"""``mediation-desk publicity``: the monthly publicity list (公示) as a PDF.

An approved month prints its approved snapshot (the same content every time; its hash is
checked first). A month nobody approved yet prints the current list as a preview marked
"未审核" in the PDF's header and footer, with a warning on stderr, unless ``--approved-only``
is given, in which case nothing is written and the command fails (exit 2).
"""

from __future__ import annotations

import argparse
import sys

from mediation_desk.cli.args import month_key, out_file
from mediation_desk.cli.context import CliContext, CliError, add_login, command


@command
def cmd_publicity(context: CliContext) -> int:
    from pathlib import Path

    from mediation_desk.documents.publicity import write_publicity
    from mediation_desk.services import publicity

    args = context.args
    month = publicity.parse_month(args.month)
    target = Path(args.out)
    if not target.parent.is_dir():
        raise CliError(f"目录“{target.parent}”不存在。")
    db = context.database()
    actor = context.actor()
    with db.write() as session:  # each print is written to the audit log (of the actor's center's board)
        data = publicity.printable(session, actor, publicity.for_actor(month, actor), approved_only=args.approved_only)
    write_publicity(data, target)
    if data.approval is None:
        print(f"警告：{month.label}的公示名单未审核，已按当前数据生成预览（PDF 页眉标注“未审核”，不得张贴）。",
              file=sys.stderr)
    elif data.changes:
        print(f"警告：{len(data.changes)} 件案件在审核后有变动，需重新审核；本次仍按 "
              f"{data.approval.approved_at:%Y-%m-%d %H:%M} 审核的名单打印。", file=sys.stderr)
    state = "已审核" if data.approval is not None else "未审核预览"
    print(f"{month.label}公示名单（{state}，{len(data.rows)} 行）已写入 {target}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("publicity", help="生成月度案件受理及办结情况公示 PDF（当事人姓名化名）",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--month", required=True, type=month_key, help="公示月份，如 2026-10")
    p.add_argument("--out", required=True, type=out_file(".pdf"), help="写入的 PDF 文件")
    p.add_argument("--approved-only", action="store_true", help="只打印已审核的名单；未审核时不生成文件")
    add_login(p, "以哪个账户的身份打印（记入审计日志）")
    p.set_defaults(func=cmd_publicity)

