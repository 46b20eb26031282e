"""``mediation-desk city``: a county publishes its report tables; the city subscribes and counts.

On a county's server (its administrator, once; docs/deployment.md “市级汇总”):

    mediation-desk city publish --code 620702 --name 甘州区 --as admin

On the city's server (its PostgreSQL superuser: subscriptions are the server's business, and the
city's database has no workbench accounts; its readers are PostgreSQL roles in md_city_viewer):

    mediation-desk --database postgresql:///city city init
    mediation-desk --database postgresql:///city city subscribe --county 620702 \\
        --conninfo 'host=10.62.7.2 dbname=mediation user=city_620702 sslmode=verify-full sslrootcert=…'
    mediation-desk --database postgresql:///city city status
    mediation-desk --database postgresql://viewer@city.example/city city figures --month 2026-10 [--json]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date
from typing import Any

from mediation_desk.cli.args import month_key, name_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command


def _server_connection(context: CliContext) -> Any:
    db = context.database(as_is=True)
    if db.is_sqlite:
        raise CliError("市级汇总库必须是 PostgreSQL 数据库：请用 --database postgresql://…/库名 指定市级服务器上的库。")
    return db.writer.connect().execution_options(isolation_level="AUTOCOMMIT")


@command
def cmd_publish(context: CliContext) -> int:
    from mediation_desk.services import city

    db = context.database()
    actor = context.actor()
    with db.write() as session:
        published = city.publish(session, actor, context.args.code, context.args.name)
    context.emit(lambda: published.__dict__, [
        f"本县向市级汇总发布：区县代码 {published.code}（{published.name}），案件 {published.cases} 件、"
        f"办结记录 {published.endings} 条、回访 {published.visits} 条（不含姓名、证件号码、电话、地址和文字内容）。"])
    return 0


@command
def cmd_init(context: CliContext) -> int:
    from mediation_desk.services import city

    with _server_connection(context) as conn:
        made = city.init_city(conn)
    print("市级汇总库已建立：" + ("新建了 " + "、".join(made) if made else "各表已存在，只读保护和查看组已核对")
          + f"；查看统计的数据库账户请加入 {city.VIEWER_ROLE} 组。")
    return 0


@command
def cmd_subscribe(context: CliContext) -> int:
    from mediation_desk.services import city

    args = context.args
    with _server_connection(context) as conn:
        name = city.subscribe(conn, args.county, args.conninfo)
    print(f"已订阅区县 {args.county}（{name}），订阅名 {city.subscription_name(args.county)}；首次复制在后台进行，"
          "用 city status 查看。")
    return 0


@command
def cmd_unsubscribe(context: CliContext) -> int:
    from mediation_desk.services import city

    args = context.args
    with _server_connection(context) as conn:
        removed = city.unsubscribe(conn, args.county, keep_rows=args.keep_rows)
    print(f"已取消订阅区县 {args.county}" + ("，其数据保留在市级库中。" if args.keep_rows
                                           else f"，并从市级库删除了它的 {removed} 件案件。"))
    return 0


@command
def cmd_status(context: CliContext) -> int:
    from mediation_desk.services import city

    with _server_connection(context) as conn:
        counties = city.status(conn)

    def lines() -> Iterator[str]:
        if not counties:
            yield "市级汇总库中还没有区县。"
        for c in counties:
            state = ("未订阅" if not c.subscription else "订阅中" if c.enabled else "订阅已停用")
            heard = f"，最近收到 {c.last_message:%Y-%m-%d %H:%M:%S}" if c.last_message else ""
            yield f"{c.code} {c.name or '（名称未到）'}：案件 {c.cases} 件，{state}{heard}"

    context.emit(lambda: [c.__dict__ for c in counties], lines())
    return 0


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def _row_json(row: Any) -> dict[str, Any]:
    return {"key": row.key, "label": row.label, "received": row.received, "ended": row.ended,
            "outcomes": {o.value: n for o, n in row.outcomes.items()}, "succeeded": row.succeeded,
            "failed": row.failed, "success_rate": row.success_rate, "on_time": row.on_time,
            "on_time_rate": row.on_time_rate, "amount": row.amount, "amount_cases": row.amount_cases,
            "group_disputes": row.group_disputes, "escalations_prevented": row.prevented,
            "visited": row.visited, "satisfied": row.satisfied, "satisfaction_rate": row.satisfaction_rate,
            "overdue": row.overdue}


@command
def cmd_figures(context: CliContext) -> int:
    from sqlalchemy.orm import Session

    from mediation_desk.models import now
    from mediation_desk.services import city, statistics

    args = context.args
    start, end = statistics.month_period(args.month)
    if args.to_month:
        end = statistics.month_period(args.to_month)[1]
    today = now().date() if not args.today else _day(args.today)
    with _server_connection(context) as conn:
        figs = city.figures(Session(bind=conn), start, end, today=today)

    def data() -> dict[str, Any]:
        return {"period_start": figs.period_start, "period_end": figs.period_end, "today": figs.today,
                "total": _row_json(figs.total), "by_county": [_row_json(r) for r in figs.by_county],
                "by_type": [_row_json(r) for r in figs.by_type], "by_month": [_row_json(r) for r in figs.by_month]}

    def table(title: str, rows: tuple[Any, ...]) -> Iterator[str]:
        yield f"{title}：收案 / 办结 / 成功 / 不成 / 调解成功率 / 按期调结率 / 涉及金额（元）"
        for r in rows:
            yield (f"  {r.label}：{r.received} / {r.ended} / {r.succeeded} / {r.failed} / {_percent(r.success_rate)}"
                   f" / {_percent(r.on_time_rate)} / {r.amount}")

    def lines() -> Iterator[str]:
        t = figs.total
        yield (f"全市 {figs.period_start:%Y-%m-%d} 至 {figs.period_end:%Y-%m-%d}："
               f"收案 {t.received} 件，办结 {t.ended} 件，"
               f"调解成功率 {_percent(t.success_rate)}，按期调结率 {_percent(t.on_time_rate)}，"
               f"回访满意率 {_percent(t.satisfaction_rate)}，群体性纠纷 {t.group_disputes} 件，"
               f"防止民转刑 {t.prevented} 件，涉及金额 {t.amount} 元，超期 {t.overdue} 件（{figs.today:%Y-%m-%d}）")
        yield from table("按区县", figs.by_county)
        yield from table("按纠纷类型", figs.by_type)
        if len(figs.by_month) > 1:
            yield from table("按月份", figs.by_month)

    context.emit(data, lines())
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"--today“{value}”格式不对，应写作 2026-11-05。") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("city", help="市级汇总：区县发布、市级订阅与统计（PostgreSQL 逻辑复制）")
    group_sub = group.add_subparsers(dest="city_command", required=True, metavar="子命令")

    p = group_sub.add_parser("publish", help="（区县服务器）设置本县向市级发布的区县代码和名称")
    p.add_argument("--code", required=True, type=text(20), help="区县代码，如行政区划代码 620702")
    p.add_argument("--name", required=True, type=name_text(80), help="区县名称，如 甘州区")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_login(p, "以哪个账户的身份设置（系统管理员）")
    p.set_defaults(func=cmd_publish)

    p = group_sub.add_parser("init", help="（市级服务器，超级用户）建立市级汇总库：汇总表、只读保护、查看组")
    p.set_defaults(func=cmd_init)

    p = group_sub.add_parser("subscribe", help="（市级服务器，超级用户）订阅一个区县的发布")
    p.add_argument("--county", required=True, type=text(20), help="区县代码，须与该区县 city publish 的一致")
    p.add_argument("--conninfo", required=True, type=text(500),
                   help="市级服务器连接区县数据库的 libpq 连接串，如 'host=… dbname=mediation user=city_620702 "
                        "sslmode=verify-full sslrootcert=…'（密码放在市级服务器 postgres 用户的 ~/.pgpass 中）")
    p.set_defaults(func=cmd_subscribe)

    p = group_sub.add_parser("unsubscribe", help="（市级服务器，超级用户）取消订阅一个区县")
    p.add_argument("--county", required=True, type=text(20), help="区县代码")
    p.add_argument("--keep-rows", action="store_true", help="保留该区县已复制到市级库的数据")
    p.set_defaults(func=cmd_unsubscribe)

    p = group_sub.add_parser("status", help="（市级服务器）各区县的订阅和案件数")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_status)

    p = group_sub.add_parser("figures", help="（市级服务器）全市统计：按区县、纠纷类型、月份")
    p.add_argument("--month", required=True, type=month_key, help="统计月份，如 2026-10（或起始月份）")
    p.add_argument("--to-month", type=month_key, help="结束月份（含），如 2026-12；不填则只统计 --month 一个月")
    p.add_argument("--today", type=text(20), help="超期案件按哪一天计，如 2026-11-05（默认今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_figures)
