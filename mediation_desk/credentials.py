"""Where a desk finds its server password, and what to say when it finds none.

A desk with a desktop session keeps the password in the OS keychain through ``keyring``
(Windows Credential Manager, macOS Keychain, GNOME Keyring / KWallet through the Secret Service).
A computer with no desktop keychain (a headless Linux PC, a session without a keychain service)
keeps it in libpq's own password file instead — ``~/.pgpass`` (``%APPDATA%\\postgresql\\pgpass.conf``
on Windows, or ``PGPASSFILE``), readable only by its user — which libpq reads by itself whenever a
URL carries no password. Nothing here writes a password anywhere else, and nothing logs one.

Also here: the Chinese description of a failed connection to the server, with the step that fixes
it (``describe_connection_error``), for the first-run wizard and the ``db`` commands.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from enum import Enum
from pathlib import Path

import keyring
import keyring.errors
from sqlalchemy.engine import URL

from .files import write_atomically

SERVICE = "mediation-desk/postgresql"
PGPASS_ENV = "PGPASSFILE"
DEFAULT_PORT = 5432

log = logging.getLogger(__name__)


class CredentialError(RuntimeError):
    pass


class KeychainUnavailable(CredentialError):
    """This computer has no usable keychain: the password can go to the .pgpass file instead."""


def account_for(url: URL) -> str:
    """The keychain account a server password is filed under: user@host:port/database."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or DEFAULT_PORT}/{url.database or ''}"


# --------------------------------------------------------------------------- the keychain


def _keychain_reason(exc: BaseException | None) -> str:
    """Why the keychain cannot be used, in Chinese (keyring's own messages are English)."""
    text = str(exc or "")
    if exc is None or isinstance(exc, keyring.errors.NoKeyringError) or "No recommended backend" in text:
        return "本机没有运行任何钥匙串服务"
    if "Prompt dismissed" in text or "prompt" in text.lower():
        return "钥匙串服务无法弹出创建或解锁钥匙串的窗口（没有桌面会话）"
    if "locked" in text.lower():
        return "系统钥匙串已锁定"
    return f"钥匙串服务出错（{type(exc).__name__}）"


def _no_backend() -> bool:
    backend = keyring.get_keyring()
    return type(backend).__module__.endswith((".fail", ".null")) or getattr(backend, "priority", 1) <= 0


def find_session_keychain() -> bool:
    """On Linux, reach the keychain of the user's desktop session when this process was started
    without the session's D-Bus address (``su``, ``sudo -u``, cron, some launchers and terminals):
    keyring then sees no keychain although the user's bus is there (``$XDG_RUNTIME_DIR/bus``) and
    starts GNOME Keyring or KWallet's Secret Service on demand. Returns whether it switched.

    Nothing is tried when ``PYTHON_KEYRING_BACKEND`` chooses a backend or a bus address is set."""
    if sys.platform != "linux" or not _no_backend():
        return False
    if os.environ.get("PYTHON_KEYRING_BACKEND") or os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    bus = Path(runtime) / "bus"
    if not bus.is_socket():
        return False
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
    try:
        from keyring.backends import SecretService

        # The priority asks the bus whether a Secret Service runs or can be started; it raises if not.
        if SecretService.Keyring.priority <= 0:
            raise RuntimeError("no Secret Service")
        keyring.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]
    except Exception as exc:
        del os.environ["DBUS_SESSION_BUS_ADDRESS"]
        log.info("No keychain on the session bus %s: %s", bus, type(exc).__name__)
        return False
    log.info("Using the keychain of the session bus %s", bus)
    return True


def keychain_problem() -> str | None:
    """Why this computer has no usable keychain (Chinese), or None when one seems to be there.

    Only the backend keyring chose is looked at: a Secret Service that cannot show its unlock
    prompt is found out when a password is stored (``store_password`` then raises
    ``KeychainUnavailable``)."""
    find_session_keychain()
    return _keychain_reason(None) if _no_backend() else None


def store_password(url: URL, password: str) -> None:
    find_session_keychain()
    try:
        keyring.set_password(SERVICE, account_for(url), password)
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailable(no_keychain_message(url, _keychain_reason(exc))) from exc


# --------------------------------------------------------------------------- SQLCipher keys

#: The keychain service of the keys of encrypted SQLite files (``mediation_desk.dbcipher``); each
#: key is filed under its file's id (the file's SQLCipher salt, hex), which moves with the file.
DATABASE_KEY_SERVICE = "mediation-desk/database"


def store_database_key(file_id: str, key: str) -> None:
    """Keep the key of the encrypted file ``file_id``; ``KeychainUnavailable`` (Chinese) if no
    keychain can take it (the caller then keeps the file unencrypted and says so)."""
    find_session_keychain()
    if _no_backend():
        raise KeychainUnavailable(_keychain_reason(None))
    try:
        keyring.set_password(DATABASE_KEY_SERVICE, file_id, key)
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailable(_keychain_reason(exc)) from exc


def load_database_key(file_id: str) -> str | None:
    """The key of the encrypted file ``file_id``, or None when the keychain has none;
    ``KeychainUnavailable`` when there is no keychain to ask or it refuses (locked)."""
    find_session_keychain()
    if _no_backend():
        raise KeychainUnavailable(_keychain_reason(None))
    try:
        value: str | None = keyring.get_password(DATABASE_KEY_SERVICE, file_id)
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailable(_keychain_reason(exc)) from exc
    return value


def delete_database_key(file_id: str) -> None:
    """Forget the key of a file that is no longer encrypted with it (nothing if there is none)."""
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(DATABASE_KEY_SERVICE, file_id)


def no_keychain_message(url: URL, reason: str) -> str:
    return (
        f"无法把数据库密码存入系统钥匙串：{reason}。没有桌面钥匙串的电脑（例如无图形界面的 Linux）请把密码"
        f"存入本用户的 .pgpass 文件：mediation-desk db connect {display_url(url)} --ask-password --pgpass"
        f"（密码写入 {pgpass_path()}，只有本用户能读）。有桌面的 Linux 也可以安装 gnome-keyring（或 KWallet）"
        "后在桌面里重试。"
    )


def load_password(url: URL) -> str | None:
    """The keychain's password for this server, or None.

    A keychain that is missing, locked or cannot prompt gives None: the desk then connects without
    a password and libpq looks in .pgpass by itself; a server that still wants one says so, and
    ``describe_connection_error`` explains what to do."""
    find_session_keychain()
    try:
        value: str | None = keyring.get_password(SERVICE, account_for(url))
    except keyring.errors.KeyringError as exc:
        log.info("No password from the keychain (%s): %s", type(exc).__name__, _keychain_reason(exc))
        return None
    return value


def with_password(url: URL) -> URL:
    """The URL to connect with: an inline password wins, otherwise the keychain's, if any."""
    if url.password or not url.get_backend_name().startswith("postgresql"):
        return url
    password = load_password(url)
    return url.set(password=password) if password else url


def split_password(url: URL) -> tuple[URL, str | None]:
    """The URL without its password (safe to save and show) and the password it carried."""
    password = url.password
    # url.set(password=None) would mean "leave it as it is"; build the URL anew without it.
    clean = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
    return clean, (str(password) if password is not None else None)


def display_url(url: URL) -> str:
    """The URL as a person types it: no password, no driver suffix."""
    clean, _ = split_password(url)
    return clean.set(drivername=clean.get_backend_name()).render_as_string(hide_password=True)


# --------------------------------------------------------------------------- libpq's password file


def pgpass_path() -> Path:
    """The password file libpq reads: ``PGPASSFILE``, else the platform's default."""
    explicit = os.environ.get(PGPASS_ENV)
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _pgpass_fields(line: str) -> list[str]:
    """The fields of one .pgpass line, with libpq's backslash escapes undone."""
    fields: list[str] = []
    current: list[str] = []
    escaped = False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":" and len(fields) < 4:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields


def _pgpass_key(url: URL) -> list[str]:
    return [url.host or "localhost", str(url.port or DEFAULT_PORT), url.database or "", url.username or ""]


def pgpass_has(url: URL) -> bool:
    """Whether the password file has a line libpq would use for this server (wildcards included)."""
    try:
        lines = pgpass_path().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    key = _pgpass_key(url)
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = _pgpass_fields(line)
        if len(fields) == 5 and all(f in ("*", k) for f, k in zip(fields[:4], key, strict=True)):
            return True
    return False


def store_in_pgpass(url: URL, password: str) -> Path:
    """Write this server's line into the password file (replacing an earlier line for the same
    host, port, database and user), readable only by this user, and return the file's path."""
    path = pgpass_path()
    key = _pgpass_key(url)
    try:
        old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialError(f"无法读取密码文件 {path}（{exc.__class__.__name__}）。") from exc
    kept = [line for line in old if _pgpass_fields(line)[:4] != key]
    kept.append(":".join(_pgpass_field(part) for part in (*key, password)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all, fsynced, 0600: libpq ignores a password file others can read.
        write_atomically(path, "\n".join(kept) + "\n", what="密码文件")
    except OSError as exc:
        raise CredentialError(f"无法写入密码文件 {path}：{exc.strerror or exc}。") from exc
    return path


# --------------------------------------------------------------------------- connection failures


class Problem(Enum):
    NO_PASSWORD = "no_password"
    WRONG_PASSWORD = "wrong_password"
    NOT_ALLOWED = "not_allowed"
    NO_DATABASE = "no_database"
    REFUSED = "refused"
    UNKNOWN_HOST = "unknown_host"
    TIMEOUT = "timeout"
    NO_PRIVILEGE = "no_privilege"
    #: TLS: the server speaks no TLS, the CA file is missing or unreadable, the certificate is not
    #: of the desk's CA (or expired), or it names another address.
    NO_TLS = "no_tls"
    NO_CA_FILE = "no_ca_file"
    BAD_CA_FILE = "bad_ca_file"
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    CERTIFICATE_NAME = "certificate_name"
    TLS_FAILED = "tls_failed"
    OTHER = "other"


_PATTERNS = (
    # libpq's TLS failures first: they come before any password or database is looked at.
    (Problem.NO_TLS, r"server does not support SSL"),
    (Problem.NO_CA_FILE, r"root certificate file \".*\" does not exist"),
    (Problem.BAD_CA_FILE, r"could not read root certificate file"),
    (Problem.CERTIFICATE_NAME, r"server certificate for \".*\" .*does not match host name|"
                               r"server certificate .*does not match"),
    (Problem.UNTRUSTED_CERTIFICATE, r"certificate verify failed|self[- ]signed certificate|"
                                    r"unable to get local issuer|certificate has expired"),
    (Problem.TLS_FAILED, r"SSL error|SSL SYSCALL|could not establish SSL|SSL connection has been closed"),
    (Problem.NO_PASSWORD, r"no password supplied|fe_sendauth"),
    (Problem.WRONG_PASSWORD, r"password authentication failed|authentication failed for user"),
    (Problem.NOT_ALLOWED, r"no pg_hba\.conf entry|pg_hba"),
    (Problem.NO_DATABASE, r"database \".*\" does not exist"),
    (Problem.UNKNOWN_HOST, r"could not translate host name|Name or service not known|nodename nor servname|"
                           r"getaddrinfo|failed to resolve host"),
    (Problem.REFUSED, r"Connection refused|could not connect to server|No route to host|Network is unreachable"),
    (Problem.TIMEOUT, r"timeout expired|timed out"),
    (Problem.NO_PRIVILEGE, r"permission denied|must be owner of"),
)


def diagnose(exc: BaseException) -> Problem:
    """Which of the usual failures this exception (SQLAlchemy's, psycopg's, or a string) is."""
    detail = str(getattr(exc, "orig", None) or exc)
    for problem, pattern in _PATTERNS:
        if re.search(pattern, detail, flags=re.IGNORECASE):
            return problem
    return Problem.OTHER


def describe_connection_error(url: URL, exc: BaseException, *, password_step: str) -> str:
    """The failure in Chinese: what happened and what to do. ``password_step`` is the caller's
    way to give the password (the wizard's field, or the ``db connect`` command)."""
    host, port = url.host or "localhost", url.port or DEFAULT_PORT
    user, database = url.username or "", url.database or ""
    problem = diagnose(exc)
    where = f"数据库服务器 {host}:{port}"
    if problem is Problem.NO_PASSWORD:
        found = "系统钥匙串和密码文件 " + str(pgpass_path()) + " 里都没有"
        return f"{where} 要求用户 {user} 的密码，但本机没有这个密码（{found}）。{password_step}"
    if problem is Problem.WRONG_PASSWORD:
        return (f"{where} 拒绝了用户 {user} 的密码：密码不对，或服务器上没有这个用户。请向信息技术人员核对用户名和"
                f"密码。{password_step}")
    if problem is Problem.NOT_ALLOWED and "no encryption" in str(getattr(exc, "orig", None) or exc):
        return (f"{where} 只接受加密连接（pg_hba.conf 中为 hostssl），而本机的连接设置为不加密。请把“加密（TLS）”"
                "改为“加密并核验服务器证书”，并选择中心的 CA 证书文件（命令行：--tls verify-full --ca-file 文件）。")
    if problem is Problem.NOT_ALLOWED:
        return (f"{where} 不接受本机以用户 {user} 连接数据库“{database}”：服务器的 pg_hba.conf 里没有允许本机地址的"
                "记录。请信息技术人员按 docs/deployment.md 的第 1 步为本机所在的网段添加一行，然后重新加载服务器配置。")
    if problem is Problem.NO_DATABASE:
        return f"{where} 上没有名为“{database}”的数据库。请核对数据库名（部署说明中为 mediation）。"
    if problem is Problem.UNKNOWN_HOST:
        return f"找不到数据库服务器“{host}”：地址写错了，或本机无法解析这个名字。请改用服务器的 IP 地址试试。"
    if problem is Problem.REFUSED:
        return (f"{where} 拒绝连接或无法到达：PostgreSQL 没有运行、没有在这个地址和端口上监听（listen_addresses），"
                "或被防火墙挡住。请检查服务器地址和端口，以及本机到服务器的网络。")
    if problem is Problem.TIMEOUT:
        return f"连接{where} 超时：请检查服务器是否开机、地址是否正确，以及本机到服务器的网络和防火墙。"
    if problem is Problem.NO_PRIVILEGE:
        return (f"用户 {user} 在数据库“{database}”中没有所需的权限。数据库结构由该数据库的所有者创建和升级"
                "（docs/deployment.md 第 2 步）；请用所有者的账户运行，或请信息技术人员授权。")
    tls = _describe_tls_error(url, problem, str(getattr(exc, "orig", None) or exc))
    if tls is not None:
        return tls
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    return (f"无法连接{where} 上的数据库“{database}”（服务器的原始信息：{first}）。请检查服务器地址、端口、"
            "数据库名、用户名和密码，以及本机到服务器的网络。")


#: Where a desk chooses the CA file, said after a TLS failure.
CA_STEP = "图形界面在“设置 → 数据库连接”（或首次启动向导）的“CA 证书”一栏选择；命令行用 db connect … --ca-file 文件。"


def _describe_tls_error(url: URL, problem: Problem, detail: str) -> str | None:
    """A TLS failure in Chinese (None when it is none): libpq's words are English and name the
    certificate's names and the CA file, which the message keeps."""
    host, port = url.host or "localhost", url.port or DEFAULT_PORT
    where = f"数据库服务器 {host}:{port}"
    if problem is Problem.NO_TLS:
        return (f"服务器未启用加密连接：{where} 没有开启 TLS（ssl = off），而本机要求加密并核验服务器证书。请信息技术"
                "人员按 docs/deployment.md 第 1 步的“加密连接”为服务器签发证书并开启 ssl。不要为此把本机改成不加密："
                "那样案件内容和身份证号会以明文经过网络。")
    if problem is Problem.NO_CA_FILE:
        match = re.search(r'root certificate file "(.*?)" does not exist', detail)
        path = match.group(1) if match else str(url.query.get("sslrootcert") or "")
        return (f"找不到 CA 证书文件“{path}”：核验{where} 的证书需要中心的 CA 证书文件（center-ca.crt）。请把信息技术"
                f"人员给的文件复制到本机一个固定的位置并选择它。{CA_STEP}")
    if problem is Problem.BAD_CA_FILE:
        match = re.search(r'could not read root certificate file "(.*?)"', detail)
        path = match.group(1) if match else str(url.query.get("sslrootcert") or "")
        return (f"CA 证书文件“{path}”不是有效的证书文件（应是以 -----BEGIN CERTIFICATE----- 开头的 PEM 文本文件）。"
                f"请向信息技术人员要中心的 CA 证书文件 center-ca.crt。{CA_STEP}")
    if problem is Problem.CERTIFICATE_NAME:
        match = re.search(r'server certificate for "(.*?)"', detail)
        names = match.group(1) if match else ""
        return (f"服务器证书与地址不符：{where} 出示的证书是为“{names}”签发的，不包含本机填写的地址“{host}”。请按证书上"
                "的名字或 IP 地址填写服务器地址，或请信息技术人员为这个地址重新签发证书（docs/deployment.md 第 1 步）。"
                "地址无误而证书不符时，也可能是别的电脑在冒充服务器：查明之前不要降低加密设置。")
    if problem is Problem.UNTRUSTED_CERTIFICATE:
        ca = str(url.query.get("sslrootcert") or "")
        named = f"“{ca}”" if ca else ""
        return (f"服务器证书无法验证：{where} 出示的证书不是由本机的 CA 证书文件{named}签发的，或已过期。"
                "请向信息技术人员核对本机用的是不是中心的 CA 证书文件（center-ca.crt），以及服务器证书是否过期。"
                f"也可能是别的电脑在冒充服务器：查明之前不要降低加密设置。{CA_STEP}")
    if problem is Problem.TLS_FAILED:
        first = detail.strip().splitlines()[0] if detail.strip() else ""
        return (f"与{where} 建立加密连接失败（原始信息：{first.rsplit(' failed: ', 1)[-1]}）。请检查服务器的 TLS 设置"
                "和本机的 CA 证书文件。")
    return None
