"""What went wrong with the database, in Chinese, by cause. No Qt here.

libpq and psycopg explain a failed connection or statement in English ("Connection refused … Is
the server running on that host …", "password authentication failed for user …"). Nobody at a
mediation center should read those: :func:`explain` turns a database exception (psycopg's own,
SQLAlchemy's wrapper of it, or SQLite's) into a :class:`Problem` whose message says in Chinese
what happened, what it means for the work at hand and what to do. The raw text is never part of
the message (it goes to the log); a server address is quoted from the error only as host and port,
so a password in a connection URL can never be echoed.

Both the app (its task runner's failure path) and the command line (its top-level handler) use it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

#: Said after every failure of a write: the user's input is still on the screen.
NOTHING_SAVED = "本次操作未完成，数据没有改动，已填写的内容仍保留在窗口中。"


@dataclass(frozen=True)
class Problem:
    """A database failure explained for a person."""

    #: The cause in Chinese: what happened and what to do.
    message: str
    #: The server cannot be reached (or was lost mid-way): the desk shows its outage banner.
    unreachable: bool
    #: A short name of the cause (for logs and tests), e.g. ``refused``, ``password``.
    cause: str

    @property
    def reason(self) -> str:
        """The cause alone, without what it means for a window's input (for banners and the CLI)."""
        return self.message.removesuffix(NOTHING_SAVED)


_SERVER_AT = re.compile(r'connection to server at "([^"]+)"(?: \([^)]*\))?, port (\d+)')
_SERVER_SOCKET = re.compile(r'connection to server on socket "([^"]+)"')
_HOST_NAME = re.compile(r"""(?:translate host name|resolve host) ["']([^"']+)["']""")


def _server(text: str) -> str:
    """The server an error names, as ``host:port`` (never a URL: no user, no password)."""
    if match := _SERVER_AT.search(text):
        return f"{match.group(1)}:{match.group(2)}"
    if match := _SERVER_SOCKET.search(text):
        return match.group(1)
    if match := _HOST_NAME.search(text):
        return match.group(1)
    return ""


def _at(text: str) -> str:
    server = _server(text)
    return f"（{server}）" if server else ""


def _chain(error: BaseException) -> list[BaseException]:
    """The error, what it wraps (SQLAlchemy's ``orig``) and what caused it, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not s for s in seen) and len(seen) < 10:
        seen.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return seen


def _sqlstate(chain: list[BaseException]) -> str | None:
    for item in chain:
        code = getattr(item, "sqlstate", None) or getattr(item, "pgcode", None)
        if isinstance(code, str) and code:
            return code
    return None


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` comes from the database driver or SQLAlchemy (and :func:`explain` applies)."""
    for item in _chain(error):
        if isinstance(item, SQLAlchemyError | sqlite3.Error):
            return True
        module = type(item).__module__ or ""
        if module.startswith(("psycopg", "sqlcipher3")):
            return True
    return False


def explain(error: BaseException) -> Problem | None:
    """The Chinese explanation of a database failure; None when ``error`` is not one."""
    if not is_database_error(error):
        return None
    chain = _chain(error)
    code = _sqlstate(chain)
    # The driver's text, not SQLAlchemy's (which appends the statement and its parameters).
    driver = next((c for c in chain if not isinstance(c, SQLAlchemyError)), chain[0])
    text = str(driver)
    low = text.lower()
    at = _at(text)

    def down(cause: str, message: str) -> Problem:
        return Problem(message, True, cause)

    def refused(cause: str, message: str) -> Problem:
        return Problem(message, False, cause)

    # ---- the server cannot be reached at all
    if "connection refused" in low:
        return down("refused", f"无法连接到中心服务器{at}：服务器拒绝连接。可能是数据库服务未运行、正在重启，"
                               "或端口被防火墙拦截。请稍后重试，并请系统管理员检查服务器。" + NOTHING_SAVED)
    if any(s in low for s in ("could not translate host name", "failed to resolve host",
                              "name or service not known", "temporary failure in name resolution",
                              "nodename nor servname")):
        return down("host", f"找不到中心服务器{at}：这个服务器名称无法解析。请检查本机网络，"
                            "或在“设置 → 数据库连接”中核对服务器地址。" + NOTHING_SAVED)
    if any(s in low for s in ("network is unreachable", "no route to host", "host is unreachable")):
        return down("network", f"无法连接到中心服务器{at}：网络不通。请检查本机网线或无线网络，"
                               "以及服务器是否开机。" + NOTHING_SAVED)
    if isinstance(error, PoolTimeout):
        # Every connection of this desk is busy (a long export, say): the server itself answers.
        return refused("pool", "本机与数据库之间的连接都在忙（例如正在进行较长的导出或统计），请稍后重试。"
                               + NOTHING_SAVED)
    if "timeout expired" in low or "timed out" in low or "connection timeout" in low:
        return down("timeout", f"连接中心服务器{at}超时：服务器在规定时间内没有响应。可能是网络中断或服务器负载过高，"
                               "请稍后重试。" + NOTHING_SAVED)
    if code in ("57P01", "57P02") or "terminating connection due to administrator command" in low:
        return down("shutdown", f"中心服务器{at}正在关闭或重启，连接已被断开。请稍后重试。" + NOTHING_SAVED)
    if code == "57P03" or "the database system is starting up" in low or "the database system is shutting down" in low \
            or "the database system is in recovery mode" in low:
        return down("starting", f"中心服务器{at}正在启动或关闭，暂时不接受连接。请稍等片刻再试。" + NOTHING_SAVED)
    if any(s in low for s in ("server closed the connection unexpectedly", "connection is lost",
                              "the connection is closed", "consuming input failed", "connection reset",
                              "broken pipe", "could not receive data from server", "could not send data to server",
                              "eof detected", "terminating connection")) or code in ("08000", "08003", "08006"):
        return down("lost", f"与中心服务器{at}的连接意外中断（服务器重启或网络故障）。本机会自动重连。"
                            + NOTHING_SAVED)
    # ---- reachable, but it will not let this desk in
    if code == "28P01" or "password authentication failed" in low:
        user = re.search(r'for user "([^"]{1,128})"', text)
        who = f"账户“{user.group(1)}”" if user else "该账户"
        return refused("password", f"中心服务器{at}拒绝登录：{who}的数据库密码不正确。请在“设置 → 数据库连接”中"
                                   "重新输入密码，或请系统管理员核对。" + NOTHING_SAVED)
    if "no password supplied" in low:
        return refused("password", f"中心服务器{at}要求数据库密码，但本机没有保存密码。请在“设置 → 数据库连接”中"
                                   "输入密码。" + NOTHING_SAVED)
    if "pg_hba.conf" in low:
        encryption = "（未加密的连接）" if "no encryption" in low else ""
        return refused("hba", f"中心服务器{at}不允许本机连接{encryption}：服务器的访问规则（pg_hba.conf）中"
                              "没有本机地址、此账户或此数据库的条目。请系统管理员在服务器上为本机添加访问规则。"
                              + NOTHING_SAVED)
    if any(s in low for s in ("ssl", "tls", "certificate")):
        if "does not support ssl" in low:
            detail = "服务器不支持加密连接，而本机要求加密（sslmode）"
        elif "certificate" in low:
            detail = "服务器证书无法验证（证书过期、名称不符或不受信任）"
        else:
            detail = "加密连接（SSL/TLS）建立失败"
        return refused("tls", f"无法与中心服务器{at}建立安全连接：{detail}。请系统管理员检查服务器证书和本机的"
                              "连接设置。" + NOTHING_SAVED)
    if code == "3D000" or ("database" in low and "does not exist" in low):
        name = re.search(r'database "([^"]{1,128})" does not exist', text)
        db = f"“{name.group(1)}”" if name else ""
        return refused("database", f"中心服务器{at}上没有名为{db}的数据库。请在“设置 → 数据库连接”中核对数据库名，"
                                   "或请系统管理员先创建它。" + NOTHING_SAVED)
    if code == "28000" or ("role" in low and "does not exist" in low):
        name = re.search(r'role "([^"]{1,128})" does not exist', text)
        who = f"“{name.group(1)}”" if name else ""
        return refused("role", f"中心服务器{at}上没有数据库账户{who}。请系统管理员创建该账户，或在“设置 → 数据库连接”"
                               "中核对用户名。" + NOTHING_SAVED)
    if code in ("53300", "53400") or "too many clients" in low or "too many connections" in low \
            or "connection slots are reserved" in low:
        return refused("busy", f"中心服务器{at}的连接数已满，暂时无法接入更多窗口。请稍后重试，或请系统管理员"
                               "调大服务器的最大连接数（max_connections）。" + NOTHING_SAVED)
    # ---- the statement itself failed
    if code == "53100" or "could not extend file" in low or "no space left on device" in low \
            or "database or disk is full" in low:
        return refused("disk_full", "数据库所在的磁盘空间已满，本次保存未完成，已保存的数据未受影响。"
                                    "请系统管理员清理磁盘后重试。")
    if code == "25006" or "read-only transaction" in low or "during recovery" in low \
            or "attempt to write a readonly database" in low:
        return refused("read_only", f"数据库{at}当前是只读的（备用服务器、维护中，或文件没有写入权限），"
                                    "无法保存。请系统管理员检查。" + NOTHING_SAVED)
    if code == "42501" or "permission denied" in low:
        # On a center server each person works as their own database role (docs/security.md):
        # the server itself refused what this role may not read or change.
        return refused("privilege", "数据库服务器拒绝了这项操作：当前登录的账户（或本机使用的数据库账户）"
                                    "没有读取或修改这些数据的权限。如确属工作需要，请联系系统管理员。"
                                    + NOTHING_SAVED)
    if code in ("40001", "40P01") or "deadlock detected" in low or "could not serialize" in low:
        return refused("retry", "另一处正在同时修改相同的数据，本次保存被数据库撤销。请再保存一次。" + NOTHING_SAVED)
    if code == "57014" or "canceling statement" in low:
        return refused("cancelled", "数据库操作耗时过长，已被服务器取消。请稍后重试。" + NOTHING_SAVED)
    if "database is locked" in low or "database is busy" in low:
        return refused("locked", "数据库文件正被另一个程序占用（例如正在备份或另一窗口在保存），请稍后重试。"
                                 + NOTHING_SAVED)
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return down("lost", f"与中心服务器{at}的连接意外中断（服务器重启或网络故障）。本机会自动重连。"
                            + NOTHING_SAVED)
    suffix = f"（错误代码 {code}）" if code else ""
    return refused("other", f"数据库未能完成这项操作{suffix}。详细原因已写入日志文件，请告知系统管理员。"
                            + NOTHING_SAVED)


__all__ = ["NOTHING_SAVED", "Problem", "explain", "is_database_error"]
