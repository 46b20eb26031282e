"""``mediation-desk cards check|list``: the yellow and red cards (黄牌 / 红牌督办) of late stages.

``cards check`` is what a scheduled task runs once a day (docs/cards.md): it gives the cards due on
``--date`` (today by default: the computer's date is this command's clock) to the cases the
signed-in account sees; running it again, or beside the desks' own checks, gives nothing twice."""

from __future__ import annotations

import argparse
import time
from datetime import date

from mediation_desk.cli.args import iso_date
from mediation_desk.cli.context import CliContext, add_login, command
from mediation_desk.services import cards


def _card(card: cards.CardInfo) -> dict[str, object]:
    return {"id": card.id, "case": card.number, "title": card.title, "stage": card.stage.label,
            "card": card.label, "given_on": card.given_on, "due_on": card.due_on, "team": card.team,
            "department": card.department}


def _line(card: cards.CardInfo) -> str:
    return (f"{card.given_on:%Y-%m-%d}  {card.label}  {card.number}  {card.title}  {card.stage.label}"
            f"（期限 {card.due_on:%Y-%m-%d}）  督办：{card.addressed_to}")


@command
def cmd_cards_check(context: CliContext) -> int:
    actor = context.actor()
    from mediation_desk.models import now

    day: date = context.args.date or now().date()
    database = context.database()
    # The walk on a read, the cards written in short transactions of their own: the desks' saves
    # wait neither for the walk nor for the writes of a day many clocks turned (services.cards).
    with database.read() as session:
        due = cards.due_cards(session, actor, day)
    given: list[cards.CardInfo] = []
    for number, part in enumerate(due.parts()):
        if number:
            time.sleep(cards.GIVE_PAUSE)  # other desks waiting for the write lock go in between
        with database.write() as session:
            given += cards.give(session, actor, part).given
    result = cards.CheckResult(day, tuple(given))
    context.emit(lambda: {"day": result.day, "given": [_card(c) for c in result.given]},
                 [f"{result.day:%Y年%m月%d日}：新给予 {len(result.given)} 张督办牌。",
                  *(_line(c) for c in result.given)])
    return 0


@command
def cmd_cards_list(context: CliContext) -> int:
    actor = context.actor()
    with context.database().read() as session:
        found = cards.cards(session, actor, since=context.args.since)
    context.emit(lambda: [_card(c) for c in found],
                 [_line(c) for c in found] or ["没有督办牌。"])
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("cards", help="黄牌、红牌督办：检查并给予、列出")
    group_sub = group.add_subparsers(dest="cards_command", required=True, metavar="子命令")
    p = group_sub.add_parser("check", help="按某日的期限检查在办案件，给予到期的黄牌、红牌督办（可每日定时运行）")
    p.add_argument("--date", type=iso_date, metavar="日期", help="按哪一天检查（YYYY-MM-DD，缺省为今天）")
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户的身份检查（中心主任检查全部案件）")
    p.set_defaults(func=cmd_cards_check)
    p = group_sub.add_parser("list", help="列出本账户可见的督办牌，新的在前")
    p.add_argument("--since", type=iso_date, metavar="日期", help="只列出这一天及以后给予的")
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户的身份查看")
    p.set_defaults(func=cmd_cards_list)
