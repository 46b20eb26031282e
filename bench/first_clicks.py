"""The first clicks on 组织机构, 统计 and 督办与考核 (and every tab inside them), timed as
``bench/screens.py`` times a step, after a step that does nothing (the walker's own floor).

    .venv/bin/python bench/first_clicks.py [--copy /work/bench-data/NAME/demo-1m.sqlite]
        [--source …] [--users head] [--sample]

Same arguments and table as ``bench/screens.py`` (it reuses its walker, sign-in and report); the
login writes audit entries into the copy.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screens

SKIP = ("风险研判", "Risk briefing")
SECTIONS = ("组织机构", "统计", "督办与考核", "Organisation", "Statistics", "Supervision and scoring")


def walk(walker: screens.Walker, db: Any, username: str, shown: Any) -> None:
    from PySide6.QtWidgets import QTabWidget

    signed = screens.sign_in(walker, db, username, shown)
    tabs = signed.window.tabs
    walker.step("nothing (the walker's own floor)", lambda: None)
    for index in range(1, tabs.count()):
        title = screens.tab_title(tabs, index)
        if title not in SECTIONS:
            continue
        walker.step(title, partial(tabs.setCurrentIndex, index))
        # 风险研判 reads for seconds (its own item of #20): every other tab inside.
        section = tabs.widget(index)
        inside = [section] if isinstance(section, QTabWidget) else []
        for inner in inside + section.findChildren(QTabWidget):
            if not inner.isVisibleTo(signed.window):
                continue
            for tab in range(1, inner.count()):
                name = screens.tab_title(inner, tab)
                if name not in SKIP:
                    walker.step(f"{title} › {name}", partial(inner.setCurrentIndex, tab))
            inner.setCurrentIndex(0)
    screens.sign_out(walker, signed)


def main() -> int:
    return screens.run(screens.arguments(__doc__, ("head",)).parse_args(), walk)


if __name__ == "__main__":
    sys.exit(main())
