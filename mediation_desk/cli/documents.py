"""``mediation-desk doc``: one of a case's documents as PDF (registration form, application,
notices, records, agreement, receipt, the whole dossier …)."""

from __future__ import annotations

import argparse

from mediation_desk.cli.args import bounded_int, out_file, text
from mediation_desk.cli.context import CliContext, add_login, command
from mediation_desk.documents.kinds import TITLES
from mediation_desk.files import write_atomically
from mediation_desk.services import dossier, printing

#: Row ids are 32-bit integers on PostgreSQL.
MAX_ROW_ID = 2 ** 31 - 1


@command
def cmd_doc(context: CliContext) -> int:
    args = context.args
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        pdf = dossier.render_document_by_number(session, actor, args.number, args.kind, document_id=args.id)
    # Written beside the target and renamed, so a reader never opens half a PDF.
    target = write_atomically(args.out, pdf)
    try:
        with db.write() as session:  # every export is audited: no entry, no file
            printing.record_export(session, actor, args.number, args.kind, pdf, document_id=args.id,
                                   target=target.name)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    print(f"{args.number}：{TITLES[args.kind]}已写入 {target}（{len(pdf):,} 字节）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("doc", help="生成案件文书 PDF：受理登记表、申请书、告知书、调查记录、调解记录、协议书、"
                                   "口头协议登记表、司法确认申请书、回访记录、受理回执、卷宗")
    p.add_argument("kind", choices=list(dossier.DOCUMENT_KINDS),
                   help="，".join(f"{k}={TITLES[k]}" for k in dossier.DOCUMENT_KINDS))
    p.add_argument("number", metavar="案号", type=text(60), help="案号，如 （2026）甘矛调字第0001号")
    p.add_argument("--out", required=True, type=out_file(".pdf"), help="写入的 PDF 文件")
    p.add_argument("--id", type=bounded_int(1, MAX_ROW_ID),
                   help="调查记录、调解记录、协议或回访记录的编号（默认最新的一份）")
    add_login(p, "以哪个账户的身份生成（卷宗的立卷人）")
    p.set_defaults(func=cmd_doc)
