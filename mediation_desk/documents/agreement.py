"""人民调解协议书 and 人民调解口头协议登记表.

The agreement carries what 人民调解法 art. 29 requires: the parties' basic details; the main facts,
the matters in dispute and each side's responsibility; the content of the agreed obligations and
the manner, place and time limit of performing them; the number of copies; the signatures, seals
or fingerprints of the parties, the mediator's signature and the committee's seal. Every party
gets a box to sign, a box for a fingerprint and, for an organisation, room for its seal.

An oral agreement (art. 30) is registered by the mediator on a table form and takes effect when
it is reached.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ..models.enums import PartyKind
from ..readmodels.center import Issuer
from . import base, layout
from .forms import (
    MAX_NAME_CHARS,
    NBSP,
    FormInfo,
    FormStyles,
    all_parties,
    at_midnight,
    cell,
    cn_count,
    cn_date,
    describe_party,
    form_styles,
    guardian_line,
    label_cell,
    number_line,
    numbered,
    ordered_parties,
    paragraphs,
    party_chunks,
    plain_table,
    render_form,
    ruled_table,
    seal_block,
    section,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.agreements import AgreementInfo, TermView
    from ..readmodels.cases import CaseDetail, PartyView

AGREEMENT_TITLE = "人民调解协议书"
ORAL_AGREEMENT_TITLE = "人民调解口头协议登记表"

_W = base.A4_PORTRAIT.frame_width
_GREY = colors.HexColor("#808080")


#: Verbs of handing something over to someone: "X向Y支付…". Any other obligation (清除、修建、
#: 停止 …) is done, not given, so "X向Y清除…" would not be Chinese; the obligee is then named after it.
_TOWARDS_VERBS = ("支付", "给付", "返还", "退还", "退回", "交付", "偿还", "归还", "交还", "赔偿", "补偿", "赔付",
                  "赔礼道歉", "道歉", "出具", "提供", "移交", "转交", "交纳", "转让", "过户", "退", "付")
#: What a draft prints where a place or method is still to be agreed: a line to write it on.
FILL_IN = "＿" * 8


def term_text(term: TermView) -> str:
    """An agreed obligation as one sentence: who owes whom what, and how much."""
    who = base.clip(term.obligor.strip(), MAX_NAME_CHARS) or "（义务人）"
    obligee = base.clip(term.obligee.strip(), MAX_NAME_CHARS)
    content = term.content.strip().rstrip("。；;.")
    amount = f"，金额为{term.amount_text}" if term.amount_text else ""
    if not obligee or content.startswith(("向", "对", "为", "给")):
        return f"{who}{content}{amount}。"
    if content.startswith(_TOWARDS_VERBS):
        return f"{who}向{obligee}{content}{amount}。"
    return f"{who}{content}{amount}（权利人：{obligee}）。"


def performance_text(term: TermView) -> str:
    """How, where and by when the term is performed (art. 29: 履行协议的方式、地点、期限).

    Signing needs the place and the method (``services.agreements.sign``); a draft leaves a line
    to write them on, never a "not agreed" an agreement could be signed with."""
    parts = [f"履行期限：{cn_date(term.due_on)}前"]
    parts.append(f"履行地点：{term.place.strip() or FILL_IN}")
    parts.append(f"履行方式：{term.method.strip() or FILL_IN}")
    return f"第{term.seq}项：{'；'.join(parts)}。"


def copies_text(agreement: AgreementInfo, parties: int, committee: str) -> str:
    """"本协议一式三份，双方当事人各执一份，…留存一份。": every party one copy, the committee the rest."""
    kept = max(agreement.copies - parties, 1)
    copies = max(agreement.copies, parties + 1)
    return (f"本协议一式{cn_count(copies)}份，{all_parties(parties)}各执一份，"
            f"{committee}留存{cn_count(kept)}份。")


def agreement_date(agreement: AgreementInfo) -> date | None:
    return agreement.signed_on


def _facts_sections(agreement: AgreementInfo, styles: FormStyles, parties: int = 2) -> list[Flowable]:
    sub = ParagraphStyle("agreement_sub", parent=styles.line)
    sides = "双方" if parties == 2 else "各方"
    return [
        section(f"纠纷简要事实、争议事项及{sides}责任", styles),
        base.paragraph("（一）纠纷简要事实", sub),
        *paragraphs(agreement.facts, styles.body, empty="（未填写）"),
        base.paragraph("（二）争议事项", sub),
        *paragraphs(agreement.disputed_matters, styles.body, empty="（未填写）"),
        base.paragraph(f"（三）{sides}责任", sub),
        *paragraphs(agreement.responsibilities, styles.body, empty="（未填写）"),
    ]


def _sign_box_style(styles: FormStyles) -> ParagraphStyle:
    return ParagraphStyle("sign_box", parent=styles.small, alignment=TA_CENTER, textColor=_GREY)


#: Up to this many parties sign in a row each (name, signature, fingerprint, seal); more sign
#: in a compact grid, several to a row, so the block fits a page with the text it signs.
ROW_PER_PARTY_UP_TO = 4


def party_signature_grid(parties: list[PartyView], styles: FormStyles, on: date | None = None) -> Flowable:
    """Where every party signs, in ever denser forms (:func:`layout.signature_choices`): a row per
    party while there are few (:func:`_party_rows`), then two and three parties to a row
    (:func:`_party_slots`); the layout takes the first that fits a page with the text. The last
    form repeats for the level at which the mediators' boxes close up (:func:`officials_grid`)."""
    two, three = _party_slots(parties, styles, on, 2), _party_slots(parties, styles, on, 3)
    if len(parties) <= ROW_PER_PARTY_UP_TO:
        return layout.signature_choices(_party_rows(parties, styles, on), two, three, three)
    return layout.signature_choices(two, three, three)


def _party_rows(parties: list[PartyView], styles: FormStyles, on: date | None = None) -> Table:
    """A row per party: the printed name, a box to sign in, a box for the fingerprint, and a box
    for a seal (an organisation's, or a person's own seal if they use one). A party who is a minor
    on ``on`` is followed by a row for their guardian (法定代理人) to sign."""
    hint = _sign_box_style(styles)
    widths = [46 * mm, 46 * mm, 26 * mm, _W - 118 * mm]
    rows: list[list[Any]] = [[label_cell("当事人", styles), label_cell("签名", styles), label_cell("指印", styles),
                              label_cell("盖章", styles)]]
    heights: list[float] = [8 * mm]
    for party in parties:
        organisation = party.kind is not PartyKind.PERSON
        name = f"{party.role.label}：{base.clip(party.name, 60)}"
        if organisation:
            name += "\n法定代表人（负责人）或委托代理人签名"
        rows.append([cell(name, styles, max_chars=200, max_lines=4), "",
                     base.paragraph("（按指印）", hint),
                     base.paragraph("（单位盖章）" if organisation else "", hint)])
        # An organisation's seal is a 40–42 mm circle; a signature and a fingerprint need less
        # (and no more: the whole block must fit one page with the text it signs).
        heights.append(42 * mm if organisation else 20 * mm)
        if on is not None and party.minor_on(on):
            guardian = party.agent_name.strip() or NBSP * 8
            rows.append([cell(f"{base.clip(party.name, 60)}的\n法定代理人：{base.clip(guardian, 60)}", styles,
                              max_chars=200, max_lines=4), "", base.paragraph("（按指印）", hint), ""])
            heights.append(20 * mm)
    return ruled_table(rows, widths, heights=heights, repeat_rows=1,
                       extra=[("VALIGN", (2, 1), (-1, -1), "BOTTOM"),
                              ("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND)])


def _signers(parties: list[PartyView], on: date | None) -> list[tuple[str, bool]]:
    """Who signs, in order, as (printed name, is an organisation): each party, and after a minor
    the guardian (法定代理人)."""
    found: list[tuple[str, bool]] = []
    for party in parties:
        found.append((f"{party.role.label}：{base.clip(party.name, 60)}", party.kind is not PartyKind.PERSON))
        if on is not None and party.minor_on(on):
            guardian = party.agent_name.strip() or NBSP * 8
            found.append((f"{base.clip(party.name, 60)}的法定代理人：{base.clip(guardian, 60)}", False))
    return found


def _party_slots(parties: list[PartyView], styles: FormStyles, on: date | None, per_row: int) -> Table:
    """``per_row`` signers to a row, each with the printed name and a box to sign in: with two
    to a row, a box for the fingerprint or the organisation's seal beside it; with three, the
    fingerprint or seal goes on the signature (its hint says so). A row with an organisation is
    taller: its seal is stamped across its name and box."""
    hint = _sign_box_style(styles)
    name_style = ParagraphStyle("slot_name", parent=styles.cell, fontSize=styles.small.fontSize,
                                leading=round(styles.small.fontSize * 1.4, 1))
    slot_w = _W / per_row
    if per_row == 2:
        widths = [slot_w * 0.42, slot_w * 0.33, slot_w * 0.25]
        head = ["当事人", "签名", "指印\n或盖章"]  # broken where it reads, not mid-word
        person_h, organisation_h = 20 * mm, 28 * mm
    else:
        widths = [slot_w * 0.5, slot_w * 0.5]
        head = ["当事人", "签名"]
        person_h, organisation_h = 15 * mm, 22 * mm
    per_slot = len(widths)
    signers = _signers(parties, on)
    padding = 7.0  # a ruled cell's top and bottom padding

    def box(hint_text: str, width: float, tall: float) -> Any:
        """A box to sign in, ``tall`` high, its hint at the foot."""
        if not hint_text:
            return Spacer(0, tall - padding)
        para = base.paragraph(hint_text, hint)
        _w, used = para.wrap(width - 8, tall)
        return [Spacer(0, max(tall - padding - used, 0)), para]

    rows: list[list[Any]] = [[label_cell(text, styles) for _ in range(per_row) for text in head]]
    for start in range(0, len(signers), per_row):
        chunk = signers[start:start + per_row]
        tall = organisation_h if any(organisation for _name, organisation in chunk) else person_h
        row: list[Any] = []
        for name, organisation in chunk:
            if per_row == 2:
                row += [base.paragraph(name, name_style),
                        box("法定代表人（负责人）或委托代理人签名" if organisation else "", widths[1], tall),
                        box("（盖章）" if organisation else "（按指印）", widths[2], tall)]
            else:
                row += [base.paragraph(name, name_style),
                        box("（单位盖章、代表人签名）" if organisation else "（按指印）", widths[1], tall)]
        row += [""] * (per_slot * per_row - len(row))
        rows.append(row)
    return ruled_table(rows, widths * per_row, repeat_rows=1,
                       extra=[("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                              *[("VALIGN", (i * per_slot, 1), (i * per_slot, -1), "MIDDLE") for i in range(per_row)],
                              ("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND),
                              *[("LINEAFTER", (i * per_slot - 1, 0), (i * per_slot - 1, -1), 1.0, colors.black)
                                for i in range(1, per_row)]])


def officials_grid(mediators: str, recorder: str, committee: str, day: date | None, styles: FormStyles, *,
                   parties: int = 2) -> Flowable:
    """Mediator(s) and recorder sign in boxes (their names printed small at the foot); below,
    the committee's name, "（盖章）" and the date, where the seal is stamped across them. With the
    parties' grid at its densest (:func:`party_signature_grid`, ``parties`` signing), the boxes
    and the seal close up side by side."""
    full = _officials_full(mediators, recorder, committee, day, styles)
    levels = 3 if parties <= ROW_PER_PARTY_UP_TO else 2
    return layout.signature_choices(*[full] * levels, _officials_compact(mediators, recorder, committee, day, styles))


def _officials_full(mediators: str, recorder: str, committee: str, day: date | None, styles: FormStyles) -> Flowable:
    hint = _sign_box_style(styles)
    label_w = 30 * mm
    box_w = (_W - 2 * label_w) / 2
    rows: list[list[Any]] = [[
        label_cell("人民调解员\n（签名）", styles),
        cell(mediators, styles, max_chars=100, style=hint) if mediators else "",
        label_cell("记录人\n（签名）", styles),
        cell(recorder, styles, max_chars=40, style=hint) if recorder else "",
    ]]
    signatures = ruled_table(rows, [label_w, box_w, label_w, box_w], heights=[22 * mm],
                             extra=[("VALIGN", (1, 0), (1, 0), "BOTTOM"), ("VALIGN", (3, 0), (3, 0), "BOTTOM"),
                                    ("BACKGROUND", (0, 0), (0, 0), base.LABEL_BACKGROUND),
                                    ("BACKGROUND", (2, 0), (2, 0), base.LABEL_BACKGROUND)])
    return KeepTogether([signatures, Spacer(0, 2 * mm), seal_block(committee, day, styles, _W)])


def _officials_compact(mediators: str, recorder: str, committee: str, day: date | None,
                       styles: FormStyles) -> Flowable:
    """The mediators' and the recorder's boxes one above the other at the left, the committee's
    name, seal and date beside them."""
    hint = _sign_box_style(styles)
    left_w = _W * 0.52
    label_w = 24 * mm
    rows: list[list[Any]] = [
        [label_cell("人民调解员\n（签名）", styles),
         cell(mediators, styles, max_chars=100, style=hint) if mediators else ""],
        [label_cell("记录人\n（签名）", styles), cell(recorder, styles, max_chars=40, style=hint) if recorder else ""],
    ]
    boxes = ruled_table(rows, [label_w, left_w - label_w], heights=[14 * mm, 14 * mm],
                        extra=[("VALIGN", (1, 0), (1, -1), "BOTTOM"),
                               ("BACKGROUND", (0, 0), (0, -1), base.LABEL_BACKGROUND)])
    seal_w = _W - left_w - 4 * mm
    seal = plain_table([[Spacer(0, 6 * mm)],
                        [base.paragraph(f"{base.clip(committee, 40, note=False)}（盖章）", styles.centre)],
                        [base.paragraph(cn_date(day), styles.centre)]], [seal_w], valign="MIDDLE")
    return plain_table([[boxes, "", seal]], [left_w, 4 * mm, seal_w])


def agreement_story(detail: CaseDetail, issuer: Issuer, agreement: AgreementInfo, styles: FormStyles, *,
                    mediators: str = "", recorder: str = "") -> list[Flowable]:
    committee = issuer.committee
    parties = ordered_parties(detail)
    on = agreement.signed_on or detail.received_at.date()
    story: list[Flowable] = [
        title(AGREEMENT_TITLE),
        number_line(agreement.number, styles),
        Spacer(0, 2 * mm),
    ]
    story += [text for p in parties for text in paragraphs(describe_party(p, on), styles.line)]
    story += _facts_sections(agreement, styles, len(parties))
    story += [section("经调解，当事人自愿达成如下协议", styles),
              *numbered([term_text(t) for t in agreement.terms], styles)]
    story += [section("履行协议的方式、地点、期限", styles),
              *[base.paragraph(performance_text(t), styles.body) for t in agreement.terms]]
    story += [
        Spacer(0, 2 * mm),
        layout.signature(base.paragraph(copies_text(agreement, len(parties), committee), styles.body)),
        layout.signature(base.paragraph(
            f"本协议经各方当事人签名（盖章或按指印）、人民调解员签名并加盖{committee}印章后生效。"
            f"调解协议具有法律约束力，当事人应当按照约定履行；{all_parties(len(parties))}可以自本协议"
            "生效之日起三十日内共同向人民法院申请司法确认。", styles.body)),
        Spacer(0, 3 * mm),
        party_signature_grid(parties, styles, on),
        Spacer(0, 3 * mm),
        officials_grid(mediators, recorder, committee, agreement_date(agreement), styles, parties=len(parties)),
    ]
    return story


def _created(detail: CaseDetail, agreement: AgreementInfo) -> datetime:
    if agreement.signed_on is not None:
        return at_midnight(agreement.signed_on)
    return detail.accepted_at or detail.received_at


def render_agreement(detail: CaseDetail, issuer: Issuer, agreement: AgreementInfo, *, mediators: str = "",
                     recorder: str = "") -> bytes:
    """The written agreement. Unsigned, its date is left blank to be written when all sign;
    ``mediators`` and ``recorder`` are printed small in their boxes so the right people sign."""
    styles = form_styles()
    info = FormInfo("agreement", agreement.id, AGREEMENT_TITLE, agreement.number, issuer,
                    _created(detail, agreement), subject=detail.title)
    story = agreement_story(detail, issuer, agreement, styles, mediators=mediators, recorder=recorder)
    return render_form(story, info)


# --------------------------------------------------------------------------- oral agreement


def oral_agreement_story(detail: CaseDetail, issuer: Issuer, agreement: AgreementInfo, styles: FormStyles, *,
                         registrar: str = "") -> list[Flowable]:
    committee = issuer.committee
    parties = ordered_parties(detail)
    on = agreement.signed_on or detail.received_at.date()
    signer_label = "当事人确认\n（签名或按指印）"
    label_w = layout.label_width(["纠纷简要情况", "协议达成日期", signer_label, "登记人（签名）"],
                                 styles.label.fontName, styles.label.fontSize, minimum=30 * mm)
    half = (_W - 2 * label_w) / 2
    widths = [label_w, half, label_w, half]
    facts = "\n".join([
        f"纠纷简要事实：{agreement.facts.strip() or '（未填写）'}",
        f"争议事项：{agreement.disputed_matters.strip() or '（未填写）'}",
        f"{'双方' if len(parties) == 2 else '各方'}责任：{agreement.responsibilities.strip() or '（未填写）'}",
    ])
    # Up to four parties to a cell: a table row cannot break across pages, and one cell of a
    # dozen parties would be taller than a page.
    rows: list[list[Any]] = [[label_cell("当事人", styles) if index == 0 else "",
                              cell("\n".join(describe_party(p, on) for p in chunk), styles, max_chars=2400,
                                   max_lines=32), "", ""]
                             for index, chunk in enumerate(party_chunks(parties))]
    rows.append([label_cell("纠纷简要情况", styles), cell(facts, styles, max_chars=2400, max_lines=40), "", ""])
    for index, term in enumerate(agreement.terms):
        label = label_cell("协议内容", styles) if index == 0 else ""
        rows.append([label, cell(f"{term.seq}. {term_text(term)}", styles), "", ""])
    for index, term in enumerate(agreement.terms):
        label = label_cell("履行方式、\n地点、期限", styles) if index == 0 else ""
        rows.append([label, cell(performance_text(term), styles), "", ""])
    rows += [
        [label_cell("协议达成日期", styles), cell(cn_date(agreement.effective_on or agreement.signed_on), styles),
         label_cell("登记日期", styles), cell(cn_date(agreement.signed_on), styles)],
        [label_cell(signer_label, styles),
         cell("\n".join(f"{guardian_line(p)}（签名）" for p in parties if p.minor_on(on)), styles,
              style=_sign_box_style(styles)) if any(p.minor_on(on) for p in parties) else "", "", ""],
        [label_cell("登记人（签名）", styles), cell(registrar, styles, max_chars=40, style=_sign_box_style(styles))
         if registrar else "", label_cell("备注", styles),
         cell("口头调解协议自各方当事人达成协议之日起生效（《中华人民共和国人民调解法》第三十条）。", styles,
              style=styles.small)],
    ]
    terms = len(agreement.terms)
    people = len(party_chunks(parties))
    first_term = people + 1
    first_performance = first_term + terms
    commands: list[tuple[Any, ...]] = [("SPAN", (1, i), (3, i)) for i in range(0, first_performance + terms)]
    commands.append(("SPAN", (1, first_performance + terms + 1), (3, first_performance + terms + 1)))
    # The label column of a section reads as one cell: no rules between its rows.
    for start, count in ((0, people), (first_term, terms), (first_performance, terms)):
        if count > 1:
            commands.append(("LINEBELOW", (0, start), (0, start + count - 2), 0.6, colors.white))
    commands.append(("LINEBELOW", (0, first_term - 1), (-1, first_term - 1), 0.6, colors.black))
    heights: list[float | None] = [None] * len(rows)
    heights[-2] = 22 * mm
    # The last three rows (the dates, the parties' and the registrar's signatures) are the
    # signing: they never start a page without the agreement above them.
    table = layout.signed_table(ruled_table(rows, widths, extra=commands, heights=heights), 3)
    return [
        title(ORAL_AGREEMENT_TITLE),
        number_line(agreement.number, styles),
        Spacer(0, 2 * mm),
        table,
        Spacer(0, 4 * mm),
        seal_block(committee, agreement.signed_on, styles, _W),
    ]


def render_oral_agreement(detail: CaseDetail, issuer: Issuer, agreement: AgreementInfo, *,
                          registrar: str = "") -> bytes:
    styles = form_styles()
    info = FormInfo("oral-agreement", agreement.id, ORAL_AGREEMENT_TITLE, agreement.number, issuer,
                    _created(detail, agreement), subject=detail.title)
    return render_form(oral_agreement_story(detail, issuer, agreement, styles, registrar=registrar), info)

