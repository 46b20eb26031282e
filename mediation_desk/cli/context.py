"""What every command works with: :class:`CliContext` and :class:`CliError`.

A command is a function of a :class:`CliContext`, wrapped by :func:`command` into the function
argparse calls with the parsed arguments. The context opens the database once, when the command
first asks for it, and closes it when the command ends, however it ends; it signs in the user of
``--as`` (:meth:`CliContext.actor`: a command that reads or changes the center's data is refused
without one); and :meth:`CliContext.emit` prints a result as text, or as JSON when ``--json`` was given.
A command that refuses raises :class:`CliError`: ``mediation-desk`` prints its message as one
Chinese line on stderr and exits with its code.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mediation_desk.cli.args import text

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from mediation_desk.db import Database
    from mediation_desk.services.actor import Actor


class CliError(Exception):
    """A clean refusal: ``message`` (Chinese, naming the argument or file and the problem) goes to
    stderr as one line and the command exits with ``code`` (2, as for a bad command line)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


#: How the refusal of a command that needs a person, given no ``--as``, begins (:func:`login_required`).
LOGIN_REQUIRED = "此命令需要登录：请用 --as 用户名 指定账户"


def login_required(who: str | None = None) -> str:
    """The refusal of a command that needs a person when no ``--as`` was given; ``who`` is the
    command's own word on whose account it wants (the help of its ``--as``)."""
    return (LOGIN_REQUIRED + (f"（{who}）" if who else "")
            + "，密码在终端输入，或加 --password-stdin 从标准输入读取（与工作台登录相同：连续输错 5 次账户锁定"
              " 10 分钟，登录记入审计日志）。无需登录的只有：空数据库上的 db upgrade 与 demo、尚无账户时的 "
              "user add --first-admin、db check、db connect、check、mask、read-id，"
              "以及市级汇总库上的 city init/subscribe/unsubscribe/status/figures（由数据库角色把关）。")


def add_login(parser: argparse.ArgumentParser, who: str = "以哪个账户的身份操作") -> None:
    """The login options every command that reads or changes the center's data has:
    ``--as USER`` (required at run time, see :meth:`CliContext.actor`) and ``--password-stdin``."""
    parser.add_argument("--as", dest="as_user", metavar="用户名", type=text(40),
                        help=f"{who}（必须登录；密码在终端输入，或用 --password-stdin）")
    parser.add_argument("--password-stdin", action="store_true",
                        help="从标准输入读取 --as 账户的密码（一行）")
    parser.set_defaults(login_who=who)


class CliContext:
    """The parsed arguments of one command, its database, its acting user and its output.

    Use it as a context manager (:func:`command` does): leaving it closes the database.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._opened: Database | None = None
        self._signed_in: Actor | None = None
        self._password = ""

    def __enter__(self) -> CliContext:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def database(self, *, url: URL | None = None, create: bool = False, as_is: bool = False) -> Database:
        """The command's database, opened on the first call; later calls return the same one.

        ``url`` is the database to open, by default ``--database`` or else this desk's setting.
        The desk's own default file is created on demand; a file named by ``--database`` must
        exist unless ``create``. A SQLite file is upgraded to this program's
        structure and a server's structure must be current, unless ``as_is`` (verifying a backup
        must not change it; ``db upgrade`` and ``restore`` look at the structure themselves).
        """
        if self._opened is not None:
            return self._opened
        from mediation_desk.db import Database, ensure_current, resolve_url, upgrade

        given = getattr(self.args, "database", None)
        # A path typed on the command line must exist: a typo would otherwise silently start an
        # empty database.
        from mediation_desk import dbcipher, settings

        new = create or not given
        # A new SQLite file is encrypted (SQLCipher, key in the keychain) unless --unencrypted;
        # the desk's trusted local FUSE types (``db trust-fs``) may hold it.
        target = url or resolve_url(given)
        # Only a SQLite file's folder is checked for its filesystem (and only then is the desk's
        # settings file read: a server command leaves this desk's folders as they were).
        trusted = settings.trusted_filesystems() if target.get_backend_name() == "sqlite" else frozenset()
        self._opened = database = Database(
            target, create=new, trusted_filesystems=trusted,
            encrypt_new=new and not getattr(self.args, "unencrypted", False) and dbcipher.encrypt_new_default())
        if database.unencrypted_reason:
            print(database.unencrypted_reason, file=sys.stderr)
        if not as_is:
            if database.is_sqlite:
                upgrade(database)
            else:
                ensure_current(database)
        return database

    def actor(self, *, audited: bool = True) -> Actor:
        """Who acts: the account of ``--as USER``, signed in with its password (one line of stdin
        with ``--password-stdin``, else asked for on the terminal) through ``auth.login`` exactly
        as the app signs in (failures count towards the lock; the audit log gets the workstation).

        This is the one place a command learns who acts, and there is no default: without
        ``--as`` the command is refused (:func:`login_required`, exit 2) before it reads or changes
        anything. The commands that run without a login never ask (``db upgrade`` and ``demo`` on
        an empty database, ``user add --first-admin`` and ``centers enrol`` while no account exists, ``db check``,
        ``db connect``, ``check``, ``mask``, ``read-id``). ``audited=False`` is only for the administrator
        signing in to upgrade a database of an older structure (``db upgrade`` records the login
        once the audit table is current).
        """
        if self._signed_in is None:
            from mediation_desk.services import auth

            username = getattr(self.args, "as_user", None)
            if not username:
                raise CliError(login_required(getattr(self.args, "login_who", None)))
            database = self.database()  # a wrong path is named before a password is asked for
            password = (sys.stdin.readline().rstrip("\r\n") if getattr(self.args, "password_stdin", False)
                        else getpass.getpass(f"{username} 的密码："))
            actor = auth.login(database, username, password, audited=audited)
            if actor.must_change_password and not getattr(self.args, "changes_own_password", False):
                # As the app, which asks for a new password before anything else: an account an
                # administrator created or reset works only once its owner chose their own.
                raise CliError(f"账户“{username}”须先修改密码（由管理员新建或重设后尚未修改）：请运行 "
                               f"mediation-desk user passwd {username} --as {username}，或在工作台登录后修改。")
            self._signed_in, self._password = actor, password
        return self._signed_in

    def login_password(self) -> str:
        """The password the signed-in account gave (``user passwd`` of one's own account needs the
        old password, which the login just proved)."""
        self.actor()
        return self._password

    def emit(self, data: Callable[[], object], text: Iterable[str] = ()) -> None:
        """The command's result: what ``data()`` returns as JSON (dates, amounts and enums as
        text) when the command was given ``--json``, otherwise the lines of ``text``. Only the
        form asked for is made (pass a generator for ``text``)."""
        if getattr(self.args, "json", False):
            print(json.dumps(data(), ensure_ascii=False, indent=2, default=_json_value))
            return
        for line in text:
            print(line)

    def record_refusal(self, error: BaseException) -> None:
        """Audit a ``PermissionDenied`` the command met, in a transaction of its own (the refusal
        rolled its own back), while the database is still open; once per error."""
        from mediation_desk.services.errors import PermissionDenied

        if not isinstance(error, PermissionDenied) or self._opened is None:
            return
        from mediation_desk.services import audit

        parts = [getattr(self.args, name, None) for name in ("command", *_SUBCOMMANDS)]
        what = "mediation-desk " + " ".join(str(p) for p in parts if p)
        try:
            audit.record_refusal(self._opened, self._signed_in, what, str(error), error)
        except Exception as failure:  # the refusal itself is still the command's answer
            from mediation_desk.readmodels.masking import scrub

            print(f"警告：这次拒绝未能记入审计日志：{scrub(str(failure))}", file=sys.stderr)

    def close(self) -> None:
        """Close the database, if the command opened one (every connection of it)."""
        database, self._opened = self._opened, None
        if database is not None:
            database.dispose()


#: The argparse destinations of the command groups' subcommands (``case list`` …).
_SUBCOMMANDS = ("case_command", "audit_command", "key_command", "user_command", "db_command",
                "calendar_command", "packet_command", "publicity_command", "report_command",
                "retention_command", "cards_command")


def _json_value(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def command(run: Callable[[CliContext], int]) -> Callable[[argparse.Namespace], int]:
    """The function argparse calls for a command (``set_defaults(func=...)``): ``run`` with a
    context of the parsed arguments, whose database is closed when ``run`` returns or raises."""

    @functools.wraps(run)
    def with_context(args: argparse.Namespace) -> int:
        with CliContext(args) as context:
            try:
                return run(context)
            except Exception as error:
                context.record_refusal(error)
                raise

    return with_context


__all__ = ["LOGIN_REQUIRED", "CliContext", "CliError", "add_login", "command", "login_required"]
