"""The ``mediation-desk`` command: the same services as the app, for administrators and scripts.

With no subcommand it opens the app. ``--database URL`` overrides this desk's setting for one run.

This module assembles the parser from the command groups, one module each with ``register``
(:mod:`.db`, :mod:`.demo`, :mod:`.users`, :mod:`.intake`, :mod:`.calendar`, :mod:`.documents`,
:mod:`.cases`, :mod:`.admin`, :mod:`.retention`, :mod:`.search`, :mod:`.exchange`,
:mod:`.publicity`, :mod:`.report`, :mod:`.city`, :mod:`.subsidies`, :mod:`.cards`, :mod:`.crossings`,
:mod:`.centers`, :mod:`.sessions`), and :func:`main` runs one command. A command works through a
:class:`~.context.CliContext` (:mod:`.context`); the argument types and Chinese messages are in
:mod:`.args`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from mediation_desk import __version__, credentials
from mediation_desk.cli import (
    admin,
    calendar,
    cards,
    cases,
    centers,
    city,
    crossings,
    db,
    demo,
    documents,
    exchange,
    hotline,
    intake,
    publicity,
    report,
    retention,
    search,
    sessions,
    subsidies,
    users,
)
from mediation_desk.cli.args import (
    ChineseArgumentParser,
    database_url,
    failure_message,
    safe_streams,
    write_safely,
)
from mediation_desk.cli.context import CliError
from mediation_desk.db import DatabaseError
from mediation_desk.files import TargetRefused
from mediation_desk.readmodels.masking import scrub
from mediation_desk.services.errors import ServiceError

#: The command groups, in the order ``mediation-desk --help`` lists them.
COMMAND_GROUPS = (db, demo, users, intake, calendar, documents, cases, admin, retention, search, exchange,
                  publicity, report, city, subsidies, cards, sessions, crossings, centers, hotline)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="mediation-desk", description="矛调工作台：县级矛盾纠纷调处中心案件管理")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--database", metavar="URL", type=database_url,
                        help="数据库地址（默认为本机设置或用户数据目录中的 SQLite 文件），"
                             "如 sqlite:////路径/文件.sqlite3 或 postgresql+psycopg://用户@服务器/库名")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure ends as one Chinese line on stderr and exit status 2
    (no traceback, no password, no full ID or phone number)."""
    safe_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get("MEDIATION_DESK_TEST_CHEAP_HASHING") == "1":
        # The test suite runs this command hundreds of times; production-cost argon2 would
        # dominate its run time. Hashes made this way still verify with production settings.
        from argon2 import PasswordHasher

        from mediation_desk.services import auth

        auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    parser = build_parser()
    args = parser.parse_args(cases.witness_add_by_default(args_list))
    if args.command is None:
        from mediation_desk.ui.app import run

        return run([sys.argv[0], *args_list], database_url=args.database)
    try:
        result: int = args.func(args)
        return result
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): nothing more to say to anyone.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return 2
    except CliError as exc:
        _fail(str(exc))
        return exc.code
    except (ServiceError, DatabaseError, credentials.CredentialError) as exc:
        _fail(str(exc))
    except TargetRefused as exc:
        _fail(exc.message)
    except Exception as exc:  # the last line of defence: a Chinese message, never a traceback
        # libpq's and SQLite's own texts ("Connection refused … Is the server running …") are told
        # by cause in Chinese; anything else by what kind of failure it is.
        from mediation_desk.services import dberrors

        problem = dberrors.explain(exc)
        if problem is None or problem.cause == "other":
            _fail(failure_message(exc, args.database), exc)
        else:
            _fail(problem.reason, exc)  # it names the server (host:port), never the URL's password
    return 2


def _fail(message: str, error: BaseException | None = None) -> None:
    write_safely(f"错误：{scrub(message)}\n", sys.stderr)
    if error is not None and os.environ.get("MEDIATION_DESK_DEBUG") == "1":
        import traceback

        write_safely(scrub("".join(traceback.format_exception(error))), sys.stderr)
