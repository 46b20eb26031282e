"""A case's 文书 tab: the read that lists its documents (``pages.documents_page``), issue 20.3.

On a demo database (a copy: it is only read, but SQLite may write its -shm beside it), signed in
as the head, for the case with the most timeline entries and for the case holding the most kinds
of document (records, agreements, visits), medians of ``--runs`` after one warm-up: wall and CPU
(``time.process_time``) of the tab's read, beside its floor, the case read alone
(``cases.case_detail``: what the list cannot go below). Budget: a tab's data ≤ 300 ms, at the
load printed beside it.

    .venv/bin/python bench/documents_tab.py --database PATH [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_DESK_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from timing import median_ms  # noqa: E402 - bench/ is not a package; the path is set just above

BUDGET_MS = 300.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    from sqlalchemy import func, select

    import mediation_desk
    from mediation_desk import demo
    from mediation_desk.db import Database
    from mediation_desk.models import Agreement, CaseEvent, MediationRecord, ReturnVisit
    from mediation_desk.services import auth, cases, pages

    db = Database(f"sqlite:///{args.database}")
    actor = auth.login(db, "head", demo.DEMO_PASSWORD)
    with db.read() as session:
        busiest = session.execute(select(CaseEvent.case_id).group_by(CaseEvent.case_id)
                                  .order_by(func.count().desc(), CaseEvent.case_id).limit(1)).scalar_one()
        kinds: dict[int, int] = {}
        for model in (Agreement, MediationRecord, ReturnVisit):
            for case_id in session.scalars(select(model.case_id).distinct()):
                kinds[case_id] = kinds.get(case_id, 0) + 1
        richest = min(kinds, key=lambda c: (-kinds[c], c))
        events = session.scalar(select(func.count()).where(CaseEvent.case_id == busiest))

    print(f"code: {Path(mediation_desk.__file__).parent}; database: {args.database}; load {os.getloadavg()}")
    print(f"{'case':<34}| {'list ms':>8} | {'list CPU':>8} | {'floor ms':>8} | {'floor CPU':>9} | budget")
    for label, case_id in ((f"most entries ({events}), id {busiest}", busiest),
                           (f"most kinds, id {richest}", richest)):
        def listing(c: int = case_id) -> object:
            with db.read() as session:
                return pages.documents_page(session, actor, c)

        def floor(c: int = case_id) -> object:
            with db.read() as session:
                return cases.case_detail(session, actor, c)

        wall, cpu = median_ms(listing, args.runs)
        floor_wall, floor_cpu = median_ms(floor, args.runs)
        verdict = "OK" if wall <= BUDGET_MS else "OVER BUDGET"
        print(f"{label:<34}| {wall:8.1f} | {cpu:8.1f} | {floor_wall:8.1f} | {floor_cpu:9.1f} | {verdict}")
    print(f"load after: {os.getloadavg()}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
