"""The composition checker: reads printed PDFs back and checks what a clerk and a court's filing
officer check, page by page, on the text as printed (not on what the code meant to print).

* :func:`page_lines` — each page's text lines with their positions, from pypdf's text layer: a
  table row's cells side by side are separate lines (split where the gap between two pieces of
  text is wider than a character).
* :func:`check_pdf` — the rules, as :class:`Finding` items:
  ``signature-only`` a page holding nothing but a signature, seal or date block;
  ``line-start`` / ``line-end`` a line starting with closing punctuation or ending with opening
  punctuation (禁则); ``label-broken`` a form's label broken over two lines;
  ``placeholder`` placeholder text printed as if it were content;
  ``number-broken`` a case number broken over two lines (:func:`broken_numbers`, with the
  numbers to look for);
  ``date-order`` dates on one document contradicting each other (registered ≤ accepted ≤ the
  seal's date; the dossier's 立卷日期 not before a document bound in it).
* :func:`case_documents` — every document kind of one case as (kind, label, pdf): the
  ``mediation-desk doc`` kinds, the dossier, the transfer letter and court summary, the
  statement of undisputed facts and the return-visit records.

Run as a module for a sweep with counts per rule (``python -m tests.composition DB.sqlite3``).
"""

from __future__ import annotations

import io
import itertools
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation_desk.documents import fonts

#: 禁则, stated here independently of the code under test: closing punctuation never starts a
#: line, opening punctuation never ends one.
NO_LINE_START = "，。、；：？！）》」』”’〕】〗〉…％‰"
NO_LINE_END = "（《「『“‘〔【〖〈"

#: The PostScript names our fonts are embedded under, and the registered name of each.
_EMBEDDED = {
    "NotoSansCJKsc-Regular": fonts.FONT_NAME,
    "NotoSerifCJKsc-Regular": fonts.SERIF_NAME,
    "MediationDeskRareHan-Regular": fonts.FALLBACK_NAME,
}


# --------------------------------------------------------------------------- extraction


@dataclass
class Line:
    """One line of text as printed: where it starts and ends, its baseline, its size."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


@dataclass
class _Piece:
    text: str
    x0: float
    x1: float
    y: float
    size: float


def _advance(text: str, font: str | None, size: float) -> float:
    if font is not None:
        try:
            return float(stringWidth(text, font, size))
        except KeyError:
            pass
    return sum(size if ord(char) >= 0x2E80 else size * 0.5 for char in text)


def page_lines(pdf: bytes) -> list[list[Line]]:
    """Every page's lines, top to bottom, left to right."""
    fonts.register_fonts()
    fonts.register_serif()
    pages: list[list[Line]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces: list[_Piece] = []
        visit = _collector(pieces)
        page.extract_text(visitor_text=visit)
        pages.append(_lines(pieces))
    return pages


def _collector(pieces: list[_Piece]) -> Any:
    """A pypdf text visitor that appends each drawn run, placed, to ``pieces``."""

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: dict[str, Any] | None,
              size: float) -> None:
        if not text.strip("\n"):
            return
        base_font = str((font or {}).get("/BaseFont", "")).lstrip("/").partition("+")[2]
        scale = (tm[0] * cm[0] + tm[1] * cm[2]) if tm and cm else 1.0
        size_pt = abs(float(size) * (scale or 1.0))
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        registered = _EMBEDDED.get(base_font)
        # pypdf hands over a run that crossed a line break with the break inside it.
        for index, part in enumerate(text.split("\n")):
            if not part:
                continue
            if index:  # cannot place it; keep it as a line of its own below
                y -= size_pt * 1.2
            pieces.append(_Piece(part, x, x + _advance(part, registered, size_pt), y, size_pt))

    return visit


def _lines(pieces: list[_Piece]) -> list[Line]:
    rows: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: (-round(p.y, 1), p.x0)):
        if rows and abs(rows[-1][0].y - piece.y) <= max(1.0, piece.size * 0.2):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda p: p.x0)
        current: Line | None = None
        for piece in row:
            gap_limit = max(piece.size * 0.5, 3.0)  # table cells are 8 pt of padding apart
            if current is not None and piece.x0 - current.x1 <= gap_limit:
                # Spaces pypdf writes at a gap are part of the text as printed.
                current.text += piece.text
                current.x1 = max(current.x1, piece.x1)
                continue
            if current is not None:
                lines.append(current)
            current = Line(piece.text, piece.x0, piece.x1, piece.y, piece.size)
        if current is not None:
            lines.append(current)
    for line in lines:
        line.text = line.text.strip()
    return [line for line in lines if line.text]


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Finding:
    rule: str
    page: int
    text: str

    def __str__(self) -> str:
        return f"{self.rule} p.{self.page}: {self.text}"


_FOOTER = re.compile(r"^第\s*\d+\s*页\s*共\s*\d+\s*页$")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DATE_RE = re.compile(_DATE)
#: A date line of a signature or a seal: a date, or the blank "年 月 日" to write one in.
_DATE_LINE = re.compile(r"^(签收日期[：:])?\s*(\d{4}|[\s\u3000]*)\s*年[\s\u3000\d]*月[\s\u3000\d]*日$")
_SIGN_WORDS = ("签名", "盖章", "印章", "指印", "签字", "签收")
#: The labels of a signature block: who signs.
_SIGNERS = ("人民调解员", "调解员", "记录人", "登记人", "调查人", "被调查人", "回访人", "说明人", "当事人", "申请人",
            "被申请人", "第三人", "参加人", "法定代表人", "委托代理人", "立卷人", "检查人", "承办调解员")


#: The hints printed in the boxes and under the rules where people sign and seal.
SIGN_HINTS = ("法定代表人（负责人）或委托代理人签名", "（单位盖章、代表人签名）", "（签名并按指印）", "（按指印）",
              "（单位盖章）", "指印或盖章",
              "签名、指印或盖章", "当事人确认（签名或按指印）", "当事人签名（盖章或按指印）", "登记人（签名）",
              "人民调解员（签名）", "记录人（签名）")


def _compact(text: str) -> str:
    return "".join(text.split())


def signer_phrases(parties: Sequence[Any], issuer: Any = None) -> tuple[str, ...]:
    """What a signature block prints of the people who sign in it, whole: each party with its
    role, a minor's guardian line in each form the forms print it, an organisation's
    representative, the committee and the center under their seals. A line of a signature block
    is a piece of one of these (a long name breaks over the lines of its box)."""
    phrases: list[str] = list(SIGN_HINTS)
    for party in parties:
        role = getattr(getattr(party, "role", None), "label", "")
        name = _compact(party.name)
        phrases += [name, f"{role}：{name}"]
        agent = _compact(getattr(party, "agent_name", ""))
        if agent:
            phrases += [f"{name}的法定代理人：{agent}", f"{name}的法定代理人{agent}（签名）", f"委托代理人：{agent}"]
        representative = _compact(getattr(party, "legal_representative", ""))
        if representative:
            phrases.append(f"法定代表人：{representative}")
    if issuer is not None:
        for name in (issuer.committee, issuer.center_name):
            phrases += [f"{_compact(name)}（盖章）"]
    return tuple(phrase for phrase in phrases if phrase)


def is_signature_line(text: str, signers: Sequence[str] = ()) -> bool:
    """Whether a line belongs to a signature, seal or date block (and says nothing else).
    ``signers`` are :func:`signer_phrases`: a line that is a piece of one is a signature line."""
    compact = _compact(text)
    if not compact:
        return True
    if len(compact) >= 1 and any(compact in phrase for phrase in signers):
        return True
    if "。" in compact or "，" in compact or "；" in compact:
        return False  # a sentence, even one that speaks of signing
    if any(word in compact for word in _SIGN_WORDS) and len(compact) <= 40:
        return True
    if _DATE_LINE.match(text.strip()):
        return True
    if compact in ("此致", "（按指印）", "（单位盖章）"):
        return True
    label = compact.split("：", 1)[0]
    if label in _SIGNERS and len(compact) <= 40:
        return True
    if compact.endswith(("委员会", "调解中心", "服务中心")) and len(compact) <= 40:
        return True  # the committee's name above its seal
    # People's names printed small under the line or in the box they sign in.
    name = r"[^\s，。；：、（）()0-9]{1,6}"
    return re.fullmatch(f"{name}(、{name})*", compact) is not None


def _body(lines: list[Line]) -> list[Line]:
    return [line for line in lines if not _FOOTER.match(line.text)]


#: The set sentences printed with a signature block, which authenticate nothing on their own:
#: a page with only these and the block has lost the text it signs.
#: They are matched on the page's text with each paragraph on a line of its own (see
#: :func:`signature_only_pages`): the committee's name before "已将" starts a paragraph.
FORMULAS = tuple(re.compile(pattern) for pattern in (
    r"(?m)^[^\n。]*委员会已将人民调解的性质[^。]*。", r"我（们）自愿申请[^。]*。",
    r"以上(记录|事实|告知内容)[^。]*。", r"本协议一式[^。]*。", r"本协议经各方当事人签名[^。]*。",
    r"调解协议具有法律约束力[^。]*。", r"双方当事人可以自本协议生效之日起[^。]*。",
    r"在后续诉讼中[^。]*。", r"当事人为达成调解协议作出妥协[^。]*。", r"此致", r"(?m)[^\n。，]{2,30}人民法院$",
    r"当事人签收", r"口头调解协议自各方当事人达成协议之日起生效[^。]*。", r"备注",
))


def signature_only_pages(pages: list[list[Line]], signers: Sequence[str] = ()) -> list[Finding]:
    """Pages whose text is nothing but signature, seal and date lines (rows of a signature grid
    included: the lines of :func:`signer_phrases`) and the set sentences that go with them
    (:data:`FORMULAS`)."""
    found = []
    for number, lines in enumerate(pages, start=1):
        body = _body(lines)
        if not body:
            continue
        if not any(any(word in line.text for word in _SIGN_WORDS) or _DATE_LINE.match(line.text) for line in body):
            continue
        text = [line for line in body if not is_signature_line(line.text, signers)]
        # A paragraph's lines joined, each paragraph on a line of its own (its first line is
        # indented), so a set sentence is found whole and does not reach into the text above.
        left = min((line.x0 for line in text), default=0.0)
        rest = "".join(("\n" if line.x0 - left > line.size * 1.5 else "") + _compact(line.text) for line in text)
        for formula in FORMULAS:
            rest = formula.sub("", rest)
        if not rest.strip():
            found.append(Finding("signature-only", number, " | ".join(line.text for line in body)[:200]))
    return found


def kinsoku(pages: list[list[Line]]) -> list[Finding]:
    found = []
    for number, lines in enumerate(pages, start=1):
        for line in _body(lines):
            text = line.text
            if text[0] in NO_LINE_START:
                found.append(Finding("line-start", number, text[:60]))
            if text[-1] in NO_LINE_END:
                found.append(Finding("line-end", number, text[-60:]))
    return found


#: Labels of the forms, which must print on one line.
LABELS = ("职业或职务", "单位或住址", "法定代表人", "被申请人", "申请人", "联系方式", "单位地址", "纠纷简要情况",
          "协议达成日期", "登记日期", "纠纷类型", "纠纷来源", "纠纷事项", "申请事项", "受理情况", "登记人（签名）",
          "（签名、盖章或按指印）", "（签名或按指印）", "人民调解员", "调解终结日期", "承办调解员", "移送去向",
          "送达地址", "联系电话", "确认签名", "材料名称", "文书名称")


def broken_labels(pages: list[list[Line]]) -> list[Finding]:
    """A label whose characters are split between a line and the line just below it, in the
    same column."""
    found = []
    for number, lines in enumerate(pages, start=1):
        body = _body(lines)
        for upper in body:
            for lower in body:
                below = 0 < upper.y - lower.y <= upper.size * 2.2
                same_column = (abs(upper.x0 - lower.x0) <= upper.size * 1.5
                               or abs((upper.x0 + upper.x1) - (lower.x0 + lower.x1)) <= upper.size)
                if not (below and same_column):
                    continue
                a, b = _compact(upper.text), _compact(lower.text)
                if len(a) > 12 or len(b) > 12:
                    continue  # running text, not a label cell
                for label in LABELS:
                    for cut in range(1, len(label)):
                        if a.endswith(label[:cut]) and b.startswith(label[cut:]) and label not in a and label not in b:
                            found.append(Finding("label-broken", number, f"{a[-12:]} / {b[:12]}"))
    return found


#: Text that is a placeholder, not content: (name, pattern).
PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("未约定", re.compile(r"（未约定）")),
    ("或《…》", re.compile(r"（或《[^》]*》）")),
    ("None", re.compile(r"\bNone\b")),
    ("braces", re.compile(r"[{}]")),
    ("XXX", re.compile(r"XXX|ＸＸＸ|某某某")),
    ("empty-value", re.compile(r"[：:][，。；、）]")),
    ("nan", re.compile(r"\bnan\b|\bnull\b")),
)


def placeholders(pages: list[list[Line]], names: Sequence[str] | None = None) -> list[Finding]:
    found = []
    for number, lines in enumerate(pages, start=1):
        text = "\n".join(line.text for line in _body(lines))
        for name, pattern in PLACEHOLDERS:
            if names is not None and name not in names:
                continue
            for match in pattern.finditer(text):
                start = max(match.start() - 15, 0)
                found.append(Finding(f"placeholder:{name}", number, text[start:match.end() + 15].replace("\n", "⏎")))
    return found


def _day(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _first(pattern: str, text: str) -> date | None:
    match = re.search(pattern, text)
    return _day(match) if match else None


def date_order(pages: list[list[Line]], kind: str) -> list[Finding]:
    """Dates on one document that contradict each other."""
    lines = [line for page in pages for line in _body(page)]
    text = _compact("\n".join(line.text for line in lines))
    found = []
    date_c = _DATE.replace(r"\s*", "")
    registered = _first(r"登记日期[：:]?" + date_c, text) or _first("于" + date_c + "(?:登记|向本中心申请调解)", text)
    accepted = _first("于" + date_c + "受理", text) or _first(r"受理日期[：:]?" + date_c, text)
    if registered and accepted and accepted < registered:
        found.append(Finding("date-order:accepted-before-registered", 0, f"受理 {accepted} 早于登记 {registered}"))
    # The dates a document is signed or sealed on: a line of only a date just below a seal's or
    # a signature's line (a date in a table cell, 登记日期, is not one).
    sealed: list[date] = []
    for page in pages:
        body = _body(page)
        for line in body:
            match = _DATE_RE.search(line.text) if _DATE_LINE.match(line.text) else None
            day = _day(match) if match else None
            if day is None:
                continue
            above = [other for other in body if 0 < other.y - line.y <= line.size * 6]
            if any(word in other.text for other in above for word in ("盖章", "签名", "签收", "按指印")) \
                    or line.text.startswith("签收日期"):
                sealed.append(day)
    if kind != "dossier":
        for day in sealed:
            for name, event in (("登记", registered), ("受理", accepted)):
                if event is not None and day < event and kind not in ("receipt", "application"):
                    found.append(Finding("date-order:sealed-before-event", 0, f"落款 {day} 早于{name} {event}"))
    else:
        filed = _first(r"立卷日期[：:]?" + date_c, text)
        if filed is not None:
            later = sorted({day for day in sealed if day > filed})
            if later:
                found.append(Finding("date-order:filed-before-bound", 0,
                                     f"立卷日期 {filed} 早于卷内文书的落款 {later[-1]}"))
    return found


def broken_names(pages: list[list[Line]], names: Sequence[str]) -> list[Finding]:
    """A party's name broken over two lines of the dossier cover's 卷名 (a title names people
    whole)."""
    if not pages:
        return []
    lines = _body(pages[0])
    start = next((i for i, line in enumerate(lines) if _compact(line.text).startswith("卷名")), None)
    if start is None:
        return []
    end = next((i for i, line in enumerate(lines) if _compact(line.text).startswith("卷号")), len(lines))
    title = [_compact(line.text) for line in lines[start:end]]
    title[0] = title[0].removeprefix("卷名").lstrip("：:")
    title = [text for text in title if text]
    found = []
    for upper, lower in itertools.pairwise(title):
        for name in names:
            for cut in range(1, len(name)):
                if upper.endswith(name[:cut]) and lower.startswith(name[cut:]):
                    found.append(Finding("name-broken", 1, f"{upper[-10:]} / {lower[:10]}（{name}）"))
    return found


#: A case number as printed, stated here independently of the code under test.
CASE_NUMBER = re.compile(r"（\d{4}）[^\s（）、，。；：]+?字第\d+号")


#: Numbers every document must print whole: a county's with a 4-, 5- and 6-digit seq (its
#: 10,000th and 832,083rd case of a year) and a township's (its own prefix, docs/centers.md).
SAMPLE_NUMBERS = ("（2026）甘矛调字第0007号", "（2026）甘矛调字第12345号", "（2026）甘矛调字第832083号",
                  "（2026）甘州梁家墩调字第0001号", "（2026）甘州梁家墩调字第832083号")
SAMPLE_IDS = ("county-4", "county-5", "county-6", "township-4", "township-6")


def number_count(pages: list[list[Line]], number: str) -> int:
    """How many times ``number`` prints whole on a line."""
    return sum(_compact(line.text).count(number) for lines in pages for line in _body(lines))


def number_lines(pages: list[list[Line]], number: str) -> list[Line]:
    """The lines that print ``number`` whole."""
    return [line for lines in pages for line in _body(lines) if number in _compact(line.text)]


def _inner(text: str) -> bool:
    """Whether a line could be a middle piece of a number (not a figure of a chart or a cell)."""
    return len(text) >= 2 and not text.isascii()


def broken_numbers(pages: list[list[Line]], numbers: Sequence[str]) -> list[Finding]:
    """A case number broken over a line and the line just below it (in the same cell or column:
    their extents overlap), the text of each piece as ``upper / lower``. A number wider than its
    cell may break after its year's ） (``（2026） / 甘州…``); the caller judges which cuts are
    allowed (``Finding.text`` shows the cut)."""
    found = []
    for page_number, lines in enumerate(pages, start=1):
        body = _body(lines)
        for upper in body:
            a = _compact(upper.text)
            for lower in body:
                if not 0 < upper.y - lower.y <= upper.size * 2.2:
                    continue
                if lower.x0 > upper.x1 or upper.x0 > lower.x1:
                    continue
                b = _compact(lower.text)
                for number in numbers:
                    for cut in range(1, len(number)):
                        # Each line ends or starts the number, or lies wholly inside it (a
                        # number broken over three lines).
                        head = a.endswith(number[:cut]) or (_inner(a) and number[:cut].endswith(a))
                        tail = b.startswith(number[cut:]) or (_inner(b) and number[cut:].startswith(b))
                        if head and tail:
                            found.append(Finding("number-broken", page_number, f"{number[:cut]} / {number[cut:]}"))
    return found


RULES = ("signature-only", "line-start", "line-end", "label-broken", "placeholder", "date-order", "name-broken")


def check_pdf(pdf: bytes, kind: str, names: Sequence[str] = (), signers: Sequence[str] = ()) -> list[Finding]:
    pages = page_lines(pdf)
    found = [*signature_only_pages(pages, signers), *kinsoku(pages), *broken_labels(pages), *placeholders(pages),
             *date_order(pages, kind)]
    if kind == "dossier":
        found += broken_names(pages, [name for name in names if len(name) > 1])
    return found


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    case_number: str
    state: str
    kind: str
    label: str
    pdf: bytes
    names: tuple[str, ...] = ()
    #: :func:`signer_phrases` of the case.
    signers: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.case_number} [{self.state}] {self.label}"


def case_documents(session: Session, actor: Any, case_id: int, *, today: date,
                   dossier_too: bool = True, kinds: frozenset[str] | None = None) -> Iterator[Document]:
    """Every document of one case, as each desk or command prints it."""
    from mediation_desk.documents import records as record_docs
    from mediation_desk.documents import transfer as transfer_docs
    from mediation_desk.exchange import letters
    from mediation_desk.models import ReturnVisit, TransferTarget
    from mediation_desk.services import agreements, cases, dossier, termination
    from mediation_desk.services.errors import ServiceError

    detail = cases.case_detail(session, actor, case_id)
    state = detail.state.value
    the = dossier.issuer(session)

    def doc(kind: str, label: str, pdf: bytes) -> Document:
        return Document(detail.number, state, kind, label, pdf, tuple(p.name for p in detail.parties),
                        signer_phrases(detail.parties, the))

    for kind in dossier.DOCUMENT_KINDS:
        if kind == "dossier" or (kinds is not None and kind not in kinds):
            continue
        try:
            pdf = dossier.render_document(session, actor, case_id, kind)
        except ServiceError:
            continue  # not applicable to this case (yet)
        yield doc(kind, kind, pdf)
    facts = termination.undisputed_facts_of(session, case_id)
    if facts is not None:
        data = transfer_docs.UndisputedFactsData(facts.id, facts.facts, facts.disputed, facts.signed,
                                                 facts.signed_on)
        yield doc("undisputed-facts", "undisputed-facts",
                  transfer_docs.render_undisputed_facts(detail, the, data, mediators=detail.lead_mediator))
    signed = [a for a in agreements.agreements_of(session, case_id) if a.signed]
    for visit in session.scalars(select(ReturnVisit).where(ReturnVisit.case_id == case_id)):
        visit_data = record_docs.ReturnVisitData(
            id=visit.id, visited_on=visit.visited_on, visitor=visit.visitor, parties_visited=visit.parties_visited,
            performance=visit.performance.label if visit.performance else "",
            satisfaction=visit.satisfaction.label if visit.satisfaction else "", notes=visit.notes)
        yield doc("return-visit", f"return-visit:{visit.id}",
                  record_docs.render_return_visit(detail, the, visit_data, signed))
    try:
        # Claims written as claims, as the transfer tab and --claim require (a request reads
        # "请求依法调解…", which no court dockets and the service refuses).
        claims = ["判令被申请人赔偿申请人的损失", "判令被申请人承担本案诉讼费用"]
        found = letters.gather(session, actor, case_id, TransferTarget.COURT, the.court_name or "甘州区人民法院",
                               claims, today=today)
    except ServiceError:
        found = None
    if found is not None:
        yield doc("transfer-letter", "transfer-letter",
                  transfer_docs.render_transfer_letter(found.detail, found.issuer, found.data))
        yield doc("transfer-summary", "transfer-summary",
                  transfer_docs.render_case_summary(found.detail, found.issuer, found.data))
    if dossier_too:
        # A closed case's file is dated as the app dates it (never before the newest paper bound
        # in it); an open one's on the injected day, not the real one.
        filed_on = None if detail.closed_at is not None else today
        yield doc("dossier", "dossier", dossier.build_dossier(session, actor, case_id, filed_on=filed_on))


def case_ids_by_state(session: Session) -> dict[str, list[int]]:
    from mediation_desk.models import DisputeCase

    found: dict[str, list[int]] = {}
    for case_id, state in session.execute(select(DisputeCase.id, DisputeCase.state).order_by(DisputeCase.id)):
        found.setdefault(state.value, []).append(case_id)
    return found


def sweep(session: Session, actor: Any, case_ids: Sequence[int], *, today: date,
          dossier_too: bool = True) -> Iterator[tuple[Document, list[Finding]]]:
    for case_id in case_ids:
        for document in case_documents(session, actor, case_id, today=today, dossier_too=dossier_too):
            yield document, check_pdf(document.pdf, document.kind, document.names, document.signers)


@dataclass(frozen=True)
class Checked:
    """One document's result, without its bytes (what a worker process sends back)."""

    label: str
    kind: str
    pages: int
    findings: tuple[Finding, ...]
    #: How many parties the case has.
    parties: int = 0


def _check_cases(url: str, case_ids: Sequence[int], today: date, dossier_too: bool) -> list[Checked]:
    from mediation_desk.db import Database
    from mediation_desk.services.actor import Actor

    db = Database(url)
    try:
        with db.read() as session:
            return [Checked(str(document), document.kind, len(PdfReader(io.BytesIO(document.pdf)).pages),
                            tuple(findings), len(document.names))
                    for document, findings in sweep(session, Actor.system("composition"), case_ids, today=today,
                                                    dossier_too=dossier_too)]
    finally:
        db.dispose()


def sweep_pool(url: str, case_ids: Sequence[int], *, today: date, dossier_too: bool = True,
               workers: int = 2) -> list[Checked]:
    """:func:`sweep` over ``case_ids`` in ``workers`` processes (rendering is CPU-bound and
    reportlab renders one document at a time per process)."""
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(case_ids[index::workers]) for index in range(workers) if case_ids[index::workers]]
    if workers <= 1 or len(chunks) <= 1:
        return _check_cases(url, case_ids, today, dossier_too)
    with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
        results = pool.map(_check_cases, [url] * len(chunks), chunks, [today] * len(chunks),
                           [dossier_too] * len(chunks))
        return [checked for result in results for checked in result]


def main(argv: Sequence[str]) -> int:  # pragma: no cover - a tool for people
    from mediation_desk.db import Database

    db = Database(f"sqlite:///{argv[0]}")
    today = date.fromisoformat(argv[1]) if len(argv) > 1 else date(2026, 11, 20)
    per_rule: Counter[str] = Counter()
    per_kind: Counter[tuple[str, str]] = Counter()
    pdfs: Counter[str] = Counter()
    pages = 0
    with db.read() as session:
        ids = [i for ids in case_ids_by_state(session).values() for i in ids]
    db.dispose()
    for checked in sweep_pool(f"sqlite:///{argv[0]}", ids, today=today, dossier_too="--dossier" in argv):
        pdfs[checked.kind] += 1
        pages += checked.pages
        for finding in checked.findings:
            rule = finding.rule.split(":")[0]
            per_rule[finding.rule] += 1
            per_kind[(checked.kind, rule)] += 1
            if "-v" in argv:
                print(checked.label, finding)
    print(f"{sum(pdfs.values())} PDFs, {pages} pages: {dict(pdfs)}")
    for rule, count in sorted(per_rule.items()):
        print(f"  {rule}: {count}")
    for (kind, rule), count in sorted(per_kind.items()):
        print(f"    {kind} {rule}: {count}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
