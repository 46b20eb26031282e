"""A transfer to a court carries claims written as claims (issue 18 item 1): the service, the
packet and the command refuse a court packet without them or with mediation wording; a
department's packet still takes the requests as they are."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation_desk import cli
from mediation_desk.db import Database
from mediation_desk.exchange import letters
from mediation_desk.exchange.export import export_packet
from mediation_desk.models import Transfer, TransferTarget
from mediation_desk.services import transfers
from mediation_desk.services.errors import InvalidInput

from ..documents.casefile import ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from ..services.helpers import PASSWORD
from .casebuild import CLAIMS, failed_case
from .helpers_db import sqlite_url

pytestmark = ON_STORY_DAY
COURT = "张掖市甘州区人民法院"
LOGIN = ["--as", "mediator", "--password-stdin"]


def _transfers(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Transfer)) or 0)


@pytest.mark.parametrize(("claims", "words"), [
    ([], "须写明诉讼请求"),
    (["  ", ""], "须写明诉讼请求"),
    (["请求依法调解双方之间的消防纠纷"], "第 1 项"),
    (["判令被申请人赔偿8600元", "请求调委会协调解决"], "第 2 项“请求调委会协调解决”含有“协调”"),
    (["请求化解矛盾"], "含有“化解”"),
    (["判令" + "赔" * 2001], "过长"),
])
def test_claims_problem_names_the_line(claims: list[str], words: str) -> None:
    problem = transfers.claims_problem(claims)
    assert problem is not None and words in problem
    with pytest.raises(InvalidInput, match="诉讼请求") as refused:
        transfers.check_claims(TransferTarget.COURT, claims)
    assert refused.value.field == "claims"


@pytest.mark.parametrize("claims", [
    ["判令被申请人维修车库顶板防水层，消除渗水"],
    ["确认双方于2026年3月1日签订的调解协议无效"],  # a claim about an agreement is a claim
    [" 判令被申请人赔偿损失8600元 ", "本案诉讼费用由被申请人负担"],
])
def test_claims_written_as_claims_pass(claims: list[str]) -> None:
    assert transfers.claims_problem(claims) is None
    assert transfers.check_claims(TransferTarget.COURT, claims) == [c.strip() for c in claims]


def test_a_court_letter_and_packet_refuse_without_claims(sqlite_db: Database, tmp_path: Path) -> None:
    built = failed_case(sqlite_db, files=False)
    for claims in (None, [], ["请求依法调解双方之间的渗水纠纷"]):
        with sqlite_db.write() as session, pytest.raises(InvalidInput) as refused:
            letters.print_transfer_letter(session, built.mediator, built.case_id, target="court", target_name=COURT,
                                          claims=claims)
        assert refused.value.field == "claims" and "诉讼请求" in refused.value.message
        out = tmp_path / "p.zip"
        with pytest.raises(InvalidInput, match="诉讼请求"):
            export_packet(sqlite_db, built.mediator, built.case_id, target="court", target_name=COURT, out=out,
                          claims=claims)
        assert not out.exists() and not list(tmp_path.glob(".*"))
    assert _transfers(sqlite_db) == 0
    # Recording a packet directly checks the same.
    with sqlite_db.write() as session, pytest.raises(InvalidInput, match="诉讼请求"):
        transfers.record_packet(session, built.mediator, built.case_id, target="court", target_name=COURT,
                                packet_id="x", packet_sha256="0" * 64, claims=[], reason="")


def test_the_court_packet_prints_the_claims_as_claims(sqlite_db: Database, tmp_path: Path) -> None:
    built = failed_case(sqlite_db, files=False)
    out = tmp_path / "p.zip"
    result = export_packet(sqlite_db, built.mediator, built.case_id, target="court", target_name=COURT, out=out,
                           claims=CLAIMS)
    assert result.transfer is not None and list(result.transfer.claims) == CLAIMS
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        letter = compact(pdf_text(zf.read("documents/transfer-letter.pdf")))
        summary = compact(pdf_text(zf.read("documents/case-summary.pdf")))
    assert manifest["claims"] == CLAIMS
    listed = "1.判令被申请人维修车库顶板防水层，消除渗水2.判令被申请人赔偿财产损失人民币8600元"
    assert f"当事人拟提出的诉讼请求如下：{listed}" in letter
    assert f"诉讼请求（草拟）：{listed}" in summary
    assert "调解双方" not in letter


def test_a_department_takes_the_requests_in_its_own_words(sqlite_db: Database, tmp_path: Path) -> None:
    built = failed_case(sqlite_db, files=False)
    out = tmp_path / "d.zip"
    result = export_packet(sqlite_db, built.mediator, built.case_id, target="department",
                           target_name="甘州区住房和城乡建设局", out=out)
    assert result.transfer is not None
    with zipfile.ZipFile(out) as zf:
        letter = compact(pdf_text(zf.read("documents/transfer-letter.pdf")))
    assert "转办函" in letter and "当事人的请求事项如下：1.请求被申请人维修车库顶板防水层，消除渗水" in letter
    assert "诉讼请求" not in letter


def _cli(db: Database, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    return cli.main(["--database", sqlite_url(db), *args, *LOGIN])


def test_the_command_refuses_a_court_export_without_claim(sqlite_db: Database, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    built = failed_case(sqlite_db, files=False)
    out = tmp_path / "p.zip"
    base = ["export", built.number, "--to", "court", "--target-name", COURT, "--out", str(out)]
    assert _cli(sqlite_db, monkeypatch, *base) == 2
    err = capsys.readouterr().err
    assert "--claim" in err and "诉讼请求" in err and not out.exists()
    assert _cli(sqlite_db, monkeypatch, *base, "--claim", "请求依法调解双方纠纷") == 2
    err = capsys.readouterr().err
    assert "--claim" in err and "第 1 项" in err and "调解" in err and not out.exists()
    assert _transfers(sqlite_db) == 0
    assert _cli(sqlite_db, monkeypatch, *base, "--claim", CLAIMS[0], "--claim", CLAIMS[1]) == 0
    assert "移送材料包已写入" in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("manifest.json"))["claims"] == CLAIMS
    # A department needs no --claim: its letter lists the requests.
    dept = tmp_path / "d.zip"
    assert _cli(sqlite_db, monkeypatch, "export", built.number, "--to", "department", "--target-name",
                "甘州区住房和城乡建设局", "--out", str(dept)) == 0
    assert dept.is_file()
