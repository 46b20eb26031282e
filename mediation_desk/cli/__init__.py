"""The ``mediation-desk`` command: the same services as the app, for administrators and scripts.

With no subcommand it opens the app. ``--database URL`` overrides this desk's setting for one run.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy.exc
from sqlalchemy.engine import URL

from mediation_desk import __version__, credentials, dbschema, demo, settings
from mediation_desk.cli.args import (
    ChineseArgumentParser,
    bounded_int,
    database_url,
    failure_message,
    iso_date,
    name_text,
    out_file,
    path_text,
    safe_streams,
    scrub,
    text,
    write_safely,
)
from mediation_desk.db import (
    Database,
    DatabaseError,
    check_schema,
    current_revision,
    ensure_current,
    head_revision,
    resolve_url,
    upgrade,
)
from mediation_desk.files import TargetRefused, write_atomically
from mediation_desk.models import CaseState, Role
from mediation_desk.readmodels import masking
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import (
    audit,
    auth,
    calendar,
    case_import,
    caselist,
    cases,
    dossier,
    reference,
    validation,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import ServiceError


class CliError(Exception):
    pass


#: Largest demo center the command builds (the benchmarks use a million cases).
DEMO_MAX_CASES = 2_000_000
#: Row ids are 32-bit integers on PostgreSQL.
MAX_ROW_ID = 2 ** 31 - 1


def _json_default(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _open(args: argparse.Namespace, *, migrate: bool = False, create: bool = False) -> Database:
    url = resolve_url(args.database)
    # The desk's own default file is created on demand; a path typed on the command line must exist
    # (a typo would otherwise silently start an empty database).
    db = Database(url, create=create or not args.database)
    if migrate:
        return db
    if db.is_sqlite:
        upgrade(db)
    else:
        ensure_current(db)
    return db


def _read_password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再次输入：") != first:
        raise CliError("两次输入的密码不一致。")
    return first


def _actor(db: Database, args: argparse.Namespace) -> Actor:
    """The acting user for case commands: --as USER with a password, or the system actor."""
    username = getattr(args, "as_user", None)
    if not username:
        return Actor.system("cli")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(f"{username} 的密码：")
    return auth.login(db, username, password)


# --------------------------------------------------------------------------- commands


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


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    url = _server_password(args, resolve_url(args.database))
    db = Database(url, create=True)
    try:
        with _server_errors(url, _password_step(url)):
            report = upgrade(db, backup=not args.no_backup)
            with db.write() as session:
                # A new center starts with the standard dispute types; an existing list is left alone.
                reference.ensure_dispute_types(session)
    finally:
        db.dispose()
    shown = credentials.display_url(url)
    if not report.changed:
        print(f"数据库已是最新结构（{report.to_revision}）：{shown}")
    else:
        print(f"数据库结构已升级：{report.from_revision or '空库'} → {report.to_revision}（{shown}）")
        if report.backup:
            print(f"升级前的备份：{report.backup}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    url = _server_password(args, resolve_url(args.database))
    db = Database(url, create=not args.database)
    try:
        with _server_errors(url, _password_step(url)):
            check_schema(db)
            # A SQLite file's schema must be exactly the one its revision's migrations make (a
            # planted trigger or hidden table is named); exit status 2 with the list otherwise.
            dbschema.require_expected(db)
            ensure_current(db)
    finally:
        db.dispose()
    print(f"数据库结构正常：{credentials.display_url(url)}")
    return 0


def cmd_db_connect(args: argparse.Namespace) -> int:
    """Make this desk use a center server. The connection is tried first (a wrong password is not
    kept); then the password goes to the keychain, or with ``--pgpass`` to libpq's password file,
    and the URL without it to the desk's settings."""
    url = resolve_url(args.url)
    clean, password = credentials.split_password(url)
    if clean.get_backend_name() != "postgresql":
        db = Database(clean)
        with db.writer.connect():
            pass
        db.dispose()
        _save_database_setting(clean)
        print(f"本机已改为使用数据库：{db.display_name}")
        return 0
    if password is None and args.ask_password:
        password = getpass.getpass(f"{clean.username or ''}@{clean.host or 'localhost'} 的数据库密码：")
    shown = credentials.display_url(clean)
    step = (f"请加 --ask-password 重新运行，输入这个数据库账户的密码：mediation-desk db connect {shown} --ask-password"
            + ("" if args.pgpass else "（没有桌面钥匙串的电脑再加 --pgpass）") + "。")
    # Tried with exactly what was given: the typed password, else what libpq finds (.pgpass) —
    # not an older keychain entry, which would hide a mistyped one.
    db = Database(clean.set(password=password) if password else clean)
    try:
        with _server_errors(clean, step):
            revision = current_revision(db)
    finally:
        db.dispose()
    if password and args.pgpass:
        path = credentials.store_in_pgpass(clean, password)
        print(f"密码已写入 {path}（只有本用户能读，连接时由 PostgreSQL 客户端库自行读取）。")
    elif password:
        credentials.store_password(clean, password)
        print("密码已存入系统钥匙串。")
    _save_database_setting(clean)
    print(f"本机已改为使用数据库：{shown}")
    if revision is None:
        print("注意：服务器上的数据库还是空的。请中心管理员先运行 mediation-desk db upgrade，或在本机首次启动的向导里"
              "设置中心（见 docs/deployment.md）。")
    elif revision != head_revision():
        print(f"注意：服务器上的数据库结构（{revision}）与本程序（{head_revision()}）不一致，"
              f"请中心管理员运行 mediation-desk --database {shown} db upgrade --ask-password。")
    return 0


def _save_database_setting(url: URL) -> None:
    desk_settings = settings.DeskSettings.load()
    desk_settings.database_url = url.render_as_string(hide_password=True)
    desk_settings.save()


def cmd_demo(args: argparse.Namespace) -> int:
    db = _open(args, create=True)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r生成演示案件 {done}/{total}", end="", file=sys.stderr, flush=True)

    with db.write() as session:
        try:
            summary = demo.seed(session, args.cases, seed_value=args.seed, progress=progress)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"演示中心已建立：{summary.departments} 个进驻部门，{summary.teams} 个调解团队，"
        f"{summary.mediators} 名调解员，{summary.users} 个账户，{summary.cases} 件案件。"
    )
    print("演示账户：" + "、".join(f"{u}（{r.label}）" for u, _, r in demo.DEMO_USERS)
          + f"，密码均为 {demo.DEMO_PASSWORD}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    db = _open(args)
    password = _read_password(args)
    with db.write() as session:
        info = auth.create_user(
            session, Actor.system("cli"), username=args.username, display_name=args.name,
            role=Role(args.role), password=password, must_change_password=not args.no_change,
        )
    print(f"已创建账户 {info.username}（{info.display_name}，{info.role.label}）。")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    db = _open(args)
    password = _read_password(args, "新密码：")
    with db.write() as session:
        auth.set_password(session, Actor.system("cli"), args.username, password)
    print(f"已重设 {args.username} 的密码；下次登录时须修改。")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    db = _open(args)
    with db.read() as session:
        users = auth.list_users(session, Actor.system("cli"))
    if args.json:
        _print_json([asdict(u) for u in users])
        return 0
    for u in users:
        state = "停用" if not u.active else ("锁定" if u.locked_until and u.locked_until > datetime.now() else "正常")
        print(f"{u.username:<16}{u.display_name:<10}{u.role.label:<8}{state}")
    return 0


def cmd_case_list(args: argparse.Namespace) -> int:
    db = _open(args)
    states = frozenset(CaseState(s) for s in args.state) if args.state else frozenset()
    query = caselist.CaseQuery(filter=CaseFilter(states=states), sort=caselist.SortKey(args.sort))
    actor = Actor.system("cli")
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, args.limit, total=total)
    if args.json:
        _print_json({"total": total, "cases": [
            {k: v for k, v in asdict(r).items() if k != "sort_key"} for r in rows]})
        return 0
    for r in rows:
        print(f"{r.number}\t{r.state.label}\t{r.dispute_type}\t{r.received_at:%Y-%m-%d}\t{r.applicants}\t{r.title}")
    print(f"共 {total} 件，显示 {len(rows)} 件。")
    return 0


def cmd_case_show(args: argparse.Namespace) -> int:
    db = _open(args)
    with db.read() as session:
        detail = cases.case_detail_by_number(session, Actor.system("cli"), args.number)
    audit.record_access(db, Actor.system("cli"), detail.id, purpose="cli")  # personal data shown
    if args.json:
        _print_json(asdict(detail))
        return 0
    print(f"{detail.number}  {detail.title}")
    print(f"状态：{detail.state.label}  类型：{detail.dispute_type}  团队：{detail.team or '—'}  "
          f"承办：{detail.lead_mediator or '—'}")
    print(f"登记：{detail.received_at:%Y-%m-%d %H:%M}")
    for p in detail.parties:
        print(f"  {p.role.label}：{p.name}")
    print("时间线：")
    for e in detail.events:
        move = f"{e.from_state.label if e.from_state else ''}→{e.to_state.label if e.to_state else ''}"
        print(f"  {e.at:%Y-%m-%d %H:%M}  {e.user_name}  {move}  {e.note}")
    return 0


def cmd_case_act(args: argparse.Namespace) -> int:
    db = _open(args)
    actor = _actor(db, args)
    with db.write() as session:
        detail = cases.case_detail_by_number(session, actor, args.number)
        if args.action == workflow.Action.ASSIGN:
            if not args.team:
                raise CliError("分派须用 --team 指定调解团队。")
            team = _choice(reference.teams(session), args.team, "调解团队")
            lead = _choice(reference.mediators(session), args.lead, "调解员") if args.lead else None
            cases.assign_case(session, actor, detail.id, team_id=team, lead_mediator_id=lead, note=args.note or "")
        else:
            workflow.transition(session, actor, detail.id, args.action, note=args.note or "")
        after = cases.case_detail(session, actor, detail.id).state
    print(f"{args.number}：{detail.state.label} → {after.label}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check one value as the intake form would: exit 0 when valid; refused, the form's message and
    exit 2 as for every other argument the command refuses."""
    try:
        if args.kind == "id":
            info = validation.check_resident_id(args.value)
            print(f"有效：{info.number}，出生日期 {info.birth_date:%Y年%m月%d日}，性别 {info.gender.label}")
        elif args.kind == "phone":
            print(f"有效：{validation.check_phone(args.value)}")
        else:
            print(f"有效：{validation.check_credit_code(args.value)}")
    except ServiceError as exc:
        print(f"错误：{scrub(exc.message)}", file=sys.stderr)
        return 2
    return 0


def cmd_import_cases(args: argparse.Namespace) -> int:
    db = _open(args)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"找不到文件“{path}”。")
    with db.write() as session:
        report = case_import.import_records(session, Actor.system("import"), case_import.read_records(path))
    for error in report.errors:
        print(scrub(str(error)), file=sys.stderr)  # a row's ID number or phone is shown masked
    print(f"导入 {report.imported} 件，已导入过而跳过 {report.already_imported} 件，"
          f"有错未导入 {len({e.line for e in report.errors})} 行。")
    if report.numbers:
        print(f"案号：{report.numbers[0]} 至 {report.numbers[-1]}" if len(report.numbers) > 1 else
              f"案号：{report.numbers[0]}")
    return 1 if report.errors else 0


def cmd_mask(args: argparse.Namespace) -> int:
    if args.kind == "name":
        print(masking.mask_name(args.value, style=args.style))
    elif args.kind == "id":
        print(masking.mask_id_number(args.value))
    else:
        print(masking.mask_phone(args.value))
    return 0


def _calendar(args: argparse.Namespace) -> calendar.WorkingCalendar:
    db = _open(args)
    with db.read() as session:
        working = calendar.WorkingCalendar.load(session)
        missing = calendar.uncovered_years(session, date.today())
    if missing:
        years = "、".join(str(y) for y in missing)
        print(f"注意：{years} 年的节假日安排尚未录入，这些年份按周一至周五计算。", file=sys.stderr)
    return working


def cmd_calendar_add(args: argparse.Namespace) -> int:
    print(_calendar(args).add_working_days(args.date, args.days).isoformat())
    return 0


def cmd_calendar_between(args: argparse.Namespace) -> int:
    print(_calendar(args).working_days_between(args.start, args.end))
    return 0


def cmd_calendar_set(args: argparse.Namespace) -> int:
    db = _open(args)
    with db.write() as session:
        entry = calendar.set_entry(session, Actor.system("cli"), args.date, is_workday=args.workday, name=args.name)
    kind = "调休上班" if entry.is_workday else "放假"
    print(f"已登记：{entry.day:%Y年%m月%d日} {entry.name} {kind}")
    return 0


def cmd_doc(args: argparse.Namespace) -> int:
    db = _open(args)
    actor = _actor(db, args)
    with db.read() as session:
        pdf = dossier.render_document_by_number(session, actor, args.number, args.kind, document_id=args.id)
    # Written beside the target and renamed, so a reader never opens half a PDF.
    target = write_atomically(args.out, pdf)
    print(f"{args.number}：{dossier.DOCUMENT_TITLES[args.kind]}已写入 {target}（{len(pdf):,} 字节）")
    return 0


def _choice(choices: list[reference.Choice], name: str, what: str) -> int:
    for choice in choices:
        if choice.name == name:
            return choice.id
    raise CliError(f"没有名为“{name}”的{what}。可选：" + "、".join(c.name for c in choices))


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="mediation-desk", description="矛调工作台：县级矛盾纠纷调处中心案件管理")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--database", metavar="URL", type=database_url,
                        help="数据库地址（默认为本机设置或用户数据目录中的 SQLite 文件），"
                             "如 sqlite:////路径/文件.sqlite3 或 postgresql+psycopg://用户@服务器/库名")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    db_parser = sub.add_parser("db", help="创建、升级、检查数据库")
    db_sub = db_parser.add_subparsers(dest="db_command", required=True, metavar="子命令")
    p = db_sub.add_parser("upgrade", help="创建或升级数据库结构（SQLite 会先自动备份）")
    p.add_argument("--no-backup", action="store_true", help="升级前不备份 SQLite 文件")
    p.add_argument("--ask-password", action="store_true", help="提示输入数据库密码（只用于这一次，不保存）")
    p.set_defaults(func=cmd_db_upgrade)
    p = db_sub.add_parser("check", help="检查数据库结构是否与本程序一致")
    p.add_argument("--ask-password", action="store_true", help="提示输入数据库密码（只用于这一次，不保存）")
    p.set_defaults(func=cmd_db_check)
    p = db_sub.add_parser("connect", help="让本机使用中心服务器（密码存入系统钥匙串，或用 --pgpass 存入 .pgpass）")
    p.add_argument("url", metavar="数据库地址", type=database_url,
                   help="如 postgresql://mediation@192.168.1.10/mediation（不要把密码写在这里）")
    p.add_argument("--ask-password", action="store_true", help="提示输入数据库密码")
    p.add_argument("--pgpass", action="store_true",
                   help="把密码存入本用户的 .pgpass 文件（只有本用户能读），用于没有桌面钥匙串的电脑")
    p.set_defaults(func=cmd_db_connect)

    p = sub.add_parser("demo", help="在新建的空数据库中生成演示中心和案件")
    p.add_argument("--cases", type=bounded_int(0, DEMO_MAX_CASES), default=300, help="演示案件数（默认 300）")
    p.add_argument("--seed", type=bounded_int(0, 2 ** 32 - 1), default=2026, help="随机种子，相同种子生成相同数据")
    p.set_defaults(func=cmd_demo)

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

    p = sub.add_parser("check", help="按受理登记表的规则检查身份证号、电话或统一社会信用代码")
    p.add_argument("kind", choices=["id", "phone", "uscc"], help="id=身份证号，phone=电话，uscc=统一社会信用代码")
    p.add_argument("value", metavar="值", type=text(100))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("import-cases", help="从 12345 热线、网格平台等导出的 CSV 或 JSON 文件批量导入案件",
                       description="列的含义见 docs/import-cases.md")
    p.add_argument("file", metavar="文件", type=path_text, help="CSV 或 JSON 文件（UTF-8 或 GB18030）")
    p.set_defaults(func=cmd_import_cases)

    p = sub.add_parser("mask", help="按公示规则显示姓名、证件号或电话的化名形式")
    p.add_argument("kind", choices=["name", "id", "phone"])
    p.add_argument("value", metavar="值", type=text(200))
    p.add_argument("--style", choices=list(masking.STYLES), default="某", help="姓名化名样式")
    p.set_defaults(func=cmd_mask)

    cal = sub.add_parser("calendar", help="按法定节假日（含调休）计算工作日")
    cal_sub = cal.add_subparsers(dest="calendar_command", required=True, metavar="子命令")
    p = cal_sub.add_parser("add", help="打印 DATE 之后第 N 个工作日")
    p.add_argument("date", metavar="日期", type=iso_date, help="起算日期 YYYY-MM-DD")
    p.add_argument("days", metavar="天数", type=bounded_int(-100_000, 100_000), help="工作日数（负数为向前）")
    p.set_defaults(func=cmd_calendar_add)
    p = cal_sub.add_parser("between", help="打印 A 之后到 B（含）之间的工作日数")
    p.add_argument("start", metavar="起始日期", type=iso_date)
    p.add_argument("end", metavar="截止日期", type=iso_date)
    p.set_defaults(func=cmd_calendar_between)
    p = cal_sub.add_parser("set", help="录入国务院公布的节假日安排中的一天（放假或调休上班）")
    p.add_argument("date", metavar="日期", type=iso_date)
    p.add_argument("name", metavar="节日名称", type=name_text(40), help="节日名称，如 春节")
    p.add_argument("--workday", action="store_true", help="这一天是调休上班日（缺省为放假）")
    p.set_defaults(func=cmd_calendar_set)

    p = sub.add_parser("doc", help="生成案件文书 PDF：受理登记表、申请书、告知书、调查记录、调解记录、协议书、"
                                   "口头协议登记表、司法确认申请书、受理回执、卷宗")
    p.add_argument("kind", choices=list(dossier.DOCUMENT_KINDS),
                   help="，".join(f"{k}={dossier.DOCUMENT_TITLES[k]}" for k in dossier.DOCUMENT_KINDS))
    p.add_argument("number", metavar="案号", type=text(60), help="案号，如 （2026）甘矛调字第0001号")
    p.add_argument("--out", required=True, type=out_file(".pdf"), help="写入的 PDF 文件")
    p.add_argument("--id", type=bounded_int(1, MAX_ROW_ID), help="调查记录、调解记录或协议的编号（默认最新的一份）")
    p.add_argument("--as", dest="as_user", type=text(40), help="以哪个账户的身份生成（卷宗的立卷人）；默认系统")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取该账户的密码")
    p.set_defaults(func=cmd_doc)

    case = sub.add_parser("case", help="查看和办理案件")
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="子命令")
    p = case_sub.add_parser("list", help="列出案件（最新登记的在前）")
    p.add_argument("--state", action="append", choices=[s.value for s in CaseState], help="按状态筛选，可重复")
    p.add_argument("--sort", default="received", choices=[k.value for k in caselist.SortKey])
    p.add_argument("--limit", type=bounded_int(1, 1_000_000), default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_case_list)
    p = case_sub.add_parser("show", help="显示一件案件")
    p.add_argument("number", metavar="案号", type=text(60), help="案号，如 （2026）甘矛调字第0001号")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_case_show)
    p = case_sub.add_parser("act", help="对案件执行流程操作")
    p.add_argument("number", metavar="案号", type=text(60))
    p.add_argument("action", choices=[a.value for a in workflow.Action],
                   help="，".join(f"{a.value}={t.label}" for a, t in workflow.TRANSITIONS.items()))
    p.add_argument("--note", type=text(2000, allow_empty=True), help="备注或理由")
    p.add_argument("--team", type=name_text(80), help="分派时的调解团队名称")
    p.add_argument("--lead", type=name_text(60), help="分派时的承办调解员姓名")
    p.add_argument("--as", dest="as_user", type=text(40), required=True, help="以哪个账户的身份操作")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取该账户的密码")
    p.set_defaults(func=cmd_case_act)

    # Commands kept in their own modules (they import this one for _open, _actor and CliError).
    from mediation_desk.cli import admin as cli_admin
    from mediation_desk.cli import exchange as cli_exchange
    from mediation_desk.cli import publicity as cli_publicity
    from mediation_desk.cli import report as cli_report
    from mediation_desk.cli import retention as cli_retention
    from mediation_desk.cli import search as cli_search

    cli_admin.add_commands(sub)
    cli_retention.add_commands(sub)
    cli_search.add_commands(sub)
    cli_exchange.add_commands(sub)
    cli_publicity.add_commands(sub)
    cli_report.add_commands(sub)
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

        auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    parser = build_parser()
    args = parser.parse_args(args_list)
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
    except (ServiceError, DatabaseError, CliError, credentials.CredentialError) as exc:
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
