"""Every document of a case prints its number whole on one line: a county's with a 4-, 5- and
6-digit seq and a township's (its own, longer prefix), in running text (the transfer letter's
（案号…）), in table cells (the confirmation application's list of materials, the dossier's cover)
and in the number lines of the forms — never broken in its digits nor leaving 号 alone."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from mediation_desk.db import Database
from mediation_desk.models import CaseNumberSequence, Center, DisputeCase
from mediation_desk.services import numbering

from .. import composition
from ..exchange.casebuild import failed_case
from . import casefile

pytestmark = casefile.ON_STORY_DAY

TODAY = date(2026, 3, 20)


Printed = list[tuple[Database, int, object]]


def _numbered_from(db: Database, number: str) -> None:
    """The center's prefix and its sequence set so that the next case registered takes ``number``
    (through the numbering service, as a real case does)."""
    match = re.fullmatch(r"（(\d{4})）(.+)字第(\d+)号", number)
    assert match is not None
    year, prefix, seq = int(match[1]), match[2], int(match[3])
    with db.write() as session:
        center_id = numbering.ensure_year_row(session, year)
        session.execute(update(Center).where(Center.id == center_id).values(prefix=prefix))
        session.execute(update(CaseNumberSequence).where(CaseNumberSequence.center_id == center_id,
                                                         CaseNumberSequence.year == year).values(last_value=seq - 1))


@pytest.fixture(scope="module", params=composition.SAMPLE_NUMBERS, ids=composition.SAMPLE_IDS)
def printed(request: pytest.FixtureRequest, sqlite_template: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """A case with a signed written agreement and one whose mediation failed (its transfer letter
    and summary), each in its own database and numbered ``request.param``, with who prints their
    documents."""
    folder = tmp_path_factory.mktemp("numbers")
    made: Printed = []
    for name, build in (("written", casefile.build), ("failed", failed_case)):
        shutil.copyfile(sqlite_template, folder / f"{name}.sqlite3")
        db = Database(f"sqlite:///{folder / name}.sqlite3")
        _numbered_from(db, request.param)
        built = build(db)
        with db.read() as session:
            assert session.get(DisputeCase, built.case_id).number == request.param  # type: ignore[union-attr]
        made.append((db, built.case_id, built.mediator))
    yield made
    for db, _case_id, _actor in made:
        db.dispose()


def test_every_document_prints_the_case_number_whole(printed: Printed) -> None:
    kinds: set[str] = set()
    broken: list[str] = []
    for db, case_id, actor in printed:
        with db.read() as session:
            for document in composition.case_documents(session, actor, case_id, today=TODAY):
                pages = composition.page_lines(document.pdf)
                kinds.add(document.kind)
                assert composition.CASE_NUMBER.fullmatch(document.case_number), document.case_number
                assert composition.number_count(pages, document.case_number) >= 1, document
                broken += [f"{document}: {f}" for f in composition.broken_numbers(pages, [document.case_number])]
    assert broken == []
    assert {"confirmation-application", "transfer-letter", "dossier", "receipt", "registration"} <= kinds
