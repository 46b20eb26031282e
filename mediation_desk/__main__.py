"""Entry point: ``python -m mediation_desk``, the ``mediation-desk`` command and the frozen app.

``--self-test`` (with an optional ``--database URL``) checks the installation and exits; see
:mod:`mediation_desk.self_test`. Everything else goes to the command line of :mod:`.cli`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

SELF_TEST_FLAG = "--self-test"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args and os.environ.get("MEDIATION_DESK_TEST_CHEAP_HASHING") != "1":
        # The app as a person starts it: straight to the login dialog. The command line's parser
        # imports every command group, hence the database layer and the services (about a second),
        # which the app loads only after the dialog is painted (ui.app). The garbage collector's
        # start-up setting comes first, before Qt and the app's modules are imported.
        from mediation_desk.ui.common.collector import StartupCollector

        collector = StartupCollector()
        collector.begin()
        from mediation_desk.ui.app import run as run_app

        return run_app([sys.argv[0]], collector=collector)
    if SELF_TEST_FLAG in args:
        from mediation_desk.cli.args import ChineseArgumentParser, database_url

        parser = ChineseArgumentParser(prog="mediation-desk --self-test",
                                       description="检查本机安装：数据库、字体、翻译、钥匙串、Qt 模块")
        parser.add_argument(SELF_TEST_FLAG, action="store_true")
        parser.add_argument("--database", metavar="URL", type=database_url,
                            help="检查这个数据库，而不是本机设置的数据库")
        options = parser.parse_args(args)
        from .self_test import run

        return run(options.database)
    from .cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
