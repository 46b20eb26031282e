"""A desk that holds only the desk role works as the signed-in person (issue 17 item 2).

The Database starts on the desk's credential (``<database>_desk``), and ``auth.login`` reopens it
as the person's own login role. A real case then goes through the services with the Database
connected as each person in turn — the clerk registers and accepts it, the head assigns it, the
mediator records and settles it, the head approves the closure, the administrator adds an account
— so that a grant or a row-level policy the work needs and lacks shows up here.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from mediation_desk import cli, settings
from mediation_desk.db import Database, ProbeStage, probe_server
from mediation_desk.models import AgreementKind, AttachmentKind, CaseState, DisputeCase, Role
from mediation_desk.services import (
    agreements,
    attachments,
    auth,
    caselist,
    cases,
    center,
    dberrors,
    pages,
    records,
    statistics,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.agreements import AgreementInput, TermInput
from mediation_desk.services.errors import AccountLocked, AuthenticationFailed, NotFound

from .scanning.samples import pdf_bytes
from .services.helpers import PASSWORD, make_team, new_case_input

pytestmark = pytest.mark.postgresql

SYSTEM = Actor.system("test")


@pytest.fixture
def desk(pg_database_url: str) -> Iterator[Database]:
    """Accounts made on the owner's connection; the Database under test holds the desk role."""
    owner = Database(pg_database_url)
    team_id, mediator_id = make_team(owner)
    _, other_mediator = make_team(owner, name="婚姻家庭调解团队", mediator_name="王芳")
    with owner.write() as session:
        desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
        for username, role, mediator in (("clerk", Role.INTAKE, None), ("head", Role.HEAD, None),
                                         ("mediator", Role.MEDIATOR, mediator_id),
                                         ("other", Role.MEDIATOR, other_mediator), ("admin", Role.ADMIN, None)):
            auth.create_user(session, SYSTEM, username=username, display_name=username, role=role,
                             password=PASSWORD, mediator_id=mediator, must_change_password=False)
    owner.dispose()
    database = Database(make_url(pg_database_url).set(username=desk_role))
    database.team_id = team_id  # type: ignore[attr-defined]
    yield database
    database.dispose()


def _session_user(db: Database) -> str:
    with db.read() as session:
        return str(session.scalar(text("SELECT session_user")))


def test_a_case_goes_through_the_services_with_each_person_connected_as_themselves(desk: Database) -> None:
    desk_role = _session_user(desk)
    assert desk_role.endswith("_desk")
    today = date.today()

    clerk = auth.login(desk, "clerk", PASSWORD)
    assert desk.signed_in_role is not None and _session_user(desk) == desk.signed_in_role
    with desk.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(desk))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        for party in cases.case_detail(session, clerk, case_id).parties:
            attachments.add_document(session, clerk, case_id, kind=AttachmentKind.IDENTITY, filename="身份证.pdf",
                                     content=pdf_bytes(1), media_type="application/pdf", party_id=party.id)

    head = auth.login(desk, "head", PASSWORD)
    with desk.write() as session:
        cases.assign_case(session, head, case_id, team_id=desk.team_id)  # type: ignore[attr-defined]

    mediator = auth.login(desk, "mediator", PASSWORD)
    assert _session_user(desk) == desk.signed_in_role
    with desk.write() as session:
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
        parties = cases.case_detail(session, mediator, case_id).parties
        records.add_mediation_record(session, mediator, case_id, records.MediationRecordInput(
            held_at=datetime.now() - timedelta(hours=1), place="中心第一调解室", subject="相邻通行纠纷",
            mediators="李建国", recorder="王晓燕", participants="", parties_present="张三、李四",
            notice_given=True, statements="申请人称……被申请人称……", verification="现场查看属实",
            outcome="双方达成一致", agreement_reached=True))
        drafted = agreements.draft(session, mediator, case_id)
        saved = agreements.save(session, mediator, drafted.id, AgreementInput(
            AgreementKind.WRITTEN, "两家因院前通道发生争执。", "通行与赔偿", "被申请人负主要责任", 3, [
                TermInput(parties[1].id, "拆除院前堆放物", today + timedelta(days=10), place="双方院前",
                          method="自行拆除"),
                TermInput(parties[1].id, "赔偿损失", today + timedelta(days=60), Decimal("3000"),
                          obligee_party_id=parties[0].id, place="调解中心", method="银行转账"),
            ]), expected_version=drafted.version)
        agreements.sign(session, mediator, saved.id, signed_on=today)
        workflow.transition(session, mediator, case_id, workflow.Action.SUBMIT_FOR_REVIEW)
    with desk.read() as session:
        query = caselist.CaseQuery()
        assert caselist.count_cases(session, mediator, query) == 1
        assert [row.id for row in caselist.fetch_window(session, mediator, query, 0, 10, total=1)] == [case_id]

    other = auth.login(desk, "other", PASSWORD)
    with desk.read() as session:  # another team's mediator: the server itself shows nothing
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 0
        with pytest.raises(NotFound):  # the server hides it before the service's own check
            cases.case_detail(session, other, case_id)

    head = auth.login(desk, "head", PASSWORD)
    with desk.write() as session:
        workflow.transition(session, head, case_id, workflow.Action.APPROVE_CLOSURE)
        assert cases.case_detail(session, head, case_id).state is CaseState.CLOSED

    admin = auth.login(desk, "admin", PASSWORD)
    with desk.write() as session:
        auth.create_user(session, admin, username="newclerk", display_name="新受理员", role=Role.INTAKE,
                         password="Start#2026x")
        assert "newclerk" in {u.username for u in auth.list_users(session, admin)}
    with desk.read() as session, pytest.raises(ProgrammingError):
        session.execute(select(func.count()).select_from(DisputeCase))

    # The new account signs in at the desk, with the password the administrator gave it.
    newclerk = auth.login(desk, "newclerk", "Start#2026x")
    assert newclerk.role is Role.INTAKE and _session_user(desk) == desk.signed_in_role
    with desk.read() as session:
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 1


def test_a_wrong_password_at_the_desk_counts_and_locks(desk: Database, test_clock: time_machine.Traveller) -> None:
    # The lock is ten minutes, set and checked partly by the server's functions on the server's clock:
    # this test's clock starts at the server's now(), or the lock would look lifted whenever the test
    # runs more than ten minutes after the run began (the suite's instant, when nothing moves the
    # server's clock to it).
    with desk.read() as session:
        test_clock.move_to(session.scalar(text("SELECT now()")))
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed) as caught:
            auth.login(desk, "clerk", "Wrong#2026")
        assert f"再错 {left} 次" in str(caught.value)
        assert desk.signed_in_role is None
    with pytest.raises(AccountLocked) as locked:
        auth.login(desk, "clerk", "Wrong#2026")
    assert "已锁定" in str(locked.value)
    with pytest.raises(AccountLocked):  # the right password too, while the lock holds
        auth.login(desk, "clerk", PASSWORD)
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.login(desk, "nobody", PASSWORD)
    assert "用户名或密码错误" in str(unknown.value)
    # Another account is not affected, and the desk went back to its own role in between.
    assert auth.login(desk, "head", PASSWORD).role is Role.HEAD


def test_an_unknown_name_at_the_desk_answers_and_locks_like_a_known_one(desk: Database,
                                                                        pg_database_url: str) -> None:
    """Guessing names through a desk: the same answers as for a real account, the same lock, and
    every try in the audit log with the desk's login (the desk role writes through the server)."""
    answers = []
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed) as caught:
            auth.login(desk, "nobody", "Wrong#2026")
        answers.append(str(caught.value))
        assert f"再错 {left} 次" in str(caught.value)
    with pytest.raises(AccountLocked) as locked:
        auth.login(desk, "nobody", "Wrong#2026")
    assert "已锁定" in str(locked.value)
    with pytest.raises(AccountLocked):
        auth.login(desk, "nobody", PASSWORD)
    for left, answer in zip((4, 3, 2, 1), answers, strict=True):
        assert answer == f"用户名或密码错误。再错 {left} 次账户将被锁定 10 分钟。"
    owner = Database(pg_database_url)
    with owner.read() as session:
        tries = session.execute(text("SELECT action, db_login FROM audit_entry WHERE username = 'nobody'"
                                     " ORDER BY id")).all()
    owner.dispose()
    assert [t.action for t in tries] == ["login_failed"] * 4 + ["account_locked", "login_failed"]
    assert all(t.db_login and t.db_login.endswith("_desk") for t in tries)


def test_signing_out_to_another_person_switches_the_connection(desk: Database) -> None:
    auth.login(desk, "mediator", PASSWORD)
    first = desk.signed_in_role
    auth.login(desk, "clerk", PASSWORD)
    assert desk.signed_in_role != first and _session_user(desk) == desk.signed_in_role
    desk.connect_as(None)
    assert desk.signed_in_role is None and _session_user(desk).endswith("_desk")


def test_the_desk_role_finds_the_center_set_up(desk: Database) -> None:
    """The first-run wizard's test connection and the start-up's "any accounts?" work on the desk
    role, which may not read the accounts themselves."""
    owner = Database(desk.url.set(username="app"))
    with owner.write() as session:
        center.put(session, settings.CENTER_NAME, "甘州区矛调中心")
    owner.dispose()
    probe = probe_server(desk.url)
    assert probe.stage is ProbeStage.CONNECTED and probe.users == 1
    with desk.read() as session:
        assert auth.has_users(session)
        assert pages.center_info(session).name == "甘州区矛调中心"  # the login screen's words
    with desk.read() as session, pytest.raises(ProgrammingError):
        session.execute(text("SELECT value FROM center_setting"))
    with desk.read() as session, pytest.raises(ProgrammingError):
        session.execute(text("SELECT count(*) FROM app_user"))


def test_the_command_line_on_the_desk_role_works_as_the_person(desk: Database,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``--as`` on a desk that holds only the desk role: the command runs connected as the person,
    so the server shows a mediator only their team's case and another team's mediator none."""
    clerk = auth.login(desk, "clerk", PASSWORD)
    with desk.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(desk))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    head = auth.login(desk, "head", PASSWORD)
    with desk.write() as session:
        cases.assign_case(session, head, case_id, team_id=desk.team_id)  # type: ignore[attr-defined]
    desk.connect_as(None)
    url = desk.url.render_as_string(hide_password=False)
    for username, total in (("mediator", 1), ("other", 0), ("clerk", 1)):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
        assert cli.main(["--database", url, "case", "list", "--json", "--as", username, "--password-stdin"]) == 0
        assert json.loads(capsys.readouterr().out)["total"] == total
    monkeypatch.setattr("sys.stdin", io.StringIO("Wrong#2026\n"))
    assert cli.main(["--database", url, "case", "list", "--json", "--as", "mediator", "--password-stdin"]) != 0
    assert "用户名或密码错误" in capsys.readouterr().err


def test_a_person_who_changes_their_password_keeps_working(desk: Database) -> None:
    """The new password reaches the server and this desk's next connections alike."""
    clerk = auth.login(desk, "clerk", PASSWORD)
    with desk.write() as session:
        auth.change_password(session, clerk, PASSWORD, "Fresh#2027x")
    desk.writer.dispose()  # every connection from now on is a new one
    with desk.read() as session:
        assert session.scalar(text("SELECT session_user")) == desk.signed_in_role
    with pytest.raises(AuthenticationFailed):
        auth.login(desk, "clerk", PASSWORD)
    assert auth.login(desk, "clerk", "Fresh#2027x").role is Role.INTAKE


def test_what_the_server_refuses_is_said_in_chinese(desk: Database) -> None:
    """A statement the signed-in role may not run (the administrator reading a case row) reaches
    the person as the server's refusal, in Chinese; the administrator's dashboard figures, which
    count cases, come from the server's count-only functions instead (migration 0018)."""
    admin = auth.login(desk, "admin", PASSWORD)
    with pytest.raises(ProgrammingError) as caught, desk.read() as session:
        session.execute(select(func.count()).select_from(DisputeCase))
    problem = dberrors.explain(caught.value)
    assert problem is not None
    assert problem.cause == "privilege" and "数据库服务器拒绝了这项操作" in problem.message
    with desk.read() as session:
        figures = statistics.figures(session, admin, date(2026, 1, 1), date(2026, 1, 31), today=date(2026, 2, 1))
    assert figures.received.count == 0 and figures.overdue.count == 0
