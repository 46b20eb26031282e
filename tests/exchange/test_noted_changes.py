"""Termination, transfers and packets note what they change (``changes.note``), as the transfer tab
and the packet import used to state at their call sites: the case, and a list change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.exchange.export import ExportResult, export_packet
from mediation_desk.exchange.importer import ImportResult, import_packet
from mediation_desk.models import TransferTarget, now
from mediation_desk.services import termination, transfers
from mediation_desk.services.actor import Actor

from ..documents.casefile import ON_STORY_DAY
from .casebuild import FACTS, REASON, in_mediation

pytestmark = ON_STORY_DAY


def noted_by(db: Database, work: Callable[[Session], object]) -> Changes:
    with db.collect_changes() as collected, db.write() as session:
        work(session)
    return collected.changes


def test_termination_transfer_and_packets_note_the_case_and_the_lists(sqlite_db: Database, tmp_path: Path) -> None:
    db = sqlite_db
    built = in_mediation(db)
    case_id, mediator = built.case_id, built.mediator
    listed = Changes.cases(case_id, list_changed=True)

    assert noted_by(db, lambda s: termination.terminate(s, mediator, case_id, reason=REASON)) == listed
    assert noted_by(db, lambda s: termination.save_undisputed_facts(s, mediator, case_id, facts=FACTS)) == listed
    assert noted_by(db, lambda s: termination.sign_undisputed_facts(s, mediator, case_id)) == listed

    # The export runs its own transactions, as the transfer tab's job does: what they noted is collected.
    exported: list[ExportResult] = []
    with db.collect_changes() as collected:
        exported.append(export_packet(db, mediator, case_id, target=TransferTarget.COURT,
                                      target_name="张掖市甘州区人民法院", out=tmp_path / "p.zip",
                                      claims=["判令被申请人赔偿损失8600元"]))
    assert collected.changes == listed
    transfer = exported[0].transfer
    assert transfer is not None
    today = now().date()
    assert noted_by(db, lambda s: transfers.confirm_sent(s, mediator, transfer.id)) == listed
    assert noted_by(db, lambda s: transfers.mark_received(s, mediator, transfer.id, received_on=today)) == listed
    assert noted_by(db, lambda s: transfers.mark_filed(s, mediator, transfer.id, filed_number="(2026)甘0702民初1234号",
                                                       filed_on=today)) == listed
    assert noted_by(db, lambda s: transfers.record_outcome(s, mediator, transfer.id, outcome="调解结案",
                                                           outcome_on=today)) == listed

    # The packet arrives (here at the same center): a new case, and the lists gain it.
    imported: list[ImportResult] = []
    with db.collect_changes() as collected:
        imported.append(import_packet(db, Actor.system("import"), tmp_path / "p.zip"))
    assert imported[0].created and imported[0].case_id != case_id
    assert collected.changes == Changes.cases(imported[0].case_id, list_changed=True)
    # The same packet again creates nothing and notes nothing.
    with db.collect_changes() as collected:
        again = import_packet(db, Actor.system("import"), tmp_path / "p.zip")
    assert not again.created and collected.changes == Changes() and collected.commits == 1
