"""The first shows #20 still found slow, timed as ``bench/screens.py`` times a step: 受理登记's first
show (a head's, whose form is not made with the window), the case section's first show, the
first opening of the big case (the most timeline entries the user may read), an ordinary case,
and the big case again — for each user, with a step that does nothing first (the GUI CPU the
walker's own waiting costs: every step's figure includes it).

    .venv/bin/python bench/first_shows.py [--copy /work/bench-data/NAME/demo-200k.sqlite]
        [--source …] [--users head,clerk,mediator] [--sample]

Same arguments and table as ``bench/screens.py`` (it reuses its walker, sign-in and report); the
login and the list reads write audit entries into the copy.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screens

CASE_SECTIONS = ("案件", "我的案件", "Cases", "My cases")
INTAKE = ("受理登记", "Registration")


def walk(walker: screens.Walker, db: Any, username: str, shown: Any) -> None:
    signed = screens.sign_in(walker, db, username, shown)
    window, big = signed.window, signed.big
    tabs = window.tabs
    walker.step("nothing (the walker's own floor)", lambda: None)
    for index in range(1, tabs.count()):
        if screens.tab_title(tabs, index) in INTAKE:
            walker.step("受理登记 first show", partial(tabs.setCurrentIndex, index))
            walker.step("back to the first section", partial(tabs.setCurrentIndex, 0))
    for index in range(tabs.count()):
        title = screens.tab_title(tabs, index)
        if title not in CASE_SECTIONS or big is None:
            continue
        if index:
            walker.step(f"{title} first show", partial(tabs.setCurrentIndex, index))
        section = tabs.widget(index)
        walker.step(f"{title} › big case first open", partial(section.open_case, big))
        model = section.list_view.model
        ordinary = next((case for case in (model.case_id_at(row) for row in range(min(2, model.rowCount())))
                         if case is not None and case != big), None)
        if ordinary is not None:
            walker.step(f"{title} › ordinary case", partial(section.open_case, ordinary))
        walker.step(f"{title} › big case again", partial(section.open_case, big))
        break
    screens.sign_out(walker, signed)


def main() -> int:
    return screens.run(screens.arguments(__doc__, ("head", "clerk", "mediator")).parse_args(), walk)


if __name__ == "__main__":
    sys.exit(main())
