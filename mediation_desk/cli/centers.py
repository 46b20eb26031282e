"""``mediation-desk centers enrolment`` and ``centers enrol``: setting up an offline township's desk
from the county's own center rows (``exchange.enrolment``, docs/crossings.md "Setting up a township
desk").

``centers enrolment`` runs at the county (its administrator) and writes the file; ``centers enrol``
applies it to the township's SQLite file. A new file has no account yet, so ``centers enrol`` runs
without a login until an account exists (as ``db upgrade`` does); after that only a signed-in
administrator applies one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.cli.args import out_file, path_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command


@command
def cmd_enrolment(context: CliContext) -> int:
    from mediation_desk.exchange.enrolment import write_enrolment

    args = context.args
    result = write_enrolment(context.database(), context.actor(), args.center, out=Path(args.out))
    chain = " → ".join(f"{c.name}（{c.prefix}）" for c in result.enrolment.centers)
    print(f"入驻文件已写入 {result.path}：{chain}，纠纷类型 {len(result.enrolment.dispute_types)} 个"
          f"（{result.size:,} 字节）")
    print(f"入驻文件编号 {result.enrolment_id}，SHA-256 {result.sha256}")
    print(f"在乡镇工作台上运行：mediation-desk centers enrol {result.path.name}")
    return 0


@command
def cmd_enrol(context: CliContext) -> int:
    from mediation_desk.exchange.enrolment import enrol
    from mediation_desk.models import Role
    from mediation_desk.services import auth
    from mediation_desk.services.actor import Actor

    args = context.args
    db = context.database()
    with db.read() as session:
        has_users = auth.has_users(session)
    if has_users or args.as_user:
        actor = context.actor()
        if actor.role is not Role.ADMIN:
            raise CliError(f"“{actor.display_name}”不是系统管理员：只有系统管理员可以导入入驻文件。")
        result = enrol(db, actor, Path(args.file))
    else:
        # A new desk: nobody to sign in as yet (the first administrator comes after the centers);
        # checked again in the transaction that applies the file.
        result = enrol(db, Actor.system("enrolment"), Path(args.file), no_accounts=True)
    print(result.message)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("centers", help="离线乡镇工作台的中心设置：县级生成入驻文件，乡镇导入")
    centers_sub = group.add_subparsers(dest="centers_command", metavar="操作", required=True)

    p = centers_sub.add_parser("enrolment",
                               help="（县级）为一个乡镇或村级中心生成入驻文件：县级中心和该中心的名称、层级、案号前缀及纠纷类型")
    p.add_argument("--center", required=True, type=text(40), help="该中心的案号前缀，例如 甘州梁家墩调")
    p.add_argument("--out", required=True, type=out_file(".zip"), help="入驻文件（.zip）")
    add_login(p, "以哪个系统管理员账户的身份生成")
    p.set_defaults(func=cmd_enrolment)

    p = centers_sub.add_parser("enrol",
                               help="（乡镇）导入县级生成的入驻文件：按县级新建或更正本库的中心，补齐纠纷类型；重复导入不作更改")
    p.add_argument("file", metavar="入驻文件", type=path_text, help="入驻文件（.zip）")
    add_login(p, "以哪个系统管理员账户的身份导入（新建的数据库尚无账户时无需登录）")
    p.set_defaults(func=cmd_enrol)
