"""``mediation-desk crossings``: a case reported up, assigned down and returned from the command
line, each step as the signed-in account's center; a step replayed under its uid records nothing
new (docs/crossings.md)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation_desk import cli, demo
from mediation_desk.db import Database
from mediation_desk.models import CaseCrossing
from mediation_desk.services import cases

from .conftest import login_as
from .services.helpers import new_case_input

TODAY = datetime(2026, 9, 25, 10, 0)


def test_report_up_assign_and_return_from_the_command_line(sqlite_db: Database, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 4, today=TODAY, township_cases=2)
    with sqlite_db.write() as session:
        number = cases.case_detail(session, login_as(sqlite_db, "ljd_clerk"), cases.register_case(
            session, login_as(sqlite_db, "ljd_clerk"), new_case_input(sqlite_db, received_at=TODAY))).number
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"

    def run(user: str, *args: str) -> str:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n"))
        code = cli.main(["--database", url, "crossings", *args, "--as", user, "--password-stdin"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return captured.out

    uid = "33333333-3333-4333-8333-333333333333"
    out = run("ljd_head", "report-up", number, "--reason", "本镇无法调处", "--uid", uid)
    assert f"{number}：上报 甘州区梁家墩镇综治中心 → 张掖市甘州区矛盾纠纷调处中心" in out
    run("ljd_head", "report-up", number, "--reason", "本镇无法调处", "--uid", uid)  # replayed: nothing new
    listed = json.loads(run("head", "list", "--json"))
    assert [(r["case"], r["kind"], r["incoming"]) for r in listed] == [(number, "上报", True)]
    out = run("head", "assign", number, "--to", "甘州党寨调", "--days", "3", "--reason", "请党寨镇协助",
              "--date", "2026-09-30")
    assert "交办 张掖市甘州区矛盾纠纷调处中心 → 甘州区党寨镇综治中心，期限 3 个工作日（2026-10-10 前）" in out
    assert "[黄]" in run("dz_clerk", "list", "--date", "2026-10-09")
    run("dz_clerk", "return", number, "--reason", "不属本镇管辖")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n"))
    assert cli.main(["--database", url, "crossings", "return", number, "--reason", "再退", "--as", "dz_clerk",
                     "--password-stdin"]) != 0
    assert "只能回退本中心收到的案件" in capsys.readouterr().err
    with sqlite_db.read() as session:
        assert session.scalar(select(func.count()).select_from(CaseCrossing)) == 3


def test_a_township_routes_a_county_case_assigned_down_from_the_command_line(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``case act 案号 route --team … --lead …``: 改派 to a team of the center handling the case; a team
    of another center is not offered (docs/crossings.md “Who works on the case”)."""
    from mediation_desk.models import Center, DisputeCase, Mediator, Team
    from mediation_desk.services import assignment, crossings, workflow

    with sqlite_db.write() as session:
        demo.seed(session, 4, today=TODAY, township_cases=1)
    clerk, head = login_as(sqlite_db, "clerk"), login_as(sqlite_db, "head")
    with sqlite_db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(sqlite_db, received_at=TODAY))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        offered = assignment.suggest(session, case_id)
        assert offered.team is not None and offered.lead is not None
        assignment.assign(session, clerk, case_id, team_id=offered.team.team_id,
                          lead_mediator_id=offered.lead.mediator_id)
        dz = session.scalars(select(Center.id).where(Center.prefix == "甘州党寨调")).one()
        crossings.assign(session, head, case_id, to_center_id=dz, working_days=5, reason="请党寨镇就地调处",
                         today=TODAY.date())
        number = session.get_one(DisputeCase, case_id).number
        dz_team = session.scalars(select(Team).where(Team.center_id == dz)).one()
        dz_lead = session.scalars(select(Mediator.name).where(Mediator.center_id == dz).order_by(Mediator.id)).first()
        county_team = offered.team.name
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"

    def run(user: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n"))
        code = cli.main(["--database", url, "case", "act", number, *args, "--as", user, "--password-stdin"])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, _out, err = run("dz_clerk", "route", "--team", county_team, "--lead", str(dz_lead))
    assert code != 0 and f"没有名为“{county_team}”的调解团队" in err
    code, _out, err = run("dz_clerk", "route", "--team", dz_team.name)
    assert code != 0 and "改派须用 --lead 指定主办调解员" in err
    code, out, err = run("dz_clerk", "route", "--team", dz_team.name, "--lead", str(dz_lead))
    assert code == 0, err
    assert out.strip() == f"{number}：改派至{dz_team.name}（主办调解员{dz_lead}）"
    code, _out, err = run("head", "route", "--team", county_team, "--lead", str(dz_lead))
    assert code != 0
    with sqlite_db.read() as session:
        assert session.get_one(DisputeCase, case_id).team_id == dz_team.id
