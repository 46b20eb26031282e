"""``mediation-desk demo``: the invented demo center with its cases, in a new empty database."""

from __future__ import annotations

import argparse
import sys

from mediation_desk.cli.args import bounded_int
from mediation_desk.cli.context import CliContext, CliError, command

#: Largest demo center the command builds (the benchmarks use a million cases).
DEMO_MAX_CASES = 2_000_000


@command
def cmd_demo(context: CliContext) -> int:
    from mediation_desk import demo as demo_center

    args = context.args
    db = context.database(create=True)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r生成演示案件 {done}/{total}", end="", file=sys.stderr, flush=True)

    with db.write() as session:
        try:
            summary = demo_center.seed(session, args.cases, seed_value=args.seed, progress=progress,
                                       township_cases=args.township_cases, loop=True)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"演示中心已建立：{summary.departments} 个进驻部门，{summary.teams} 个调解团队，"
        f"{summary.mediators} 名调解员，{summary.users} 个账户，{summary.cases} 件案件。"
    )
    if summary.loop is not None:
        looped = summary.loop
        print(f"另有 {looped.orders} 张 12345 工单（本月 {looped.orders_worked} 张已签收），{looped.ratings} 条好差评，"
              f"{looped.stories} 件研判示例案件（重复来访、群体性纠纷、可能民转刑），{looped.cards} 张督办牌，"
              f"{looped.crossings} 条上下级流转。")
    if summary.townships:
        codes = "、".join(f"{code}_clerk、{code}_mediator、{code}_head" for _, _, code, _, _ in demo_center.TOWNSHIPS)
        print(f"下辖 {summary.townships} 个乡镇综治中心（{'、'.join(t[0] for t in demo_center.TOWNSHIPS)}），"
              f"共 {summary.township_cases} 件案件；乡镇账户：{codes}。")
    print("演示账户：" + "、".join(f"{u}（{r.label}）" for u, _, r in demo_center.DEMO_USERS)
          + f"，密码均为 {demo_center.DEMO_PASSWORD}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("demo", help="在新建的空数据库中生成演示中心和案件")
    p.add_argument("--cases", type=bounded_int(0, DEMO_MAX_CASES), default=300, help="演示案件数（默认 300）")
    p.add_argument("--township-cases", type=bounded_int(0, 10_000), default=10,
                   help="两个演示乡镇综治中心各自的案件数（默认 10；0 表示只建县级中心）")
    p.add_argument("--seed", type=bounded_int(0, 2 ** 32 - 1), default=2026, help="随机种子，相同种子生成相同数据")
    p.add_argument("--unencrypted", action="store_true",
                   help="新建的 SQLite 文件不加密（默认用 SQLCipher 加密，密钥存入系统钥匙串；仅供技术支持）")
    p.set_defaults(func=cmd_demo)
