"""The first run of a new center: its name, its case-number prefix and the first administrator.

Used by the first-run wizard (``ui/shell/first_run.py``) on a new SQLite file or a new server database.
Refuses a database that already has accounts: a center is set up once; after that an
administrator changes the settings and accounts in the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from .. import settings
from ..models import Role
from . import audit, auth, center, reference
from .actor import Actor
from .errors import Conflict, InvalidInput
from .numbering import format_case_number

#: The demo center's accounts (user name, display name, role) and their shared password: made by
#: ``mediation_desk.demo``, named by the sign-in dialog of a demo center (``pages.center_info``).
DEMO_PASSWORD = "Demo@2026"
DEMO_USERS = (
    ("clerk", "王晓燕", Role.INTAKE),
    ("mediator", "李建国", Role.MEDIATOR),
    ("head", "陈志强", Role.HEAD),
    ("admin", "赵磊", Role.ADMIN),
)

MAX_CENTER_NAME = 60
MAX_PREFIX = 12
#: The prefix sits between the year and 字第; it must not contain the brackets or 字第/号 itself.
_PREFIX_FORBIDDEN = re.compile(r"[（）()\s]|字第|号")


@dataclass(frozen=True)
class CenterSetup:
    center_name: str
    case_number_prefix: str
    admin_username: str
    admin_display_name: str
    admin_password: str


def check_center_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(settings.CENTER_NAME.key, "请填写中心名称，例如“张掖市甘州区矛盾纠纷调处中心”。")
    if len(name) > MAX_CENTER_NAME:
        raise InvalidInput(settings.CENTER_NAME.key, f"中心名称最长 {MAX_CENTER_NAME} 个字。")
    return name


def check_prefix(prefix: str) -> str:
    """The case-number prefix: 甘矛调 in （2026）甘矛调字第0001号."""
    prefix = prefix.strip()
    if not prefix:
        raise InvalidInput(settings.CASE_NUMBER_PREFIX.key,
                           "请填写案号前缀，例如“甘矛调”（案号：（2026）甘矛调字第0001号）。")
    if len(prefix) > MAX_PREFIX:
        raise InvalidInput(settings.CASE_NUMBER_PREFIX.key, f"案号前缀最长 {MAX_PREFIX} 个字。")
    if _PREFIX_FORBIDDEN.search(prefix):
        raise InvalidInput(settings.CASE_NUMBER_PREFIX.key,
                           "案号前缀不能含空格、括号或“字第”“号”：这些由案号格式自动加上。")
    return prefix


def sample_case_number(prefix: str, year: int | None = None) -> str:
    return format_case_number(year or date.today().year, prefix.strip(), 1)


def check_admin(username: str, display_name: str, password: str, repeated: str) -> None:
    """The checks of the administrator page, before anything is written (same rules as create_user)."""
    username = username.strip()
    if not username:
        raise InvalidInput("username", "请填写管理员的用户名。")
    if len(username) > 40 or not all(c.isalnum() or c in "._-" for c in username):
        raise InvalidInput("username", "用户名只能由字母、数字和 . _ - 组成，最长 40 个字符。")
    if not display_name.strip():
        raise InvalidInput("display_name", "请填写管理员的姓名。")
    auth.check_password_policy(password)
    if password != repeated:
        raise InvalidInput("repeat_password", "两次输入的密码不一致。")


def initialize_center(session: Session, setup: CenterSetup) -> auth.UserInfo:
    """Write the center's settings, the standard dispute types and the first administrator."""
    if auth.has_users(session):
        raise Conflict("这个数据库已经有用户账户，不能再次进行首次设置。请用已有账户登录。")
    name = check_center_name(setup.center_name)
    prefix = check_prefix(setup.case_number_prefix)
    check_admin(setup.admin_username, setup.admin_display_name, setup.admin_password, setup.admin_password)
    actor = Actor.system("first_run")
    center.put(session, settings.CENTER_NAME, name)
    center.put(session, settings.CASE_NUMBER_PREFIX, prefix)
    center.put(session, settings.IS_DEMO, False)
    reference.ensure_dispute_types(session)
    # The person who set the desk up chose this password just now: no forced change at login.
    info = auth.create_user(session, actor, username=setup.admin_username, display_name=setup.admin_display_name,
                            role=Role.ADMIN, password=setup.admin_password, must_change_password=False)
    audit.record(session, actor, "center.first_run", "center", None,
                 {settings.CENTER_NAME.key: name, settings.CASE_NUMBER_PREFIX.key: prefix, "admin": info.username})
    return info
