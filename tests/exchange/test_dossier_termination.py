"""The dossier of a failed case carries its undisputed-facts statement and says why mediation ended."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mediation_desk.db import Database
from mediation_desk.services import dossier

from ..documents.casefile import ON_STORY_DAY
from .casebuild import FACTS, REASON, failed_case

pytestmark = ON_STORY_DAY


def test_dossier_files_the_undisputed_facts_and_the_termination(sqlite_db: Database) -> None:
    built = failed_case(sqlite_db, files=False)
    with sqlite_db.read() as session:
        pdf = dossier.build_dossier(session, built.head, built.case_id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "无争议事实确认书" in text
    assert FACTS.replace("\n", "")[:12] in text
    assert "调解终结" in text and REASON[:10] in text
