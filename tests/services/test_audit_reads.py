"""Issue 17 item 3: case lists, searches, exports and refused accesses each leave exactly one audit
entry, with the person, the action and masked details; the audit key is handed over between desks
with ``audit key export``/``import`` (head only, the file 0600, a wrong key or another chain
refused). The commands run in-process through ``cli.main``, with its own error path."""

from __future__ import annotations

import dataclasses
import io
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from mediation_desk import cli
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, CaseState, DisputeCase, Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import audit, caselist, cases, search, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import PermissionDenied

from .helpers import BACKENDS, PASSWORD, make_team, make_user, new_case_input, seeded_world

ID_NUMBER = "110101199003074514"
PHONE = "13812345678"


@dataclass
class World:
    db: Database
    clerk: Actor
    med_a: Actor
    med_b: Actor
    head: Actor
    case_id: int
    number: str
    url: str


def _world(db: Database) -> World:
    team_a, mediator_a = make_team(db, "城建物业调解团队", "李建国")
    _team_b, mediator_b = make_team(db, "婚姻家庭调解团队", "王秀兰")
    clerk = make_user(db, "clerk", Role.INTAKE)
    med_a = make_user(db, "med_a", Role.MEDIATOR, mediator_a)
    med_b = make_user(db, "med_b", Role.MEDIATOR, mediator_b)
    head = make_user(db, "head", Role.HEAD)
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, clerk, case_id, team_id=team_a, lead_mediator_id=mediator_a)
        number = session.get_one(DisputeCase, case_id).number
    return World(db, clerk, med_a, med_b, head, case_id, number, db.url.render_as_string(hide_password=False))


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """Two teams, four accounts and an assigned case, on each backend: the test's own copy of the
    ones made once a worker (helpers.seeded_world)."""
    with seeded_world(request, tmp_path, "audit reads: two teams and a case", _world) as seeded:
        yield dataclasses.replace(seeded.made, db=seeded.db,
                                  url=seeded.db.url.render_as_string(hide_password=False))


def entries(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def run(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(list(argv))


# --------------------------------------------------------------------------- services


def test_a_list_and_a_search_are_one_entry_each_with_masked_words(world: World) -> None:
    db = world.db
    listing = caselist.CaseQuery(filter=CaseFilter(states=frozenset({CaseState.ACCEPTED})),
                                 sort=caselist.SortKey.NUMBER, descending=False)
    with db.write() as session:
        caselist.record_query(session, world.med_a, listing, purpose="ui")
    [entry] = entries(db, audit.LIST_ACTION)
    assert (entry.username, entry.user_id, entry.entity) == ("med_a", world.med_a.user_id, "case")
    assert entry.detail["states"] == ["accepted"] and entry.detail["sort"] == "number"
    assert entry.detail["purpose"] == "ui" and entry.detail["workstation"] and entry.detail["result"] == "ok"

    searching = caselist.CaseQuery(filter=CaseFilter(text=f"张三 {ID_NUMBER}"), sort=caselist.SortKey.RELEVANCE)
    with db.write() as session:
        caselist.record_query(session, world.clerk, searching)
        search.record_search(session, world.head, f"{PHONE} 通行", offset=10, limit=5)
    first, second = entries(db, audit.SEARCH_ACTION)
    assert first.username == "clerk" and "张三" in first.detail["words"]
    assert ID_NUMBER not in str(first.detail) and ID_NUMBER[:6] in first.detail["words"]
    assert second.username == "head" and PHONE not in str(second.detail) and "通行" in second.detail["words"]
    assert (second.detail["offset"], second.detail["limit"], second.detail["purpose"]) == (10, 5, "cli")
    assert len(entries(db, audit.LIST_ACTION)) == 1
    with db.read() as session:
        assert audit.verify_chain(session).intact


def test_a_refusal_is_recorded_once_in_its_own_transaction(world: World) -> None:
    db = world.db
    error: PermissionDenied | None = None
    try:
        with db.write() as session:
            cases.case_detail(session, world.med_b, world.case_id)
    except PermissionDenied as exc:
        error = exc
    assert error is not None
    first = audit.record_refusal(db, world.med_b, "cases.case_detail", str(error), error)
    again = audit.record_refusal(db, world.med_b, "cases.case_detail", str(error), error)
    assert first is not None and again is None
    [entry] = entries(db, audit.REFUSAL_ACTION)
    assert entry.username == "med_b" and entry.detail["what"] == "cases.case_detail"
    assert entry.detail["result"] == "refused" and world.number in entry.detail["message"]


def test_opening_is_recorded_only_when_allowed(world: World) -> None:
    db = world.db
    with db.write() as session:
        assert audit.record_case_opened_if_allowed(session, world.med_b, world.case_id) is None
        assert audit.record_case_opened_if_allowed(session, world.med_a, world.case_id) is not None
    assert [e.username for e in entries(db, audit.ACCESS_ACTION)] == ["med_a"]


# --------------------------------------------------------------------------- the command line


def test_cli_case_list_and_search_leave_one_entry_each(world: World, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(monkeypatch, "--database", world.url, "case", "list", "--state", "assigned", "--as", "head",
               "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert world.number in capsys.readouterr().out
    [listed] = entries(world.db, audit.LIST_ACTION)
    assert listed.username == "head" and listed.detail["states"] == ["assigned"]
    assert listed.detail["purpose"] == "cli"
    assert run(monkeypatch, "--database", world.url, "search", PHONE, "--as", "clerk", "--password-stdin",
               stdin=PASSWORD + "\n") == 0
    [searched] = entries(world.db, audit.SEARCH_ACTION)
    assert searched.username == "clerk" and PHONE not in str(searched.detail)
    assert searched.detail["words"] == PHONE[:3] + "****" + PHONE[-4:]


def test_cli_doc_export_and_dossier_are_audited(world: World, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "receipt.pdf"
    assert run(monkeypatch, "--database", world.url, "doc", "receipt", world.number, "--out", str(out),
               "--as", "clerk", "--password-stdin", stdin=PASSWORD + "\n") == 0, capsys.readouterr().err
    dossier_file = tmp_path / "dossier.pdf"
    assert run(monkeypatch, "--database", world.url, "doc", "dossier", world.number, "--out", str(dossier_file),
               "--as", "head", "--password-stdin", stdin=PASSWORD + "\n") == 0, capsys.readouterr().err
    receipt, bound = entries(world.db, "document.export")
    assert (receipt.username, receipt.entity_id, receipt.detail["kind"]) == ("clerk", world.case_id, "receipt")
    assert receipt.detail["target"] == "receipt.pdf" and receipt.detail["pages"] >= 1
    assert (bound.username, bound.detail["kind"], bound.detail["target"]) == ("head", "dossier", "dossier.pdf")
    assert out.exists() and dossier_file.exists()


def test_cli_refusal_leaves_one_entry(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "refused.pdf"
    assert run(monkeypatch, "--database", world.url, "doc", "receipt", world.number, "--out", str(target),
               "--as", "med_b", "--password-stdin", stdin=PASSWORD + "\n") == 2
    assert "错误：" in capsys.readouterr().err
    [refused] = entries(world.db, audit.REFUSAL_ACTION)
    assert refused.username == "med_b" and refused.detail["what"] == "mediation-desk doc"
    assert world.number in refused.detail["message"] and refused.detail["result"] == "refused"
    assert entries(world.db, "document.export") == [] and not target.exists()
    with world.db.read() as session:
        assert audit.verify_chain(session).intact


# --------------------------------------------------------------------------- key hand-over


def test_key_export_import_round_trip_and_refusals(world: World, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = ("--as", "head", "--password-stdin")
    key_file = tmp_path / "audit.key"
    if world.db.url.get_backend_name() == "postgresql":
        # The server holds the key (migration 0015): nothing to hand over, and the commands say so.
        for command in (("export", "--to", str(key_file)), ("import", str(key_file))):
            assert run(monkeypatch, "--database", world.url, "audit", "key", *command, *head,
                       stdin=PASSWORD + "\n") == 0, capsys.readouterr().err
            assert "审计密钥由服务器保管" in capsys.readouterr().out
        assert not key_file.exists() and not entries(world.db, "audit.key_export")
        with world.db.read() as session:
            assert audit.verify_chain(session).intact
        return
    assert run(monkeypatch, "--database", world.url, "audit", "key", "export", "--to", str(key_file), *head,
               stdin=PASSWORD + "\n") == 0, capsys.readouterr().err
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    exported = key_file.read_text(encoding="utf-8").strip()
    with world.db.read() as session:
        chain = audit.chain_id(session)
    assert chain is not None and exported.startswith(chain + ":")
    [exported_entry] = entries(world.db, "audit.key_export")
    assert exported_entry.username == "head" and exported_entry.detail["to"] == "audit.key"

    # Another desk: its keychain does not have the key yet.
    keyring.delete_password(audit.KEY_SERVICE, chain)
    audit._key_cache.clear()
    assert run(monkeypatch, "--database", world.url, "audit", "key", "import", str(key_file), *head,
               stdin=PASSWORD + "\n") == 0, capsys.readouterr().err
    assert keyring.get_password(audit.KEY_SERVICE, chain) == exported.partition(":")[2]
    [imported] = entries(world.db, "audit.key_import")
    assert imported.mac is not None  # written with the imported key
    with world.db.read() as session:
        check = audit.verify_chain(session)
    # The head's sign-in for the import was written before this desk had the key; the import's
    # keyed entry vouches for it (it was this command's own), so it is a note, not a finding.
    [sign_in] = [e for e in entries(world.db, "login") if e.mac is None]
    assert imported.detail["vouched"] == [[sign_in.seq, sign_in.entry_hash]]
    assert check.intact and not check.problems and not check.chain_problems
    assert (f"序号 {sign_in.seq} 写入时本机还没有审计密钥，由其后导入密钥的记录（记录编号 {imported.id}）确认"
            in check.notes)

    wrong = tmp_path / "wrong.key"
    wrong.write_text(f"{chain}:{'ab' * 32}\n", encoding="utf-8")
    assert run(monkeypatch, "--database", world.url, "audit", "key", "import", str(wrong), *head,
               stdin=PASSWORD + "\n") == 2
    assert "与本数据库的审计记录不符，没有导入" in capsys.readouterr().err
    other = tmp_path / "other.key"
    other.write_text(f"{'0' * 32}:{exported.partition(':')[2]}\n", encoding="utf-8")
    assert run(monkeypatch, "--database", world.url, "audit", "key", "import", str(other), *head,
               stdin=PASSWORD + "\n") == 2
    assert f"本数据库的审计链是 {chain}" in capsys.readouterr().err
    assert keyring.get_password(audit.KEY_SERVICE, chain) == exported.partition(":")[2]
    assert len(entries(world.db, "audit.key_import")) == 1

    # Only the head: a mediator's try is refused in Chinese, leaves no file and is audited.
    stolen = tmp_path / "stolen.key"
    assert run(monkeypatch, "--database", world.url, "audit", "key", "export", "--to", str(stolen),
               "--as", "med_a", "--password-stdin", stdin=PASSWORD + "\n") == 2
    assert "只有中心主任可以导出审计密钥" in capsys.readouterr().err
    assert not stolen.exists()
    [refused] = entries(world.db, audit.REFUSAL_ACTION)
    assert refused.username == "med_a" and refused.detail["what"] == "mediation-desk audit key export"


def test_cli_monthly_report_export_is_audited(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "month.xlsx"
    assert run(monkeypatch, "--database", world.url, "report", "monthly", "--month", "2026-11", "--out", str(out),
               "--as", "head", "--password-stdin", stdin=PASSWORD + "\n") == 0, capsys.readouterr().err
    [exported] = entries(world.db, "report.export")
    assert exported.username == "head" and exported.detail["month"] == "2026-11"
    assert exported.detail["target"] == "month.xlsx" and out.exists()
