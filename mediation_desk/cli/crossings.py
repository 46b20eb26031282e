"""``mediation-desk crossings list|report-up|assign|return|co-handle|feedback``: a case's steps
between centers (上报 / 交办 / 回退 / 联办 / 反馈, docs/crossings.md), as the signed-in account's
center. ``--uid`` makes a step idempotent (the same uid twice records one step)."""

from __future__ import annotations

import argparse
from datetime import date

from sqlalchemy.orm import Session

from mediation_desk.cli.args import iso_date
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.services import cases, centers, crossings


def _row(row: crossings.CrossingRow) -> dict[str, object]:
    c = row.crossing
    return {"id": c.id, "uid": c.uid, "case": c.case_number, "kind": c.kind.label, "from": c.from_center,
            "to": c.target, "reason": c.reason, "due_on": c.due_on, "working_days_left": row.days_left,
            "colour": row.colour.label if row.colour else None, "incoming": row.incoming, "open": c.open,
            "created_at": c.created_at, "closed_at": c.closed_at}


def _line(row: crossings.CrossingRow) -> str:
    c = row.crossing
    shade = f"[{row.colour.label}] " if row.colour else ""
    due = f"（{c.due_on:%Y-%m-%d} 前，剩余 {row.days_left} 个工作日）" if c.due_on and c.open else ""
    way = "收到" if row.incoming else "发出"
    return f"{shade}{way} {c.kind.label} {c.case_number}  {c.from_center} → {c.target}{due}  {c.reason}"


def _step(c: crossings.CrossingInfo) -> str:
    due = f"，期限 {c.working_days} 个工作日（{c.due_on:%Y-%m-%d} 前）" if c.due_on else ""
    return f"{c.case_number}：{c.kind.label} {c.from_center} → {c.target}{due}（流转编号 {c.uid}）"


def _case_id(session: Session, context: CliContext) -> int:
    return cases.case_detail_by_number(session, context.actor(), context.args.number).id


def _center(session: Session, name: str) -> int:
    found = [c.id for c in centers.list_centers(session) if name in (c.name, c.prefix)]
    if not found:
        listed = "、".join(c.name for c in centers.list_centers(session))
        raise CliError(f"--to：没有名为“{name}”的中心。中心：{listed}")
    return found[0]


@command
def cmd_crossings_list(context: CliContext) -> int:
    actor = context.actor()
    from mediation_desk.models import now

    day: date = context.args.date or now().date()
    with context.database().read() as session:
        rows = crossings.center_list(session, actor, today=day, open_only=not context.args.all)
    context.emit(lambda: [_row(r) for r in rows], [_line(r) for r in rows] or ["没有待答复的上下级流转。"])
    return 0


@command
def cmd_crossings_report_up(context: CliContext) -> int:
    args, actor = context.args, context.actor()
    with context.database().write() as session:
        done = crossings.report_up(session, actor, _case_id(session, context), reason=args.reason,
                                   materials=args.material or (), uid=args.uid)
    context.emit(lambda: {"id": done.id, "uid": done.uid}, [_step(done)])
    return 0


@command
def cmd_crossings_assign(context: CliContext) -> int:
    args, actor = context.args, context.actor()
    if (args.to is None) == (args.department is None):
        raise CliError("交办须用 --to 指定下级中心，或用 --department 指定驻点部门（二者选一）。")
    from mediation_desk.models import now

    with context.database().write() as session:
        to_center = _center(session, args.to) if args.to else None
        department = None
        if args.department:
            department = next((d.id for d in crossings.departments(session) if d.name == args.department), None)
            if department is None:
                raise CliError(f"--department：没有名为“{args.department}”的驻点部门。")
        done = crossings.assign(session, actor, _case_id(session, context), working_days=args.days,
                                reason=args.reason, to_center_id=to_center, department_id=department,
                                materials=args.material or (), uid=args.uid, today=args.date or now().date())
    context.emit(lambda: {"id": done.id, "uid": done.uid, "due_on": done.due_on}, [_step(done)])
    return 0


@command
def cmd_crossings_co_handle(context: CliContext) -> int:
    args, actor = context.args, context.actor()
    from mediation_desk.models import now

    with context.database().write() as session:
        targets = [_center(session, name) for name in args.center]
        done = crossings.co_handle(session, actor, _case_id(session, context), center_ids=targets,
                                   working_days=args.days, reason=args.reason, materials=args.material or (),
                                   uid=args.uid, today=args.date or now().date())
    context.emit(lambda: [{"id": d.id, "uid": d.uid, "due_on": d.due_on} for d in done], [_step(d) for d in done])
    return 0


@command
def cmd_crossings_return(context: CliContext) -> int:
    args, actor = context.args, context.actor()
    with context.database().write() as session:
        done = crossings.return_case(session, actor, _case_id(session, context), reason=args.reason, uid=args.uid)
    context.emit(lambda: {"id": done.id, "uid": done.uid}, [_step(done)])
    return 0


@command
def cmd_crossings_feedback(context: CliContext) -> int:
    args, actor = context.args, context.actor()
    with context.database().write() as session:
        done = crossings.feedback(session, actor, _case_id(session, context), text=args.text, uid=args.uid)
    context.emit(lambda: {"id": done.id, "uid": done.uid}, [_step(done)])
    return 0


def _common(p: argparse.ArgumentParser, doing: str) -> None:
    p.add_argument("number", metavar="案号", help="案件的案号")
    p.add_argument("--uid", metavar="流转编号", help="这一步的唯一编号（重放同一编号不重复记录）")
    p.add_argument("--json", action="store_true")
    add_login(p, f"以哪个账户的身份{doing}（其所在中心办理）")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    group = sub.add_parser("crossings", help="上下级流转：上报、交办、回退、联办、反馈")
    group_sub = group.add_subparsers(dest="crossings_command", required=True, metavar="子命令")
    p = group_sub.add_parser("list", help="列出本中心待答复的上下级流转（收到和发出的，带红黄绿）")
    p.add_argument("--all", action="store_true", help="也列出已答复的")
    p.add_argument("--date", type=iso_date, metavar="日期", help="按哪一天计算红黄绿（YYYY-MM-DD，缺省为今天）")
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户的身份查看")
    p.set_defaults(func=cmd_crossings_list)

    p = group_sub.add_parser("report-up", help="上报：把案件报送上级中心办理")
    p.add_argument("--reason", required=True, metavar="理由", help="上报理由")
    p.add_argument("--material", type=int, action="append", metavar="材料编号", help="随附的案件材料（可多次）")
    _common(p, "上报")
    p.set_defaults(func=cmd_crossings_report_up)

    p = group_sub.add_parser("assign", help="交办：把案件交下级中心或驻点部门办理，限期若干工作日")
    p.add_argument("--to", metavar="中心", help="下级中心的名称或案号前缀")
    p.add_argument("--department", metavar="部门", help="驻点部门的名称")
    p.add_argument("--days", type=int, required=True, metavar="工作日", help="办理期限（工作日）")
    p.add_argument("--reason", required=True, metavar="事项", help="交办事项和要求")
    p.add_argument("--material", type=int, action="append", metavar="材料编号", help="随附的案件材料（可多次）")
    p.add_argument("--date", type=iso_date, metavar="日期", help="期限从哪一天起算（缺省为今天）")
    _common(p, "交办")
    p.set_defaults(func=cmd_crossings_assign)

    p = group_sub.add_parser("co-handle", help="联办：请若干下级中心联合办理，各自反馈")
    p.add_argument("--center", action="append", required=True, metavar="中心", help="联办中心（可多次）")
    p.add_argument("--days", type=int, required=True, metavar="工作日", help="反馈期限（工作日）")
    p.add_argument("--reason", required=True, metavar="事项", help="联办事项和要求")
    p.add_argument("--material", type=int, action="append", metavar="材料编号", help="随附的案件材料（可多次）")
    p.add_argument("--date", type=iso_date, metavar="日期", help="期限从哪一天起算（缺省为今天）")
    _common(p, "发起联办")
    p.set_defaults(func=cmd_crossings_co_handle)

    p = group_sub.add_parser("return", help="回退：把上报或交办给本中心的案件退回，须说明理由")
    p.add_argument("--reason", required=True, metavar="理由", help="回退理由")
    _common(p, "回退")
    p.set_defaults(func=cmd_crossings_return)

    p = group_sub.add_parser("feedback", help="反馈：答复联办，或报告交办的案件已办结")
    p.add_argument("--text", required=True, metavar="内容", help="反馈内容")
    _common(p, "反馈")
    p.set_defaults(func=cmd_crossings_feedback)
