"""Administrator commands: ``audit verify``/``audit list``/``audit purge``/``audit key export|import``,
``backup``, ``restore``.

The services are imported when a command runs: ``mediation-desk --help`` does not load them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

from mediation_desk.cli.args import bounded_int, iso_date, path_text, text
from mediation_desk.cli.context import CliContext, CliError, add_login, command


@command
def cmd_audit_verify(context: CliContext) -> int:
    from mediation_desk.db import current_revision, head_revision
    from mediation_desk.services import audit, permissions
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.errors import AccountLocked, AuthenticationFailed

    # Not upgraded on the way: verifying a backup file must not change its structure. The login
    # counts towards the lock as always, but is written to the audit log after the verification
    # (and only into an audit table of this program's structure): the chain verified and its head
    # shown are the ones the command found, not extended by the verifier's own sign-in.
    db = context.database(as_is=True)
    current = current_revision(db) == head_revision()

    def log_login(actor: Actor | None, result: str) -> None:
        if current:
            with db.write() as session:
                audit.record(session, actor or Actor.system("login"), "login" if actor else "login_failed", "user",
                             actor.user_id if actor else None, {"purpose": "audit_verify"},
                             station=audit.workstation(), result=result, username=context.args.as_user)

    try:
        actor = context.actor(audited=False)
    except AuthenticationFailed as refused:
        log_login(None, "locked" if isinstance(refused, AccountLocked) else "failed")
        raise
    permissions.require_role(actor, permissions.OVERSIGHT_ROLES, "核验审计日志")
    with db.read() as session:
        check = audit.verify_chain(session)
    for line in check.lines():
        print(line)
    if check.starts_after_purge is not None:
        print(f"（更早的记录已按保留期限清理；从第 {check.starts_after_purge} 号记录起核验）")
    print(f"最后一条记录的校验值：{check.head_hash or '（无）'}")
    log_login(actor, "ok")
    return 0 if check.intact else 1


@command
def cmd_audit_list(context: CliContext) -> int:
    from mediation_desk.services import audit, audit_names

    args = context.args
    db = context.database()
    actor = context.actor()
    since = datetime.combine(args.since, datetime.min.time()) if args.since else None
    until = datetime.combine(args.until + timedelta(days=1), datetime.min.time()) if args.until else None
    flt = audit.AuditFilter(since=since, until=until, username=args.user or "", action=args.action or "",
                            text=args.text or "")
    with db.read() as session:
        total = audit.count_entries(session, actor, flt)
        rows = audit.list_entries(session, actor, flt, limit=args.limit)

    def lines() -> Iterator[str]:
        for r in rows:
            name = audit_names.entity_name(r.entity)
            target = name if r.entity_id is None else f"{name} #{r.entity_id}"
            result = "" if r.result == "ok" else f"  [{r.result}]"
            yield (f"{r.id}\t{r.at:%Y-%m-%d %H:%M:%S}\t{r.username}\t{r.workstation or '—'}\t"
                   f"{r.action_label}\t{target}{result}")
        yield f"共 {total} 条，显示 {len(rows)} 条（最新的在前）。"

    context.emit(lambda: {"total": total, "entries": [asdict(r) for r in rows]}, lines())
    return 0


@command
def cmd_audit_purge(context: CliContext) -> int:
    from mediation_desk.services import audit

    db = context.database()
    actor = context.actor()
    with db.write() as session:
        result = audit.purge(session, actor, keep_days=context.args.keep_days)
    if result.removed:
        print(f"已清理 {result.cutoff:%Y-%m-%d %H:%M} 之前的 {result.removed} 条审计记录；"
              f"清理本身记为第 {result.entry_id} 号记录。")
    else:
        print(f"没有 {result.cutoff:%Y-%m-%d %H:%M} 之前的审计记录，无需清理。")
    return 0


@command
def cmd_audit_key_export(context: CliContext) -> int:
    from mediation_desk.files import write_atomically
    from mediation_desk.services import audit

    db = context.database()
    actor = context.actor()
    with db.read() as session:
        if audit.server_chain(session) is not None:
            print(audit.SERVER_KEY_NOTE)
            return 0
    target: Path | None = None
    try:
        with db.write() as session:  # the hand-over itself is an entry of the chain
            exported = audit.export_key(session, actor)
            audit.record(session, actor, "audit.key_export", "audit_key", None,
                         {"to": Path(context.args.to).name}, station=audit.workstation(), result="ok")
            # Written (0600, whole or not at all) inside the transaction: no file without its entry.
            target = write_atomically(context.args.to, exported + "\n", private=True, what="--to")
    except BaseException:
        if target is not None:
            target.unlink(missing_ok=True)
        raise
    print(f"审计密钥已导出到 {target}（仅本账户可读）。请用移动介质带到另一台工作台，"
          "用 audit key import 导入后删除此文件。")
    return 0


@command
def cmd_audit_key_import(context: CliContext) -> int:
    from mediation_desk.services import audit

    db = context.database()
    actor = context.actor()  # signed in before the key file is even read
    with db.read() as session:
        if audit.server_chain(session) is not None:
            print(audit.SERVER_KEY_NOTE)
            return 0
    path = Path(context.args.file)
    try:
        exported = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"无法读取密钥文件“{path}”：{getattr(exc, 'strerror', None) or exc}") from exc
    if len(exported) > 1000:
        raise CliError(f"密钥文件“{path}”不是导出的审计密钥（内容过长）。")
    with db.write() as session:
        audit.import_key(session, actor, exported)
        # Keyed now, and vouching for this command's own sign-in, written before the key was here.
        audit.record_key_import(session, actor, path.name)
    print(f"审计密钥已导入本机的系统钥匙串（审计链 {exported.strip().partition(':')[0]}）。"
          "可以删除密钥文件了。")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{done * 100 // total}%", end="", file=sys.stderr, flush=True)


@command
def cmd_backup(context: CliContext) -> int:
    from mediation_desk.services import backup

    db = context.database()
    actor = context.actor()
    folder = Path(context.args.to) if context.args.to else None
    if folder is not None and not folder.is_dir():
        raise CliError(f"目录“{folder}”不存在。")
    path = backup.backup_now(db, actor, folder, progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    what = "数据库已备份" if db.is_sqlite else "服务器数据已导出（SQLite 文件，可用 restore 导入空数据库）"
    print(f"{what}：{path}（{path.stat().st_size:,} 字节）")
    return 0


@command
def cmd_restore(context: CliContext) -> int:
    from mediation_desk.services import backup

    args = context.args
    if not args.as_user:
        context.actor()  # refused before the backup file is even opened
    path = Path(args.file)
    db = context.database(as_is=True)
    # The checked copy is the one written once confirmed: the file is not copied and checked twice.
    checked = backup.check_and_keep(path, db)
    try:
        check = checked.check
        print(f"备份文件检查通过：结构版本 {check.revision}，{check.cases} 件案件，{check.users} 个账户，"
              f"{check.audit_entries} 条审计记录。")
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError("恢复会替换当前数据库的全部内容。请加 --yes 确认。")
            answer = input(f"用它替换 {db.display_name} 的全部内容？（当前数据会先另存一份）输入 yes 确认：")
            if answer.strip().lower() != "yes":
                print("已取消，未做任何改动。")
                return 1
        result = backup.restore(db, path, context.actor(), progress=_progress, checked=checked)
    finally:
        checked.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"已从 {path.name} 恢复：{db.display_name}")
    if result.safety_backup:
        print(f"恢复前的数据库已另存为：{result.safety_backup}")
    if result.upgraded_from:
        print(f"备份来自旧版本，数据库结构已升级（{result.upgraded_from} → 最新）。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    audit_parser = sub.add_parser("audit", help="核验和查看审计日志")
    audit_sub = audit_parser.add_subparsers(dest="audit_command", required=True, metavar="子命令")
    p = audit_sub.add_parser("verify", help="核验审计日志的哈希链：完整则退出码 0，否则指出第一条被改动的记录")
    add_login(p, "以哪个账户（中心主任或系统管理员）的身份核验")
    p.set_defaults(func=cmd_audit_verify)
    p = audit_sub.add_parser("list", help="列出审计记录（最新的在前）")
    p.add_argument("--since", type=iso_date, help="从这一天起（YYYY-MM-DD）")
    p.add_argument("--until", type=iso_date, help="到这一天止（含）")
    p.add_argument("--user", type=text(40), help="只看这个用户名")
    p.add_argument("--action", type=text(80), help="只看这种操作，如 login、login_failed、case.open")
    p.add_argument("--text", type=text(200), help="在对象和详情中查找")
    p.add_argument("--limit", type=bounded_int(1, 1_000_000), default=200)
    p.add_argument("--json", action="store_true")
    add_login(p, "以哪个账户（中心主任或系统管理员）的身份查看")
    p.set_defaults(func=cmd_audit_list)
    p = audit_sub.add_parser("purge", help="清理超过保留期限的审计记录（至少保留 180 天）")
    p.add_argument("--keep-days", type=bounded_int(1, 36_500), default=180, help="保留天数（不少于 180）")
    add_login(p, "以哪个系统管理员账户的身份清理")
    p.set_defaults(func=cmd_audit_purge)
    key_parser = audit_sub.add_parser("key", help="在工作台之间交接审计密钥（仅中心主任）")
    key_sub = key_parser.add_subparsers(dest="key_command", required=True, metavar="子命令")
    p = key_sub.add_parser("export", help="把本机的审计密钥导出到文件（仅本账户可读），带到另一台工作台导入")
    p.add_argument("--to", metavar="FILE", required=True, type=path_text, help="写入的密钥文件")
    add_login(p, "以哪个中心主任账户的身份导出")
    p.set_defaults(func=cmd_audit_key_export)
    p = key_sub.add_parser("import", help="导入另一台工作台导出的审计密钥（须属于本数据库的审计链）")
    p.add_argument("file", metavar="密钥文件", type=path_text, help="audit key export 写出的文件")
    add_login(p, "以哪个中心主任账户的身份导入")
    p.set_defaults(func=cmd_audit_key_import)

    p = sub.add_parser("backup", help="备份数据库（SQLite 用备份接口；服务器导出为 SQLite 文件）")
    p.add_argument("--to", metavar="DIR", type=path_text, help="备份到这个目录（默认数据目录下的 backups）")
    add_login(p, "以哪个系统管理员账户的身份备份")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="从备份文件恢复数据库（先检查备份，并另存当前数据库）")
    p.add_argument("file", metavar="备份文件", type=path_text, help="备份文件（.sqlite3）")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    add_login(p, "以哪个系统管理员账户的身份恢复（当前数据库中的账户）")
    p.set_defaults(func=cmd_restore)
