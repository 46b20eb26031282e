"""``mediation-desk db upgrade|check|connect``: create, upgrade and check the database, and make
this desk use a center server (docs/deployment.md).

A failed connection or a statement the server refuses ends as one Chinese message saying what to
do (exit 2), never a driver traceback; a password typed with ``--ask-password`` is used for this
run only, unless ``db connect`` keeps it (keychain, or ``--pgpass``).

``db connect`` checks the server's certificate (``sslmode=verify-full``) against the center's CA
file (``--ca-file``) unless a weaker mode is asked for by name (``--tls`` or the URL's ``sslmode``);
a weaker mode is said on the terminal and written to the log.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy.engine import URL

from mediation_desk import credentials, dbschema, settings
from mediation_desk.cli.args import database_url
from mediation_desk.cli.context import CliContext, CliError, add_login, command
from mediation_desk.db import (
    DEFAULT_SSLMODE,
    SSL_MODES,
    Database,
    ca_file_problem,
    check_schema,
    current_revision,
    ensure_current,
    head_revision,
    is_weak_tls,
    log_weak_tls,
    probe_server,
    resolve_url,
    upgrade,
)
from mediation_desk.services.actor import Actor

ASK_PASSWORD_HELP = "提示输入数据库密码（只用于这一次，不保存）"


def _server_password(args: argparse.Namespace, url: URL) -> URL:
    """The URL of ``--database`` (or the desk's setting), with the password typed for this run
    when ``--ask-password`` is given (it is not stored)."""
    if not getattr(args, "ask_password", False) or url.get_backend_name() != "postgresql" or url.password:
        return url
    return url.set(password=getpass.getpass(f"{url.username or ''}@{url.host or 'localhost'} 的数据库密码："))


@contextlib.contextmanager
def _server_errors(url: URL, password_step: str) -> Iterator[None]:
    """A failed connection or a refused statement on the server as one Chinese message (exit 2),
    saying what to do, instead of a driver traceback."""
    try:
        yield
    except sqlalchemy.exc.DBAPIError as exc:
        if url.get_backend_name() != "postgresql":
            raise
        raise CliError(credentials.describe_connection_error(url, exc, password_step=password_step)) from exc


def _password_step(url: URL) -> str:
    shown = credentials.display_url(url)
    return (f"请加 --ask-password 在这里输入密码（只用于这一次），或先运行 mediation-desk db connect {shown} "
            f"--ask-password 把它存入本机：有桌面钥匙串的电脑存入钥匙串，没有的（如无图形界面的 Linux）再加 --pgpass，"
            f"存入 {credentials.pgpass_path()}。")


@command
def cmd_db_upgrade(context: CliContext) -> int:
    from mediation_desk.models import Role
    from mediation_desk.services import audit, dbroles, reference

    args = context.args
    url = _server_password(args, resolve_url(args.database))
    db = context.database(url=url, create=True, as_is=True)
    with _server_errors(url, _password_step(url)):
        # An empty database (no account yet) is created without a login; one with accounts is
        # upgraded by a signed-in administrator. Its audit table may be of the older structure:
        # the login is recorded once the structure is current (as the server settings dialog does).
        actor, current = None, True
        if _has_accounts(db):
            current = current_revision(db) == head_revision()
            actor = context.actor(audited=current)
            if actor.role is not Role.ADMIN:
                raise CliError(f"“{actor.display_name}”不是系统管理员：只有系统管理员可以升级数据库结构。")
            refusal = None if current else dbroles.owner_refusal(db, "数据库结构升级", "db upgrade", "修改数据库结构")
            if refusal is not None:
                raise CliError(refusal)
        report = upgrade(db, backup=not args.no_backup)
        with db.write() as session:
            # A new center starts with the standard dispute types; an existing list is left alone.
            reference.ensure_dispute_types(session)
            if actor is not None and not current:
                audit.record(session, actor, "login", "user", actor.user_id, {"purpose": "upgrade"},
                             station=audit.workstation(), result="ok")
    shown = credentials.display_url(url)
    if not report.changed:
        print(f"数据库已是最新结构（{report.to_revision}）：{shown}")
    else:
        print(f"数据库结构已升级：{report.from_revision or '空库'} → {report.to_revision}（{shown}）")
        if report.backup:
            print(f"升级前的备份：{report.backup}")
    return 0


def _has_accounts(db: Database) -> bool:
    """Whether the database holds any account (then only an administrator may upgrade it)."""
    with db.writer.connect() as connection:
        if not sqlalchemy.inspect(connection).has_table("app_user"):
            return False
        return connection.execute(sqlalchemy.text("SELECT 1 FROM app_user LIMIT 1")).first() is not None


@command
def cmd_db_check(context: CliContext) -> int:
    url = _server_password(context.args, resolve_url(context.args.database))
    db = context.database(url=url, as_is=True)
    with _server_errors(url, _password_step(url)):
        check_schema(db)
        # A SQLite file's schema must be exactly the one its revision's migrations make (a
        # planted trigger or hidden table is named); exit status 2 with the list otherwise.
        dbschema.require_expected(db)
        ensure_current(db)
    print(f"数据库结构正常：{credentials.display_url(url)}")
    return 0


@command
def cmd_db_connect(context: CliContext) -> int:
    """Make this desk use a center server. The connection is tried first (a wrong password is not
    kept); then the password goes to the keychain, or with ``--pgpass`` to libpq's password file,
    and the URL without it to the desk's settings."""
    args = context.args
    url = resolve_url(args.url)
    clean, password = credentials.split_password(url)
    if clean.get_backend_name() != "postgresql":
        db = context.database(url=clean, create=True, as_is=True)
        with db.writer.connect():
            pass
            _save_database_setting(clean)
        print(f"本机已改为使用数据库：{db.display_name}")
        return 0
    clean = _with_tls(clean, args.tls, args.ca_file)
    if password is None and args.ask_password:
        password = getpass.getpass(f"{clean.username or ''}@{clean.host or 'localhost'} 的数据库密码：")
    shown = credentials.display_url(clean)
    step = (f"请加 --ask-password 重新运行，输入这个数据库账户的密码：mediation-desk db connect {shown} --ask-password"
            + ("" if args.pgpass else "（没有桌面钥匙串的电脑再加 --pgpass）") + "。")
    # Tried with the typed password, else the keychain's for this server, else what libpq finds
    # (.pgpass).
    probe = probe_server(credentials.with_password(clean.set(password=password) if password else clean),
                         password_step=step)
    if not probe.ok:
        raise CliError(probe.problem)
    mode = str(clean.query["sslmode"])
    if is_weak_tls(mode):
        log_weak_tls(clean, "saved by db connect (asked for by name)", level=logging.INFO)
        print(f"注意：本机与服务器的连接方式为 sslmode={mode}，不完整核验服务器证书，网络上的其他电脑可能冒充服务器。"
              "这一选择已写入日志；服务器配好证书后请改用 --tls verify-full --ca-file 中心CA证书文件。",
              file=sys.stderr)
    if password and args.pgpass:
        path = credentials.store_in_pgpass(clean, password)
        print(f"密码已写入 {path}（只有本用户能读，连接时由 PostgreSQL 客户端库自行读取）。")
    elif password:
        credentials.store_password(clean, password)
        print("密码已存入系统钥匙串。")
    _save_database_setting(clean)
    print(f"本机已改为使用数据库：{shown}")
    if probe.revision is None:
        print("注意：服务器上的数据库还是空的。请中心管理员先运行 mediation-desk db upgrade，或在本机首次启动的向导里"
              "设置中心（见 docs/deployment.md）。")
    elif probe.revision != head_revision():
        print(f"注意：服务器上的数据库结构（{probe.revision}）与本程序（{head_revision()}）不一致，"
              f"请中心管理员运行 mediation-desk --database {shown} db upgrade --ask-password。")
    return 0


def _with_tls(url: URL, mode: str | None, ca_file: str | None) -> URL:
    """The server's URL with its encryption named: ``--tls`` or the URL's ``sslmode``, else
    ``verify-full``; with ``--ca-file`` (absolute) as ``sslrootcert``. Refused: two different modes,
    a CA file that is not one, and ``verify-full`` without any CA file."""
    given = url.query.get("sslmode")
    if mode and given and mode != given:
        raise CliError(f"加密方式写了两次且不一致：地址中为 sslmode={given}，--tls 为 {mode}。请只写一处。")
    chosen = str(mode or given or DEFAULT_SSLMODE)
    if chosen not in SSL_MODES:
        raise CliError(f"不认识的加密方式 sslmode={chosen}：只能是 {'、'.join(SSL_MODES)} 之一（推荐 verify-full）。")
    query = dict(url.query)
    query["sslmode"] = chosen
    if ca_file:
        query["sslrootcert"] = ca_file if ca_file == "system" else str(Path(ca_file).expanduser().absolute())
    root = query.get("sslrootcert")
    if chosen in ("verify-ca", "verify-full"):
        if not root:
            raise CliError("核验服务器证书（sslmode=verify-full，默认）需要中心的 CA 证书文件：请加 --ca-file 文件"
                           "（信息技术人员按 docs/deployment.md 第 1 步给出的 center-ca.crt）。服务器尚未配置证书时，"
                           "可以明确地加 --tls require（加密、不核验证书）或 --tls disable，这一选择会写入日志。")
        problem = ca_file_problem(str(root))
        if problem is not None:
            raise CliError(problem + "（--ca-file）")
    return url.set(query=query)


def _sqlite_admin(context: CliContext, doing: str) -> tuple[Database, Actor]:
    """The command's SQLite database and its signed-in administrator."""
    from mediation_desk.models import Role

    db = context.database()
    if not db.is_sqlite:
        raise CliError(f"{doing}只适用于本机的 SQLite 数据库文件；中心服务器（PostgreSQL）的数据由服务器保护"
                       "（磁盘加密与 TLS，见 docs/security.md）。")
    actor = context.actor()
    if actor.role is not Role.ADMIN:
        raise CliError(f"“{actor.display_name}”不是系统管理员：只有系统管理员可以{doing}。")
    return db, actor


def _audit_db(db: Database, actor: Actor, action: str, detail: dict[str, object]) -> None:
    from mediation_desk.services import audit

    with db.write() as session:
        audit.record(session, actor, action, "database", None, detail, station=audit.workstation(), result="ok")


@command
def cmd_db_encrypt(context: CliContext) -> int:
    """Encrypt an existing plain SQLite desk in place (``sqlcipher_export`` into a new file, which
    then replaces it); the key goes to the keychain first. The app must be closed meanwhile."""
    import os
    import sqlite3

    from mediation_desk import dbcipher
    from mediation_desk.files import private_empty_file

    db, actor = _sqlite_admin(context, "加密数据库文件")
    path = Path(str(db.url.database))
    if db.cipher_key is not None:
        print(f"数据库文件已经是加密的（SQLCipher，文件编号 {db.cipher_key.salt}）：{path}")
        return 0
    # Recorded in the file before it is encrypted: the entry is carried into the encrypted file.
    _audit_db(db, actor, "encrypt", {"file": path.name})
    db.dispose()
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as plain:
            # The WAL is folded in and removed: a stale -wal beside the new file would be read into it.
            # Switching out of WAL needs every other connection closed: the app must not be running.
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = plain.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise CliError(f"数据库文件“{path}”正被其他程序使用（{exc}）。"
                       "请先关闭本机所有矛调工作台窗口，再运行本命令。") from exc
    if str(mode).lower() != "delete":
        raise CliError(f"数据库文件“{path}”正被其他程序使用。请先关闭本机所有矛调工作台窗口，再运行本命令。")
    key = dbcipher.new_key()
    try:
        dbcipher.store_new_key(key)
    except credentials.KeychainUnavailable as exc:
        raise CliError(f"无法加密“{path}”：{exc}，密钥无处保存。请在有桌面钥匙串的会话中运行本命令。") from exc
    staged = private_empty_file(path.with_name(f".{path.name}.encrypting"))
    try:
        dbcipher.export(path, None, staged, key)
        with contextlib.closing(dbcipher.connect(staged, key)) as check:
            if [r[0] for r in check.execute("PRAGMA integrity_check")] != ["ok"]:  # pragma: no cover
                raise CliError("加密后的副本未通过完整性检查，原文件未改动。")
            check.execute("PRAGMA journal_mode = WAL")
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        credentials.delete_database_key(key.salt)
        raise
    print(f"数据库文件已加密（SQLCipher，密钥存入系统钥匙串，文件编号 {key.salt}）：{path}")
    print("注意：加密之前做的备份仍是不加密的，请按需删除或妥善保管；以后的备份都是加密的。")
    return 0


@command
def cmd_db_decrypt(context: CliContext) -> int:
    """An unencrypted copy of an encrypted SQLite desk, for support or to move it to another
    computer (``sqlcipher_export``); the live file stays encrypted. Audited."""
    from mediation_desk import dbcipher
    from mediation_desk.files import private_empty_file

    args = context.args
    target = Path(args.to).expanduser()
    if target.exists():
        raise CliError(f"目标文件“{target}”已存在：为避免覆盖，请指定一个新文件名（--to）。")
    if not target.parent.is_dir():
        raise CliError(f"目标文件夹“{target.parent}”不存在（--to）。")
    db, actor = _sqlite_admin(context, "导出不加密的数据库副本")
    path = Path(str(db.url.database))
    if db.cipher_key is None:
        raise CliError(f"数据库文件“{path}”没有加密，无需解密；要一份副本请用 mediation-desk backup。")
    _audit_db(db, actor, "decrypt", {"file": path.name, "to": str(target.resolve())})
    private_empty_file(target)
    try:
        dbcipher.export(path, db.cipher_key, target, None)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    print(f"已导出不加密的副本（只有本用户能读）：{target}。其中有当事人的身份证号等个人信息，用完请删除。")
    return 0


@command
def cmd_db_trust_fs(context: CliContext) -> int:
    """Show or set the local FUSE filesystem types this desk trusts to hold its SQLite file."""
    from mediation_desk.services import desk_trust
    from mediation_desk.services.errors import InvalidInput

    args = context.args
    if not args.types and not args.clear:
        names = settings.trusted_filesystems()
        print("本机可信的 FUSE 文件系统类型：" + ("、".join(sorted(names)) if names else "（无）"))
        return 0
    if args.types and args.clear:
        raise CliError("--clear 与文件系统类型不能同时给出。")
    try:
        chosen = desk_trust.parse(args.types)
    except InvalidInput as exc:
        raise CliError(str(exc)) from exc
    db = context.database()
    actor = context.actor()
    chosen = desk_trust.set_trusted(db, actor, chosen)
    print("本机可信的 FUSE 文件系统类型已改为：" + ("、".join(sorted(chosen)) if chosen else "（无）")
          + "（已记入审计日志）")
    return 0


def _save_database_setting(url: URL) -> None:
    desk_settings = settings.DeskSettings.load()
    desk_settings.database_url = url.render_as_string(hide_password=True)
    desk_settings.save()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    db_parser = sub.add_parser("db", help="创建、升级、检查数据库")
    db_sub = db_parser.add_subparsers(dest="db_command", required=True, metavar="子命令")
    p = db_sub.add_parser("upgrade", help="创建或升级数据库结构（SQLite 会先自动备份）；已有账户时须以系统管理员登录")
    p.add_argument("--no-backup", action="store_true", help="升级前不备份 SQLite 文件")
    p.add_argument("--unencrypted", action="store_true",
                   help="新建的 SQLite 文件不加密（默认用 SQLCipher 加密，密钥存入系统钥匙串；仅供技术支持）")
    p.add_argument("--ask-password", action="store_true", help=ASK_PASSWORD_HELP)
    add_login(p, "已有账户的数据库须以哪个系统管理员账户的身份升级（空数据库无需登录）")
    p.set_defaults(func=cmd_db_upgrade)
    p = db_sub.add_parser("check", help="检查数据库结构是否与本程序一致")
    p.add_argument("--ask-password", action="store_true", help=ASK_PASSWORD_HELP)
    p.set_defaults(func=cmd_db_check)
    p = db_sub.add_parser("connect", help="让本机使用中心服务器（密码存入系统钥匙串，或用 --pgpass 存入 .pgpass）")
    p.add_argument("url", metavar="数据库地址", type=database_url,
                   help="如 postgresql://mediation@192.168.1.10/mediation（不要把密码写在这里）")
    p.add_argument("--ask-password", action="store_true", help="提示输入数据库密码")
    p.add_argument("--pgpass", action="store_true",
                   help="把密码存入本用户的 .pgpass 文件（只有本用户能读），用于没有桌面钥匙串的电脑")
    p.add_argument("--ca-file", metavar="文件",
                   help="中心的 CA 证书文件（center-ca.crt），用来核验服务器证书（docs/deployment.md 第 1 步）")
    p.add_argument("--tls", choices=SSL_MODES, metavar="方式",
                   help="加密方式，默认 verify-full（加密并核验服务器证书与地址）；较弱的方式（require、prefer、"
                        "disable 等）须明确写出，并写入日志")
    p.set_defaults(func=cmd_db_connect)
    p = db_sub.add_parser("encrypt",
                          help="把不加密的 SQLite 数据库文件加密（SQLCipher，密钥存入系统钥匙串；须先关闭程序）")
    add_login(p, "以哪个系统管理员账户的身份加密")
    p.set_defaults(func=cmd_db_encrypt)
    p = db_sub.add_parser("decrypt", help="导出加密数据库的一份不加密副本（供技术支持或迁移；原文件仍加密）")
    p.add_argument("--to", required=True, metavar="文件", help="副本的文件名（必须是新文件）")
    add_login(p, "以哪个系统管理员账户的身份导出")
    p.set_defaults(func=cmd_db_decrypt)
    p = db_sub.add_parser("trust-fs",
                          help="查看或设置本机可信的本地 FUSE 文件系统类型（系统管理员或中心负责人，记入审计）")
    p.add_argument("types", nargs="*", metavar="类型",
                   help="/proc/mounts 第三列中的类型，如 fuse.mergerfs；不给则显示当前设置")
    p.add_argument("--clear", action="store_true", help="不再信任任何 FUSE 文件系统")
    add_login(p, "以哪个系统管理员或中心负责人账户的身份修改")
    p.set_defaults(func=cmd_db_trust_fs)
