"""Center-wide settings kept in the database, shared by every desk."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CenterSetting

DEFAULTS: dict[str, str] = {
    "center_name": "县矛盾纠纷调处中心",
    # Printed between the year and 字第: （2026）甘矛调字第0001号
    "case_number_prefix": "矛调",
    "is_demo": "0",
}


def get_setting(session: Session, key: str) -> str:
    value = session.scalar(select(CenterSetting.value).where(CenterSetting.key == key))
    if value is None:
        return DEFAULTS.get(key, "")
    return value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(CenterSetting, key)
    if row is None:
        session.add(CenterSetting(key=key, value=value))
    else:
        row.value = value
    session.flush()
