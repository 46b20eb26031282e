"""Dates that agree (issue 18 item 5), read back from the printed PDFs of the demo center.

* the registration form's seal is dated the day of the decision written above it (受理 or 不予受理);
* the dossier's 立卷日期 is never before a document bound in it (return visits, the court's ruling);
* a ruling recorded in the database (court case number, result) appears in the dossier;
* 立卷人 is the signed-in person, never "系统".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk.documents.forms import cn_date
from mediation_desk.models import (
    CaseEvent,
    CaseState,
    ConfirmationResult,
    DisputeCase,
    JudicialConfirmation,
    ReturnVisit,
)
from mediation_desk.services import dossier
from mediation_desk.services.actor import Actor

from .conftest import Demo, compact, pdf_text, seeded_demo

TODAY = datetime(2026, 11, 30, 17, 0)
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@pytest.fixture(scope="module")
def center(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    center = seeded_demo(sqlite_template, tmp_path_factory.mktemp("dates"), TODAY)
    yield center
    center.db.dispose()


def _dates(text: str) -> list[date]:
    return [date(int(y), int(m), int(d)) for y, m, d in _DATE.findall(text)]


def _after(text: str, label: str) -> date:
    """The first date printed after ``label`` in whitespace-free text."""
    found = _DATE.search(text, text.index(label) + len(label))
    assert found is not None, label
    return date(int(found[1]), int(found[2]), int(found[3]))


def test_the_registration_seal_is_dated_the_day_of_the_decision_above_it(center: Demo) -> None:
    with center.db.read() as session:
        rows = session.execute(select(DisputeCase.id, DisputeCase.state, DisputeCase.received_at,
                                      DisputeCase.accepted_at).order_by(DisputeCase.id)).all()
        rejected_on = dict(session.execute(select(CaseEvent.case_id, CaseEvent.at)
                                           .where(CaseEvent.to_state == CaseState.REJECTED)).all())
        checked = {"accepted": 0, "rejected": 0, "undecided": 0}
        for case_id, state, received, accepted in rows:
            if accepted is not None and accepted.date() == received.date() and checked["accepted"] > 40:
                continue
            text = compact(pdf_text(dossier.render_document(session, center.head, case_id, "registration")))
            seal = _after(text, "（盖章）") if _DATE.search(text, text.index("（盖章）")) else None
            if accepted is not None:
                assert f"于{cn_date(accepted)}受理" in text
                assert seal == accepted.date(), (case_id, seal, accepted)
                checked["accepted"] += 1
            elif state is CaseState.REJECTED:
                assert f"于{cn_date(rejected_on[case_id])}决定不予受理" in text
                assert seal == rejected_on[case_id].date()
                assert "受理邹" not in text and "经当事人同意" not in text
                checked["rejected"] += 1
            else:
                # Not decided yet: the seal's date is a blank to fill in, not the registration day.
                assert seal is None or seal != received.date() or received.date() == TODAY.date()
                assert "年月日" in text
                checked["undecided"] += 1
    assert checked["accepted"] > 40 and checked["rejected"] and checked["undecided"]


def _filed_on(text: str) -> date:
    return _after(text, "立卷日期：")


def test_the_dossier_is_filed_after_everything_bound_in_it_and_shows_the_ruling(center: Demo) -> None:
    with center.db.read() as session:
        confirmed = session.execute(
            select(JudicialConfirmation).join(DisputeCase, DisputeCase.id == JudicialConfirmation.case_id)
            .where(JudicialConfirmation.result == ConfirmationResult.CONFIRMED,
                   DisputeCase.state == CaseState.CLOSED)
            .order_by(JudicialConfirmation.id).limit(4)).scalars().all()
        assert confirmed
        visited = session.execute(
            select(ReturnVisit.case_id, ReturnVisit.visited_on).order_by(ReturnVisit.id).limit(6)).all()
        cases = {j.case_id for j in confirmed} | {case_id for case_id, _ in visited}
        for case_id in sorted(cases):
            text = compact(pdf_text(dossier.build_dossier(session, center.head, case_id)))
            filed = _filed_on(text)
            # The back cover says the same day as the cover.
            assert _after(text[text.index("卷内备考表"):], "立卷日期：") == filed
            bound = [v for c, v in visited if c == case_id]
            for ruling in (j for j in confirmed if j.case_id == case_id):
                assert ruling.decided_on is not None
                bound.append(ruling.decided_on)
                assert ruling.court_case_number in text
                assert f"于{cn_date(ruling.decided_on)}裁定确认调解协议有效" in text
            # Every document listed in the index with its date is no later than the filing.
            index = text[text.index("卷内目录"):text.index("封底（卷内备考表）")]
            bound += _dates(index)
            assert bound and max(bound) <= filed, (case_id, max(bound), filed)
            # The summary is signed on the filing day too.
            summary = text[text.rindex("卷宗情况说明"):]
            assert _after(summary, "说明人：") == filed


def test_the_filer_is_the_signed_in_person_never_the_system(center: Demo) -> None:
    with center.db.read() as session:
        case_id = session.scalars(select(DisputeCase.id).where(DisputeCase.state == CaseState.CLOSED)
                                  .order_by(DisputeCase.id)).first()
        assert case_id is not None
        text = compact(pdf_text(dossier.render_document(session, center.head, case_id, "dossier")))
        assert "立卷人：陈志强" in text
        # Bound by the system (a maintenance job with no person): the line stays blank to sign.
        text = compact(pdf_text(dossier.build_dossier(session, Actor.system("test"), case_id)))
        assert "立卷人：系统" not in text and "说明人：系统" not in text
        assert "立卷人：立卷日期" in text
