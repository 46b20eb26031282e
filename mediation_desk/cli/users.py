"""``mediation-desk user add|passwd|list``: the center's accounts, managed as the system."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from datetime import datetime

from mediation_desk.cli.args import name_text, text
from mediation_desk.cli.context import CliContext, CliError, command
from mediation_desk.models import Role
from mediation_desk.services import auth


def _new_password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    """One line of stdin with ``--password-stdin``, else typed twice on the terminal."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再次输入：") != first:
        raise CliError("两次输入的密码不一致。")
    return first


@command
def cmd_user_add(context: CliContext) -> int:
    args = context.args
    db = context.database()
    password = _new_password(args)
    with db.write() as session:
        info = auth.create_user(
            session, context.actor(), username=args.username, display_name=args.name,
            role=Role(args.role), password=password, must_change_password=not args.no_change,
        )
    print(f"已创建账户 {info.username}（{info.display_name}，{info.role.label}）。")
    return 0


@command
def cmd_user_passwd(context: CliContext) -> int:
    args = context.args
    db = context.database()
    password = _new_password(args, "新密码：")
    with db.write() as session:
        auth.set_password(session, context.actor(), args.username, password)
    print(f"已重设 {args.username} 的密码；下次登录时须修改。")
    return 0


@command
def cmd_user_list(context: CliContext) -> int:
    with context.database().read() as session:
        users = auth.list_users(session, context.actor())
    context.emit(lambda: [asdict(u) for u in users], (
        f"{u.username:<16}{u.display_name:<10}{u.role.label:<8}"
        + ("停用" if not u.active else ("锁定" if u.locked_until and u.locked_until > datetime.now() else "正常"))
        for u in users))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    user = sub.add_parser("user", help="管理用户账户")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="子命令")
    p = user_sub.add_parser("add", help="新建账户")
    p.add_argument("username", metavar="用户名", type=text(40))
    p.add_argument("--name", required=True, type=name_text(60), help="姓名")
    p.add_argument("--role", required=True, choices=[r.value for r in Role],
                   help="角色：" + "，".join(f"{r.value}={r.label}" for r in Role))
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    p.add_argument("--no-change", action="store_true", help="首次登录时不要求修改密码")
    p.set_defaults(func=cmd_user_add)
    p = user_sub.add_parser("passwd", help="重设账户密码")
    p.add_argument("username", metavar="用户名", type=text(40))
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    p.set_defaults(func=cmd_user_passwd)
    p = user_sub.add_parser("list", help="列出账户")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)
