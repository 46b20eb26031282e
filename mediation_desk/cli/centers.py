"""``mediation-desk centers enrolment`` and ``centers enrol``: setting up an offline township's desk
from the county's own center rows (``exchange.enrolment``, docs/crossings.md "Setting up a township
desk"); ``centers profile``: the address, phone and committee name the signed-in head's or
administrator's own center prints on its papers (docs/centers.md "The papers a center issues").

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


@command
def cmd_profile(context: CliContext) -> int:
    from dataclasses import replace

    from mediation_desk.services import center

    args = context.args
    actor = context.actor()
    db = context.database()
    wanted = {name: value for name, value in (("address", args.address), ("phone", args.phone),
                                               ("committee", args.committee)) if value is not None}
    if wanted:
        with db.write() as session:
            center.set_profile(session, actor, replace(center.profile(session, actor.center_id), **wanted))
    with db.read() as session:
        kept = center.profile(session, actor.center_id)
        printed = center.center_issuer(session, actor.center_id)
    print(f"{'已保存' if wanted else '本中心'}（{printed.center_name}）文书上的信息：")
    print(f"  地址：{kept.address or '（未填写：文书上留一条线，手写）'}")
    print(f"  电话：{kept.phone or '（未填写：文书上留一条线，手写）'}")
    print(f"  人民调解委员会：{printed.committee}{'' if kept.committee else '（未填写，按中心名称）'}")
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

    p = centers_sub.add_parser("profile",
                               help="查看或设置本中心文书上的地址、电话和人民调解委员会名称（中心主任或系统管理员；"
                                    "不给选项则只查看，给空字符串则清空）")
    p.add_argument("--address", type=text(200, allow_empty=True), help="本中心地址，如 甘州区梁家墩镇政府院内")
    p.add_argument("--phone", type=text(40, allow_empty=True), help="本中心电话，如 0936-8561234")
    p.add_argument("--committee", type=text(80, allow_empty=True),
                   help="本中心人民调解委员会名称，如 梁家墩镇人民调解委员会；留空则按中心名称")
    add_login(p, "以哪个中心主任或系统管理员账户的身份")
    p.set_defaults(func=cmd_profile)
