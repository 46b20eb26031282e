"""``mediation-desk sessions ics``: a mediator's sessions written as an iCalendar file."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from mediation_desk import cli
from mediation_desk.db import Database
from tests.services.helpers import PASSWORD
from tests.services.sessions_world import STORY_DAY, SessionsWorld

pytestmark = pytest.mark.story_day(STORY_DAY)


def test_a_mediators_sessions_export_and_reexport_to_the_same_uids(sqlite_db: Database, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    world = SessionsWorld(sqlite_db)
    case_id = world.case()
    world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T11:00")
    world.schedule(case_id, "2026-12-03T14:00", "2026-12-03T15:30", room=1)
    world.schedule(world.case(applicant="赵五", respondent="钱六"), "2026-12-01T09:00", "2026-12-01T10:00", room=2,
                   mediator_ids=[world.other_mediator_id])  # another mediator's
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    out = tmp_path / "李建国.ics"

    def export() -> Calendar:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
        argv = ["--database", url, "sessions", "ics", "--mediator", "李建国", "--from", "2026-11-30", "--to",
                "2026-12-06", "--out", str(out), "--as", "head", "--password-stdin"]
        assert cli.main(argv) == 0, capsys.readouterr().err
        assert "2 次调解会" in capsys.readouterr().out
        return Calendar.from_ical(out.read_bytes())

    events = export().walk("VEVENT")
    zone = ZoneInfo("Asia/Shanghai")
    assert [e.decoded("dtstart") for e in events] == [datetime(2026, 12, 1, 9, 0, tzinfo=zone),
                                                      datetime(2026, 12, 3, 14, 0, tzinfo=zone)]
    assert [str(e["summary"]) for e in events] == ["调解会：相邻通行纠纷（（2026）矛调字第0001号）"] * 2
    again = export().walk("VEVENT")
    assert [str(e["uid"]) for e in again] == [str(e["uid"]) for e in events]
