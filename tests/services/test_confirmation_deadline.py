"""The 司法确认申请书 and the 30-day window (issue 18 item 3): past the window it prints only for
an application recorded with its reason, and then says so — the agreement's dates, the filing
date and the reason — instead of claiming a filing within thirty days. The day is always passed."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.db import Database
from mediation_desk.services import confirmation, dossier
from mediation_desk.services.confirmation import LateApplication

from ..documents.conftest import compact, pdf_text
from .helpers import PASSWORD
from .settled import Settled, settled_case

COURT = "张掖市甘州区人民法院"
REASON = "申请人外出务工，于协议生效四十日后方返回本地"


def _print(s: Settled, today: date) -> str:
    with s.db.read() as session:
        pdf = dossier.render_document(session, s.mediator, s.case_id, "confirmation-application",
                                      document_id=s.agreement_id, today=today)
    return compact(pdf_text(pdf))


def test_the_last_day_prints_the_next_day_refuses(db: Database) -> None:
    s = settled_case(db, signed_days_ago=2)
    deadline = s.effective_on + timedelta(days=30)
    with db.read() as session:
        on_time = confirmation.printed_application(session, s.case_id, s.agreement_id, deadline)
        assert on_time.applied_on is None and on_time.deadline == deadline and not on_time.late
        with pytest.raises(LateApplication) as refused:
            confirmation.printed_application(session, s.case_id, s.agreement_id, deadline + timedelta(days=1))
    assert refused.value.field == "applied_on" and refused.value.days_late == 1
    assert "已逾期 1 天" in refused.value.message and "逾期原因" in refused.value.message
    assert "三十日内" in _print(s, deadline)
    # The documents tab lists it as not printable, with the reason.
    with pytest.raises(dossier.DocumentNotApplicable, match="三十日内"):
        _print(s, deadline + timedelta(days=1))


def test_a_late_application_prints_the_truth(db: Database) -> None:
    s = settled_case(db, signed_days_ago=2)
    applied = s.effective_on + timedelta(days=41)
    deadline = s.effective_on + timedelta(days=30)
    with db.write() as session, pytest.raises(LateApplication):
        confirmation.record_application(session, s.head, s.agreement_id, applied_on=applied, court=COURT,
                                        today=applied)
    with db.write() as session:
        info = confirmation.record_application(session, s.head, s.agreement_id, applied_on=applied, court=COURT,
                                               late_reason=f"  {REASON}\n", today=applied)
    assert info.late_reason == REASON  # stored with the application, one line
    with db.read() as session:
        filing = confirmation.printed_application(session, s.case_id, s.agreement_id, applied + timedelta(days=5))
    assert filing.late and filing.late_reason == REASON and filing.applied_on == applied
    text = _print(s, applied + timedelta(days=5))
    assert "三十日内" not in text
    day = f"{s.effective_on.year}年{s.effective_on.month}月{s.effective_on.day}日"
    assert f"该调解协议于{day}达成，于{day}生效" in text
    assert f"申请人于{applied.year}年{applied.month}月{applied.day}日共同向人民法院申请司法确认" in text
    last = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    assert f"已超过自调解协议生效之日起三十日的申请期限（至{last}届满），逾期11日" in text
    assert f"逾期申请的原因：{REASON}。" in text
    assert COURT in text


def test_an_application_in_time_keeps_the_thirty_days(db: Database) -> None:
    s = settled_case(db, signed_days_ago=2)
    applied = s.effective_on + timedelta(days=30)
    with db.write() as session:
        info = confirmation.record_application(session, s.head, s.agreement_id, applied_on=applied, court=COURT,
                                               today=applied)
    assert info.late_reason == ""
    text = _print(s, applied + timedelta(days=60))  # printed later: the recorded filing was in time
    assert "自调解协议生效之日起三十日内共同向人民法院申请司法确认" in text and "逾期" not in text


@pytest.mark.parametrize(("note", "reason"), [
    ("逾期 3 天申请，原因：病后返乡", "病后返乡"),
    ("逾期 3 天申请，原因：病后返乡\n法院以逾期为由驳回", "病后返乡"),
    ("", ""),
    ("法院驳回", ""),
])
def test_the_reason_is_read_from_the_application(note: str, reason: str) -> None:
    assert confirmation.late_reason_of(note) == reason


def test_the_command_refuses_then_prints_a_recorded_late_application(sqlite_db: Database, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    s = settled_case(sqlite_db, signed_days_ago=45)  # the window closed 15 days ago
    with sqlite_db.read() as session:
        from mediation_desk.services import cases

        number = cases.case_detail(session, s.head, s.case_id).number
    out = tmp_path / "申请书.pdf"

    def doc() -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
        return cli.main(["--database", f"sqlite:///{sqlite_db.url.database}", "doc", "confirmation-application",
                         number, "--out", str(out), "--as", "mediator", "--password-stdin"])

    assert doc() == 2
    err = capsys.readouterr().err
    assert "已逾期 15 天" in err and "逾期原因" in err and not out.exists()
    today = s.effective_on + timedelta(days=45)
    with sqlite_db.write() as session:
        confirmation.record_application(session, s.head, s.agreement_id, applied_on=today, court=COURT,
                                        late_reason=REASON, today=today)
    assert doc() == 0, capsys.readouterr().err
    text = compact(pdf_text(out.read_bytes()))
    assert "三十日内" not in text and f"逾期申请的原因：{REASON}。" in text and "逾期15日" in text


def test_the_documents_tab_says_why_the_late_application_does_not_print(db: Database) -> None:
    from mediation_desk.services import pages

    s = settled_case(db, signed_days_ago=45)
    with db.read() as session:
        rows = {r.kind: r for r in pages.check_documents(session, s.mediator, s.case_id)}
    row = rows["confirmation-application"]
    assert not row.applies and "已逾期 15 天" in row.reason and "逾期原因" in row.reason
    assert rows["agreement"].applies
