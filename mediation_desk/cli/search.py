"""``mediation-desk search``: find cases by a name, an ID number or phone (or their last digits), a
case number or a word of the title or facts; best matches first (see services.search).

    mediation-desk search 张伟
    mediation-desk search 宅基地 --limit 10 --json
    mediation-desk search 1234 --as zhangsan --password-stdin
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from mediation_desk.cli.args import bounded_int, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command


@command
def cmd_search(context: CliContext) -> int:
    from mediation_desk.services import search

    args = context.args
    query = " ".join(args.text).strip()
    if not search.words_of(query):
        raise CliError("请输入要搜索的内容：当事人姓名、身份证号或电话（可只输后 4–6 位）、案号或案情中的词。")
    if args.limit < 1 or args.offset < 0:
        raise CliError("--limit 应为正整数，--offset 不能为负数。")
    db = context.database()
    actor = context.actor()
    with db.read() as session:
        total = search.count(session, actor, query)
        hits = search.search(session, actor, query, limit=args.limit, offset=args.offset)
    with db.write() as session:  # the search is audited, its words masked
        search.record_search(session, actor, query, offset=args.offset, limit=args.limit, purpose="cli")

    def lines() -> Iterator[str]:
        for h in hits:
            yield (f"{h.number}\t{h.state.label}\t{h.received_at:%Y-%m-%d}\t{'、'.join(h.parties)}\t{h.title}\t"
                   f"（{h.reason}）")
        if total == 0:
            yield f"没有找到与“{query}”相符的案件。"
        else:
            shown = f"第 {args.offset + 1}–{args.offset + len(hits)} 件" if hits else "本页无结果"
            yield f"共找到 {total} 件，显示{shown}（最相符的在前）。"

    context.emit(lambda: {
        "query": query, "words": list(search.words_of(query)), "total": total, "offset": args.offset,
        "cases": [
            {"id": h.case_id, "number": h.number, "title": h.title, "state": h.state,
             "state_label": h.state.label, "received_at": h.received_at, "parties": list(h.parties),
             "rank": h.rank, "reason": h.reason, "matched": list(h.matched)}
            for h in hits
        ],
    }, lines())
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    p = sub.add_parser("search", help="搜索案件：当事人姓名、证件号或电话（可只输后几位）、案号、案件名称或案情")
    p.add_argument("text", nargs="+", metavar="内容", type=text(200, allow_empty=True),
                   help="要找的内容；多个词须同时出现，特殊字符按字面查找")
    p.add_argument("--limit", type=bounded_int(1, 10_000), default=50, help="最多显示几件（默认 50）")
    p.add_argument("--offset", type=bounded_int(0, 100_000_000), default=0, help="跳过前几件（翻页）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_login(p, "以哪个账户的身份搜索（只见其可见的案件）")
    p.set_defaults(func=cmd_search)
