"""Database passwords live in the OS keychain through ``keyring``, never in a file or a log."""

from __future__ import annotations

import keyring
import keyring.errors
from sqlalchemy.engine import URL

SERVICE = "mediation-desk/postgresql"


class CredentialError(RuntimeError):
    pass


def account_for(url: URL) -> str:
    """The keychain account a server password is filed under: user@host:port/database."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def store_password(url: URL, password: str) -> None:
    try:
        keyring.set_password(SERVICE, account_for(url), password)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(
            f"无法把数据库密码保存到系统钥匙串（{exc}）。请确认系统钥匙串服务可用后重试。"
        ) from exc


def load_password(url: URL) -> str | None:
    try:
        value: str | None = keyring.get_password(SERVICE, account_for(url))
    except keyring.errors.NoKeyringError:
        # No keychain on this machine means no stored password: the server may trust the desk
        # (pg_hba trust/peer) or use ~/.pgpass, which libpq reads by itself.
        return None
    except keyring.errors.KeyringError as exc:
        raise CredentialError(f"无法从系统钥匙串读取数据库密码（{exc}）。") from exc
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
