"""Keystrokes at the counter: the real registration form driven with QTest, counted and timed.

A standard registration, as a clerk types it with the keyboard alone: the dispute type, a title,
two applicants (persons with resident ID numbers and phones), one company respondent (name,
unified social credit code, phone), the facts, two requests, and the first applicant's ID card
scanned on SANE's ``test`` device (Ctrl+B in the form; ``--no-scanner`` or a machine without
SANE imports an image file instead, counted as Ctrl+O, the file name typed and Enter). Then Ctrl+S,
and the next registration starts on the form the save left behind, ``--rounds`` times in a row.

Every key sent to the form is counted, and every Chinese text is counted as a pinyin input method
takes it: the letters of its full pinyin plus one key to pick the candidates (``pypinyin``). The
form's keys (Tab, Enter, arrows, shortcuts, the letters that pick a list entry) are counted apart
from the content (what the registration says, the same whatever the form does), so the two can be
read separately. Mouse clicks are counted too (the flow uses none).

The script reaches each field the way a person does: Tab (or Enter) until the cursor is there;
a list entry is picked by type-ahead when the list offers it (letters or pinyin initials), else
with the arrow keys (Home/End when shorter); an organisation is made one by choosing 法人 in the
party's kind list unless the form recognises it from its name or credit code by itself.

Times: the wall time of a whole registration (the machine's, not a person's: no thinking, no
typing speed), and "save → ready": from Ctrl+S to the form empty again with the cursor in its first
field, ready for the next visitor (budget ≤ 300 ms). Each saved case is read back and compared
with what was typed, so a figure is only printed for registrations that were right.

    .venv/bin/python bench/counter.py [--rounds 5] [--no-scanner] [--screenshot shot.png] [--verbose]

Measured on the 2-core shared build machine, 10 rounds, SANE test:0 (form keys are what the
changes of issue 19 item 3 cut; content keys are the registration itself):

    before: 349 keystrokes (form 57 + content 292)   save → ready median 297 ms (max 417)
    after:  319 keystrokes (form 27 + content 292)   save → ready median 141-187 ms
    (the maxima follow the load of the shared machine: the write itself is 50-250 ms there)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

READY_BUDGET_MS = 300.0
#: The screen of the judged walk.
SCREEN = (1366, 768)


# --------------------------------------------------------------------------- counting


def pinyin_keys(text: str) -> int:
    """Keys a full-pinyin input method takes for ``text``: the letters, plus one to pick."""
    from pypinyin import Style, lazy_pinyin

    letters = sum(len(syllable) for syllable in lazy_pinyin(text, style=Style.NORMAL, errors="default"))
    return letters + 1


@dataclass
class Tally:
    form_keys: int = 0
    content_keys: int = 0
    clicks: int = 0
    #: What the form keys were spent on, for reading the figure.
    spent: dict[str, int] = field(default_factory=dict)

    @property
    def keystrokes(self) -> int:
        return self.form_keys + self.content_keys

    def note(self, what: str, keys: int) -> None:
        self.form_keys += keys
        self.spent[what] = self.spent.get(what, 0) + keys


class Keyboard:
    """Keys on whatever has the focus, counted."""

    def __init__(self, app: Any, form: Any) -> None:
        self.app = app
        self.form = form
        self.tally = Tally()
        self.purpose = "navigation"
        #: Tabs counted by the field they went to.
        self.verbose = False
        #: Fields of the card the reader got wrong and the clerk corrected (all rounds).
        self.corrected: list[str] = []

    def focused(self) -> Any:
        """The widget the next key goes to. A window just closed may hand the keyboard back a
        moment later; if nothing has it after a second, a person clicks into the form (counted)."""
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        for _ in range(200):
            widget = QApplication.focusWidget()
            if widget is not None:
                return widget
            QTest.qWait(5)
        window = QApplication.activeWindow() or self.form
        window.activateWindow()
        self.form.focus_first_field()
        self.tally.clicks += 1
        widget = QApplication.focusWidget()
        if widget is None:
            raise RuntimeError("nothing has the focus, even after a click")
        return widget

    def settle(self) -> None:
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.processEvents()

    def key(self, key: Any, modifiers: Any = None, *, what: str | None = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(self.focused(), key, modifiers or Qt.KeyboardModifier.NoModifier)
        self.tally.note(what or self.purpose, 1)
        self.settle()

    def letters(self, text: str, *, what: str) -> None:
        """Letters that drive the form (type-ahead), not content."""
        from PySide6.QtTest import QTest

        for char in text:
            QTest.keyClicks(self.focused(), char)
            self.tally.note(what, 1)
            self.settle()

    def type(self, text: str) -> None:
        """Content: ASCII key by key, Chinese as an input method commits it (runs of each)."""
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        runs: list[str] = []
        for char in text:
            if runs and runs[-1][-1].isascii() == char.isascii():
                runs[-1] += char
            else:
                runs.append(char)
        for run in runs:
            widget = self.focused()
            if run.isascii():
                QTest.keyClicks(widget, run)
                self.tally.content_keys += len(run)
            else:
                event = QInputMethodEvent("", [])
                event.setCommitString(run)
                QApplication.sendEvent(widget, event)
                self.tally.content_keys += pinyin_keys(run)
            self.settle()


# --------------------------------------------------------------------------- moving like a person


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0,
               detail: Callable[[], str] = lambda: "") -> None:
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:.0f} s for {what} {detail()}")
        QTest.qWait(1)


def go(kb: Keyboard, target: Any, *, limit: int = 60, back: bool = False) -> None:
    """Tab (Shift+Tab with ``back``) until the cursor is in ``target``."""
    from PySide6.QtCore import Qt

    for _ in range(limit):
        if kb.focused() is target:
            return
        what = f"Tab to {target.objectName()}" if kb.verbose else "Tab to the next field"
        kb.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier if back else None, what=what)
    raise RuntimeError(f"Tab never reached {target.objectName()} (at {kb.focused().objectName()})")


def initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(s[0] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if s)


def next_part(kb: Keyboard, form: Any, target: Any) -> None:
    """To the first field of a later part of the form: the form's next-part key when it has one
    (and it is shorter than tabbing), else Tab."""
    from PySide6.QtCore import Qt

    if hasattr(form, "next_section"):
        kb.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, what="next part (Ctrl+Enter)")
    go(kb, target)


def pick(kb: Keyboard, combo: Any, text: str) -> None:
    """Go to the list and pick ``text`` in it, unless it is already chosen there."""
    if combo.currentText() != text:
        go(kb, combo)
        choose(kb, combo, text)


def choose(kb: Keyboard, combo: Any, text: str) -> None:
    """Pick ``text`` in the focused list: type-ahead when the list takes it, else the arrows."""
    from PySide6.QtCore import Qt

    assert kb.focused() is combo, (kb.focused().objectName(), combo.objectName())
    target = combo.findText(text)
    if target < 0:
        raise RuntimeError(f"{combo.objectName()} has no {text!r}")
    if combo.currentIndex() == target:
        return
    if combo.property("typeAhead"):
        for letter in initials(text):
            kb.letters(letter, what="pick in a list")
            if combo.currentIndex() == target:
                return
        raise RuntimeError(f"typing the initials of {text!r} did not pick it in {combo.objectName()}")
    current, last = combo.currentIndex(), combo.count() - 1
    ways = [(abs(target - current), None), (1 + target, Qt.Key.Key_Home), (1 + last - target, Qt.Key.Key_End)]
    _count, jump = min(ways, key=lambda way: way[0])
    if jump is not None:
        kb.key(jump, what="pick in a list")
    while combo.currentIndex() != target:
        kb.key(Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up, what="pick in a list")


# --------------------------------------------------------------------------- the registration


@dataclass(frozen=True)
class Phrase:
    """A stock phrase of the dispute type: taken with Alt+<its number> when the form offers it,
    else typed like any text."""

    text: str


@dataclass(frozen=True)
class Visit:
    """What one registration says (different people every round: no repeat visits). The first
    applicant shows a resident ID card (``card``, a ``tests.idcard_gen.Card``): what it says is
    scanned, not typed."""

    dispute_type: str
    card: Any
    phone: str  # the first applicant's (not on the card)
    applicant: tuple[str, str, str]  # the second applicant: name, resident ID, phone
    company: tuple[str, str, str]  # name, credit code, phone
    facts: tuple[str | Phrase, ...]
    requests: tuple[str | Phrase, ...]

    @property
    def title(self) -> str:
        """The form's suggestion, taken with Enter."""
        return f"{self.card.name}等与{self.company[0]}{self.dispute_type}"

    @property
    def facts_text(self) -> str:
        return "".join(part if isinstance(part, str) else part.text for part in self.facts)

    @property
    def requests_text(self) -> tuple[str, ...]:
        return tuple(part if isinstance(part, str) else part.text for part in self.requests)


SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("伟", "芳", "建国", "秀英", "明", "桂兰", "志强", "丽", "海燕", "军")
COMPANIES = ("甘州区宏远建筑劳务有限公司", "张掖市祁连商贸有限公司", "甘州区丰源农机修理厂", "张掖市鑫达物流有限公司",
             "甘州区绿洲农产品专业合作社", "张掖市恒信物业服务有限公司")


def resident_id(round_no: int, person: int) -> str:
    from mediation_desk.services.validation import resident_id_check_char

    born = f"{1970 + round_no % 30:04d}{1 + person % 12:02d}{10 + round_no % 18:02d}"
    first17 = f"620702{born}{100 + round_no * 7 + person:03d}"
    return first17 + resident_id_check_char(first17[:17])


def credit_code(round_no: int) -> str:
    from mediation_desk.services.validation import credit_code_check_char

    first17 = f"91620702MA7{round_no:06d}"[:17]
    return first17 + credit_code_check_char(first17)


def id_card(round_no: int) -> Any:
    """The card the first applicant shows (tests/idcard_gen.py: printed, scanned, speckled)."""
    from tests.idcard_gen import make_card

    return make_card(20261205 + round_no, defect="")


def visit(round_no: int) -> Visit:
    name = SURNAMES[(round_no * 2 + 1) % len(SURNAMES)] + GIVEN[(round_no * 3 + 1) % len(GIVEN)]
    company = COMPANIES[round_no % len(COMPANIES)]
    return Visit(
        dispute_type="劳动争议",
        card=id_card(round_no),
        phone=f"139936{round_no:03d}00",
        applicant=(name, resident_id(round_no, 1), f"139936{round_no:03d}01"),
        company=(company, credit_code(round_no), f"0936-82{round_no:05d}"),
        facts=("二人在该公司工地务工三个月，", Phrase("工资至今未付"), "。"),
        requests=(Phrase("请求支付拖欠工资"), Phrase("请求支付经济补偿金")),
    )


def card_truth(card: Any) -> dict[str, str]:
    """What the form must show from the card, field by field (as the party form holds them)."""
    truth = card.truth
    ethnicity = truth["ethnicity"]
    return {"name": truth["name"], "id_number": truth["id_number"], "sex": truth["sex"],
            "ethnicity": ethnicity if ethnicity.endswith("族") else ethnicity + "族",
            "birth_date": truth["birth_date"], "address": truth["address"]}


def card_shown(party: Any) -> dict[str, str]:
    return {"name": party.name.text(), "id_number": party.id_number.text(), "sex": party.gender.currentText(),
            "ethnicity": party.ethnicity.currentText(), "birth_date": party.birth_date.text(),
            "address": party.address.text()}


def sex_text(sex: str) -> str:
    from mediation_desk.models import Gender

    return kind_text(Gender.MALE if sex == "男" else Gender.FEMALE)


def correct_card(kb: Keyboard, party: Any, truth: dict[str, str]) -> list[str]:
    """The clerk compares the fields with the card and corrects what the reader got wrong (counted:
    to the field, select all, type it); returns the fields corrected."""
    from PySide6.QtCore import Qt

    wrong = []
    for key, editor in party.card_editors().items():
        wanted = sex_text(truth["sex"]) if key == "sex" else truth[key]
        shown = editor.currentText() if hasattr(editor, "currentText") else editor.text()
        if shown == wanted:
            continue
        wrong.append(key)
        kb.purpose = "correct the card"
        if editor.focusPolicy() & Qt.FocusPolicy.TabFocus:
            go(kb, editor, back=_before(kb.focused(), editor, party))
        else:
            editor.setFocus(Qt.FocusReason.MouseFocusReason)
            kb.tally.clicks += 1
        if hasattr(editor, "currentText") and not editor.isEditable():
            choose(kb, editor, wanted)
        else:
            kb.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            kb.type(wanted)
        kb.purpose = "navigation"
    return wrong


def _before(here: Any, target: Any, party: Any) -> bool:
    order = party.focus_order()
    return here in order and target in order and order.index(target) < order.index(here)


def type_parts(kb: Keyboard, form: Any, edit: Any, parts: tuple[str | Phrase, ...], *, lines: bool) -> None:
    """Text and stock phrases in order (a phrase the form does not offer is typed)."""
    from PySide6.QtCore import Qt

    offered = form.stock_phrases() if hasattr(form, "stock_phrases") else None
    entries = (offered.requests if edit is form.requests else offered.facts) if offered else ()
    for index, part in enumerate(parts):
        if lines and index and (not isinstance(part, Phrase) or part.text not in entries):
            kb.key(Qt.Key.Key_Return, what="new line in the requests")  # a phrase takes a line by itself
        if isinstance(part, Phrase) and part.text in entries:
            number = entries.index(part.text) + 1
            kb.key(getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.AltModifier,
                   what="stock phrase (Alt+number)")
        else:
            kb.type(part if isinstance(part, str) else part.text)


def register(kb: Keyboard, form: Any, data: Visit, *, scanner: bool, card_file: Path) -> float:
    """One registration, keys only, from wherever the last save left the cursor. Returns the
    seconds from Ctrl+S to ready."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from mediation_desk.models import PartyKind, PartyRole

    # ---- the dispute
    pick(kb, form.dispute_type, data.dispute_type)
    old_form = not hasattr(form, "take_title_suggestion")
    if old_form:
        go(kb, form.title)
        kb.type(data.title)

    # ---- the first applicant: from the ID card
    first = form.parties[0]
    next_part(kb, form, first.name)
    box = form.documents_box
    if scanner:
        write_scanner_page(data.card)
        kb.key(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier, what="scan (Ctrl+B)")
        dialog = box.scan_dialog
        wait_until(lambda: dialog.device.count() > 0 and dialog.scan_button.isEnabled(), "the scanners")
        kb.purpose = "scan dialog"
        pick(kb, dialog.kind, kind_text_of_identity())
        pick(kb, dialog.party, box.party_label(first))
        kb.key(Qt.Key.Key_Return, what="scan dialog")
        kb.purpose = "navigation"
        wait_until(lambda: box.scan_dialog is None and len(box.documents) == 1, "the scan")
    else:
        # The file dialog is the platform's: counted as a person uses it (Ctrl+O, the name, Enter);
        # the name 身份证.jpg makes it a proof of identity, given to the first party without one.
        card_file.write_bytes(card_image(data.card))
        kb.tally.note("import a file (Ctrl+O, name, Enter)", 1 + pinyin_keys(card_file.stem) + 4 + 1)
        box.import_paths([card_file])
        wait_until(lambda: len(box.documents) == 1, "the import")
    document = box.documents[0]
    if document.party is not first or document.kind.value != "identity":
        raise RuntimeError(f"the card went to {document.party!r} as {document.kind}")
    readers = getattr(form, "id_cards", None)
    wait_until(lambda: readers is None or id(first) not in readers.reading, "the card's reading", timeout=60)
    truth = card_truth(data.card)
    corrected = correct_card(kb, first, truth)
    kb.corrected += corrected
    if first.card_marks():
        kb.key(Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
               what="confirm the card (Ctrl+Shift+I)")
    go(kb, first.phone)
    kb.type(data.phone)

    # ---- the second applicant, then the respondent
    kb.key(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, what="add a party (Ctrl+P)")
    second = form.parties[1]
    if second.role() is not PartyRole.APPLICANT:
        raise RuntimeError("Ctrl+P did not add an applicant")
    name, number, phone = data.applicant
    go(kb, second.name)
    kb.type(name)
    go(kb, second.id_number)
    kb.type(number)
    go(kb, second.phone)
    kb.type(phone)
    company = form.parties[2]
    name, code, phone = data.company
    if not hasattr(company, "recognise_organisation"):
        pick(kb, company.kind_combo, kind_text(PartyKind.LEGAL_PERSON))
    next_part(kb, form, company.name)
    kb.type(name)
    go(kb, company.credit_code)
    kb.type(code)
    go(kb, company.phone)
    kb.type(phone)
    if company.kind() is not PartyKind.LEGAL_PERSON:
        raise RuntimeError("the respondent did not become an organisation")

    # ---- title (the suggestion), facts and requests
    if not old_form:
        next_part(kb, form, form.title)
        if form.title_suggestion() != data.title:
            raise RuntimeError(f"the form suggests {form.title_suggestion()!r}")
        kb.key(Qt.Key.Key_Return, what="take the suggested title (Enter)")
    if old_form:
        next_part(kb, form, form.facts)
    go(kb, form.facts)  # Enter on the title went there
    type_parts(kb, form, form.facts, data.facts, lines=False)
    kb.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, what="out of the facts (Ctrl+Enter)")
    go(kb, form.requests)
    type_parts(kb, form, form.requests, data.requests, lines=True)

    # ---- save, and wait until the form is ready for the next visitor
    done: list[Any] = []
    form.registered.connect(done.append)
    started = time.perf_counter()
    kb.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, what="save (Ctrl+S)")

    def ready() -> bool:
        focus = QApplication.focusWidget()
        return (bool(done) and focus is not None and form.isAncestorOf(focus)
                and not form.title.text() and not box.documents)

    wait_until(ready, "the save", detail=form.message_label.text)
    elapsed = time.perf_counter() - started
    form.registered.disconnect(done.append)
    return elapsed


def kind_text(kind: Any) -> str:
    from mediation_desk.ui.common.i18n import enum_text

    return enum_text(kind)


def kind_text_of_identity() -> str:
    from mediation_desk.models import AttachmentKind
    from mediation_desk.ui.scanning.models import kind_text as text

    return text(AttachmentKind.IDENTITY)


def check_saved(db: Any, actor: Any, case_id: int, data: Visit) -> None:
    """The case is what was typed and what the card says (a figure for a wrong registration
    would mean nothing)."""
    from sqlalchemy import select

    from mediation_desk.models import Attachment, AttachmentKind, Gender, Party, PartyKind
    from mediation_desk.services import cases

    with db.read() as session:
        detail = cases.case_detail(session, actor, case_id)
        parties = list(session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq)))
        attached = list(session.scalars(select(Attachment).where(Attachment.case_id == case_id)))
    problems = []
    if (detail.title, detail.dispute_type, detail.facts) != (data.title, data.dispute_type, data.facts_text):
        problems.append(f"case {(detail.title, detail.dispute_type, detail.facts)}")
    if tuple(detail.requests) != data.requests_text:
        problems.append(f"requests {detail.requests}")
    truth = card_truth(data.card)
    wanted = [(PartyKind.PERSON, truth["name"], truth["id_number"], data.phone),
              (PartyKind.PERSON, *data.applicant),
              (PartyKind.LEGAL_PERSON, data.company[0], "", data.company[2])]
    got = [(p.kind, p.name, p.id_number, p.phone) for p in parties]
    if got != wanted:
        problems.append(f"parties {got}")
    if parties:
        card = parties[0]
        from_card = (card.gender, card.ethnicity, f"{card.birth_date}", card.address)
        expected = (Gender.MALE if truth["sex"] == "男" else Gender.FEMALE, truth["ethnicity"], truth["birth_date"],
                    truth["address"])
        if from_card != expected:
            problems.append(f"card fields {from_card} != {expected}")
        if parties[-1].credit_code != data.company[1]:
            problems.append(f"credit code {parties[-1].credit_code}")
    if len(attached) != 1 or attached[0].party_id != parties[0].id or attached[0].kind is not AttachmentKind.IDENTITY:
        problems.append(f"documents {[(a.kind, a.party_id) for a in attached]}")
    if problems:
        raise RuntimeError("the saved case differs from what was typed: " + "; ".join(problems))


# --------------------------------------------------------------------------- set-up


#: Where SANE's ``pnm`` device (a scanner that scans an image file, made for testing front-ends)
#: reads its page: the card on the glass, for the bench.
PNM_PAGE = Path("/tmp/input.ppm")


def sane_card_scanner(folder: Path) -> bool:
    """SANE with only its ``pnm`` backend: Ctrl+B scans, through the desk's real SANE path, the
    card the bench puts on its glass (:func:`write_scanner_page`)."""
    if importlib.util.find_spec("sane") is None:
        return False
    if not any(Path(d).glob("libsane-pnm.so*") for d in ("/usr/lib/x86_64-linux-gnu/sane", "/usr/lib/sane",
                                                          "/usr/local/lib/sane")):
        return False
    folder.mkdir()
    (folder / "dll.conf").write_text("pnm\n", encoding="ascii")
    os.environ["SANE_CONFIG_DIR"] = str(folder)
    return True


def card_image(card: Any) -> bytes:
    from tests.idcard_gen import render

    return render(card, "front")


def write_scanner_page(card: Any) -> None:
    import io

    from PIL import Image

    Image.open(io.BytesIO(card_image(card))).convert("RGB").save(PNM_PAGE, "PPM")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-scanner", action="store_true", help="import the ID card from a file instead")
    parser.add_argument("--screenshot", type=Path, help="a PNG of the form after the last save")
    parser.add_argument("--verbose", action="store_true", help="count the Tabs by the field they went to")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="counter-bench-"))
    os.environ["MEDIATION_DESK_HOME"] = str(folder / "home")
    scanner = not args.no_scanner and sane_card_scanner(folder / "sane.d")

    from argon2 import PasswordHasher
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from mediation_desk import demo
    from mediation_desk.db import Database, upgrade
    from mediation_desk.services import auth
    from mediation_desk.ui.common import i18n
    from mediation_desk.ui.common.tasks import TaskRunner
    from mediation_desk.ui.intake.form import IntakeForm

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    i18n.register_fonts(app)
    translators = i18n.install_translators(app, "zh_CN")
    if not translators:
        print("warning: the Chinese catalogue is not built (tools/build_translations.py): English lists")

    db = Database(f"sqlite:///{folder / 'counter.sqlite3'}")
    upgrade(db)
    previous = auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with db.write() as session:
        demo.seed(session, 300)
    actor = auth.login(db, "clerk", demo.DEMO_PASSWORD)
    auth.use_hasher(previous)

    runner = TaskRunner(db)
    runner.actor = actor
    form = IntakeForm(runner, actor)
    form.resize(SCREEN[0], SCREEN[1] - 60)  # the main window's section, under its bars
    form.show()
    form.activateWindow()
    wait_until(lambda: form.dispute_type.count() > 1, "the dispute types")
    form.focus_first_field()
    card = folder / "身份证.jpg"

    kb = Keyboard(app, form)
    kb.verbose = args.verbose
    rounds: list[tuple[Tally, float, float]] = []
    for round_no in range(args.rounds):
        kb.tally = Tally()
        data = visit(round_no)
        started = time.perf_counter()
        ready = register(kb, form, data, scanner=scanner, card_file=card)
        total = time.perf_counter() - started
        assert form.last_registered is not None
        check_saved(db, actor, form.last_registered.case_id, data)
        rounds.append((kb.tally, total, ready))
        if args.screenshot is not None and round_no == args.rounds - 1:
            QTest.qWait(50)  # the layout of the emptied form, as the next visitor sees it
            form.grab().save(str(args.screenshot))

    first = rounds[0][0]
    later = [t for t, _total, _ready in rounds[1:]] or [first]
    how = "scanned on SANE pnm:0" if scanner else "imported from a file"
    print(f"standard registration: 2 applicants (ID number, phone), 1 company respondent (name, credit code, "
          f"phone), type, title, facts, 2 requests, 1 ID card ({how})")
    print(f"rounds:                   {len(rounds)} in a row on one form (demo center, SQLite)")
    print(f"keystrokes, 1st round:    {first.keystrokes}  (form {first.form_keys} + content {first.content_keys}); "
          f"clicks {first.clicks}")
    med_form = statistics.median(t.form_keys for t in later)
    med_content = statistics.median(t.content_keys for t in later)
    print(f"keystrokes, next rounds:  {med_form + med_content:.0f}  (form {med_form:.0f} + content {med_content:.0f}); "
          f"clicks {statistics.median(t.clicks for t in later):.0f}   (median)")
    print("form keys by purpose (next rounds, median):")
    purposes = list(dict.fromkeys(p for t in later for p in t.spent))
    for purpose in purposes:
        print(f"  {purpose:<40} {statistics.median(t.spent.get(purpose, 0) for t in later):>4.0f}")
    totals = [total * 1000 for _t, total, _r in rounds]
    readies = [ready * 1000 for _t, _total, ready in rounds]
    print(f"wall time per registration: median {statistics.median(totals):.0f} ms (max {max(totals):.0f} ms; "
          f"the machine's time, no typing speed)")
    print(f"card fields the reader got wrong (corrected, keys counted): {len(kb.corrected)} "
          f"{sorted(set(kb.corrected))} in {len(rounds)} card(s) of 6 fields")
    print(f"save → ready for the next:  median {statistics.median(readies):.0f} ms, max {max(readies):.0f} ms "
          f"(budget ≤ {READY_BUDGET_MS:.0f} ms)")
    runner.shutdown()
    form.close()
    shutil.rmtree(folder, ignore_errors=True)
    if scanner:
        PNM_PAGE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
