"""``mediation-desk user add|passwd|list``: the center's accounts, managed by a signed-in
administrator (the services refuse anyone else); ``user add --first-admin`` makes the first
administrator of a database that has no account yet, with no login (as the first-run wizard).

With ``--password-stdin`` the passwords are lines of stdin: first the password of ``--as``, then
the new account's (``user add``, ``user passwd``); with ``--first-admin`` only the new one.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from datetime import datetime

from mediation_desk.cli.args import name_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.models import Role
from mediation_desk.services import auth, centers
from mediation_desk.services.actor import Actor


def _new_password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    """One line of stdin with ``--password-stdin``, else typed twice on the terminal."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再次输入：") != first:
        raise CliError("两次输入的密码不一致。")
    return first


@command
def cmd_user_add(context: CliContext) -> int:
    args = context.args
    if args.first_admin:
        return _first_admin(context)
    db = context.database()
    actor = context.actor()  # before the new password: stdin holds the login's password first
    center_id = _center(context)
    password = _new_password(args, f"新账户 {args.username} 的密码：")
    with db.write() as session:
        info = auth.create_user(
            session, actor, username=args.username, display_name=args.name,
            role=Role(args.role), password=password, must_change_password=not args.no_change,
            center_id=center_id,
        )
    print(f"已创建账户 {info.username}（{info.display_name}，{info.role.label}"
          + (f"，{args.center}" if args.center else "") + "）。")
    return 0


def _center(context: CliContext) -> int | None:
    """The center ``--center`` names by its case-number prefix (as the crossing and enrolment
    commands name centers), refused before any password is asked; None: the default center."""
    prefix = context.args.center
    if prefix is None:
        return None
    with context.database().read() as session:
        known = centers.list_centers(session)
    found = next((c.id for c in known if c.prefix == prefix.strip()), None)
    if found is None:
        listed = "、".join(f"{c.prefix}（{c.name}）" for c in known) or "无"
        raise CliError(f"--center：没有案号前缀为“{prefix}”的中心。本库的中心：{listed}。")
    return found


def _first_admin(context: CliContext) -> int:
    """The first administrator of a database with no account: no login (there is nobody to sign
    in as), refused as soon as any account exists — checked in the transaction that creates it."""
    args = context.args
    if args.as_user:
        raise CliError("--first-admin 用于尚无任何账户的数据库，不能与 --as 同时使用。")
    if Role(args.role) is not Role.ADMIN:
        raise CliError(f"--first-admin 只能新建系统管理员（--role {Role.ADMIN.value}），"
                       f"不能是“{Role(args.role).label}”。")
    db = context.database()
    with db.read() as session:
        if auth.has_users(session):
            raise CliError(_HAS_USERS)
    center_id = _center(context)
    password = _new_password(args, f"首位系统管理员 {args.username} 的密码：")
    with db.write() as session:
        if auth.has_users(session):  # another desk was quicker
            raise CliError(_HAS_USERS)
        # The person who set the database up chose this password just now, as in the wizard.
        info = auth.create_user(session, Actor.system("first_admin"), username=args.username,
                                display_name=args.name, role=Role.ADMIN, password=password,
                                must_change_password=False, center_id=center_id)
    print(f"已创建首位系统管理员 {info.username}（{info.display_name}）。此后的命令请用 --as {info.username} 登录。")
    return 0


_HAS_USERS = ("这个数据库已经有用户账户，不能再用 --first-admin 新建管理员。"
              "请由系统管理员登录后新建：mediation-desk user add 用户名 --name 姓名 --role 角色 --as 管理员用户名。")


@command
def cmd_user_passwd(context: CliContext) -> int:
    """An administrator resets anyone's password (to be changed at the next login); an account
    changes its own (the old password is the one it signed in with)."""
    args = context.args
    db = context.database()
    actor = context.actor()  # before the new password: stdin holds the login's password first
    password = _new_password(args, "新密码：")
    own = actor.username == args.username
    if actor.must_change_password and not own:
        raise CliError(f"账户“{actor.username}”须先修改自己的密码：mediation-desk user passwd {actor.username} "
                       f"--as {actor.username}。")
    with db.write() as session:
        if own:
            auth.change_password(session, actor, context.login_password(), password)
        else:
            auth.set_password(session, actor, args.username, password)
    print(f"已修改 {args.username} 的密码。" if own else f"已重设 {args.username} 的密码；下次登录时须修改。")
    return 0


@command
def cmd_user_list(context: CliContext) -> int:
    actor = context.actor()
    with context.database().read() as session:
        users = auth.list_users(session, actor)
    context.emit(lambda: [asdict(u) for u in users], (
        f"{u.username:<16}{u.display_name:<10}{u.role.label:<8}"
        + ("停用" if not u.active else ("锁定" if u.locked_until and u.locked_until > datetime.now() else "正常"))
        for u in users))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    user = sub.add_parser("user", help="管理用户账户（须以系统管理员登录；首位管理员用 user add --first-admin）")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="子命令")
    p = user_sub.add_parser("add", help="新建账户",
                            description="以系统管理员登录（--as）新建账户；数据库中尚无任何账户时，"
                                        "用 --first-admin 新建首位系统管理员（无需登录）。")
    p.add_argument("username", metavar="用户名", type=text(40))
    p.add_argument("--name", required=True, type=name_text(60), help="姓名")
    p.add_argument("--role", required=True, choices=[r.value for r in Role],
                   help="角色（--first-admin 时须为 admin）：" + "，".join(f"{r.value}={r.label}" for r in Role))
    p.add_argument("--no-change", action="store_true", help="首次登录时不要求修改密码")
    p.add_argument("--center", metavar="案号前缀", type=text(40),
                   help="账户所属的中心，以其案号前缀指定（如乡镇中心的前缀）；不指定时为本库的默认中心")
    p.add_argument("--first-admin", action="store_true",
                   help="数据库中尚无任何账户时新建首位系统管理员，无需登录；已有账户时拒绝")
    p.add_argument("--as", dest="as_user", metavar="用户名", type=text(40),
                   help="以哪个系统管理员账户的身份新建（必须登录，--first-admin 除外）")
    p.add_argument("--password-stdin", action="store_true",
                   help="从标准输入读取密码：先一行 --as 账户的密码，再一行新账户的密码（--first-admin 时只有后者）")
    p.set_defaults(func=cmd_user_add, login_who="以哪个系统管理员账户的身份新建")
    p = user_sub.add_parser("passwd", help="重设账户密码")
    p.add_argument("username", metavar="用户名", type=text(40))
    p.add_argument("--as", dest="as_user", metavar="用户名", type=text(40),
                   help="以哪个账户的身份重设（系统管理员，或本人）；必须登录")
    p.add_argument("--password-stdin", action="store_true",
                   help="从标准输入读取密码：先一行 --as 账户的密码，再一行新密码")
    p.set_defaults(func=cmd_user_passwd, login_who="以哪个账户的身份重设：系统管理员，或本人",
                   changes_own_password=True)
    p = user_sub.add_parser("list", help="列出账户")
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个系统管理员账户的身份查看")
    p.set_defaults(func=cmd_user_list)
