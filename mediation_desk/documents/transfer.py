"""The papers of a transfer: 移送函 (or 转办函), 案件情况摘要 and 无争议事实确认书.

A court needs to docket the case without calling the center back (FORMS.md, "Court transfer
packet"; CPL art. 124): the parties in full, the claims, the facts, why mediation ended, what both
sides still accept, the evidence with its source, and the records. The letter asks for priority
filing through the green channel (诉讼"绿色通道"); a department's letter asks it to deal with the
matter within its remit and report back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ..models.enums import PartyRole, TransferTarget
from ..readmodels.center import Issuer
from ..readmodels.sizes import size_text
from . import base, layout
from .agreement import officials_grid, party_signature_grid
from .forms import (
    FormInfo,
    FormStyles,
    all_parties,
    at_midnight,
    cell,
    cn_date,
    describe_party,
    form_styles,
    label_cell,
    labelled,
    names_of,
    number_line,
    numbered,
    ordered_parties,
    paragraphs,
    render_form,
    ruled_table,
    seal_block,
    section,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.cases import CaseDetail

TRANSFER_LETTER_TITLE = "移送函"
REFERRAL_LETTER_TITLE = "转办函"
SUMMARY_TITLE = "案件情况摘要"
UNDISPUTED_FACTS_TITLE = "无争议事实确认书"

_W = base.A4_PORTRAIT.frame_width
#: A number typed at the head of a line ("1." "2、" "（3）" "一、"), which a numbered list would repeat.
_LINE_NUMBER = re.compile(r"^(?:[（(][0-9０-９一二三四五六七八九十]+[)）]|[0-9０-９]+[)）]|"
                          r"[0-9０-９一二三四五六七八九十]+(?:[.．](?![0-9０-９])|、))\s*")


@dataclass(frozen=True)
class EvidenceItem:
    """One file of the packet's evidence list."""

    title: str
    kind_label: str
    party: str
    size: int
    sha256: str
    note: str = ""
    #: Where it came from (证据来源) and what it is offered to prove (证明目的).
    source: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class WitnessItem:
    """A witness as CPL art. 124 asks: name, address, and what they can prove."""

    name: str
    address: str
    phone: str
    proves: str
    named_by: str = ""
    #: The party who named the witness (None: found by the mediators); the packet indexes it.
    party_id: int | None = None


@dataclass(frozen=True)
class RecordItem:
    kind_label: str
    held_at: datetime
    place: str
    summary: str
    signed: bool


@dataclass(frozen=True)
class UndisputedFactsData:
    id: int
    facts: str
    disputed: str
    signed: bool
    signed_on: date | None


@dataclass(frozen=True)
class TransferData:
    """What the letter and the summary say beyond the case itself.

    Nothing here names the packet or the time of day: the letter is printed and sealed before
    the packet is built (``exchange.letters``), and the same inputs must give the same letter."""

    target: TransferTarget
    target_name: str
    claims: tuple[str, ...]
    failure_reason: str
    terminated_on: date | None
    #: The day the letter and the summary are dated (their seal's date).
    dated: date
    mediators: str = ""
    undisputed: UndisputedFactsData | None = None
    evidence: tuple[EvidenceItem, ...] = ()
    records: tuple[RecordItem, ...] = ()
    witnesses: tuple[WitnessItem, ...] = ()


def letter_title(target: TransferTarget) -> str:
    return TRANSFER_LETTER_TITLE if target is TransferTarget.COURT else REFERRAL_LETTER_TITLE


def _between(detail: CaseDetail) -> str:
    applicants = names_of(detail.parties, PartyRole.APPLICANT) or "申请人"
    respondents = names_of(detail.parties, PartyRole.RESPONDENT)
    return f"{applicants}与{respondents}" if respondents else applicants


def _dispute(detail: CaseDetail) -> str:
    kind = detail.dispute_type.strip()
    return f"{kind}纠纷" if kind and not kind.endswith("纠纷") else (kind or "纠纷")


# --------------------------------------------------------------------------- letter


def transfer_letter_story(detail: CaseDetail, issuer: Issuer, data: TransferData,
                          styles: FormStyles) -> list[Flowable]:
    court = data.target is TransferTarget.COURT
    accepted = detail.accepted_at or detail.received_at
    ended = f"本中心已于{cn_date(data.terminated_on)}终结调解" if data.terminated_on else "调解已终结"
    mediated = f"经{data.mediators}主持调解" if data.mediators.strip() else "经本中心组织调解"
    facts_line = (f"{_between(detail)}{_dispute(detail)}一案（{detail.title}），当事人于{cn_date(detail.received_at)}"
                  f"向本中心申请调解，本中心于{cn_date(accepted)}受理（案号{detail.number}）。{mediated}，"
                  f"{all_parties(len(detail.parties))}未能达成调解协议，{ended}。")
    story: list[Flowable] = [
        title(letter_title(data.target)),
        number_line(detail.number, styles, "编号"),
        Spacer(0, 2 * mm),
        base.paragraph(f"{data.target_name}：", styles.line),
        base.paragraph(facts_line, styles.body),
        base.paragraph(f"调解不成的原因：{data.failure_reason.strip() or '（未填写）'}", styles.body),
    ]
    if court:
        story.append(base.paragraph(
            "根据《中华人民共和国人民调解法》和诉调对接工作机制的有关规定，现将本案移送贵院，"
            "恳请通过诉讼“绿色通道”依法优先立案、及时审理。当事人拟提出的诉讼请求如下：", styles.body))
    else:
        story.append(base.paragraph(
            "经审查，本纠纷属于贵单位的职责范围。现将本案转办贵单位，请依法依职权处理，"
            "并将处理结果及时反馈本中心。当事人的请求事项如下：", styles.body))
    story += numbered(list(data.claims), styles) if data.claims else [base.paragraph("（未填写）", styles.line)]
    investigations = sum(1 for r in data.records if r.kind_label == "调查记录")
    sessions = len(data.records) - investigations
    materials = ["案件情况摘要（含当事人基本情况、纠纷事实、证据清单）1份"]
    if data.undisputed is not None:
        signed = "已经当事人签字确认" if data.undisputed.signed else "未经当事人签字"
        materials.append(f"无争议事实确认书1份（{signed}）")
    if investigations:
        materials.append(f"人民调解调查记录{investigations}份")
    if sessions:
        materials.append(f"人民调解记录{sessions}份")
    if data.evidence:
        materials.append(f"证据及其他材料{len(data.evidence)}件")
    story.append(base.paragraph(
        f"随函移送：{'；'.join(f'{i}. {m}' for i, m in enumerate(materials, start=1))}。以上材料的电子文件载于随附的"
        f"案号为{detail.number}的移送材料包中，每个文件的大小及 SHA-256 校验值列于材料包的文件清单"
        "（manifest.json），可逐一核对。", styles.body))
    if data.mediators.strip():
        story.append(labelled("承办调解员", data.mediators, styles, max_chars=200))
    story.append(seal_block(issuer.center_name, data.dated, styles, _W))
    return story


def render_transfer_letter(detail: CaseDetail, issuer: Issuer, data: TransferData) -> bytes:
    styles = form_styles()
    name = letter_title(data.target)
    info = FormInfo("transfer-letter", detail.id, name, detail.number, issuer, at_midnight(data.dated),
                    subject=detail.title)
    return render_form(transfer_letter_story(detail, issuer, data, styles), info)


# --------------------------------------------------------------------------- summary


def _digest_cell(sha256: str, style: ParagraphStyle) -> list[Flowable]:
    """The digest on two lines of 32 hex digits, as two one-line paragraphs.

    One paragraph holding a line break is laid out character by character (reportlab's CJK
    wrapping of text in several fragments), and wrapped again each time the table is measured,
    split or drawn: with 20 files that alone took most of the summary's build time. A paragraph
    of one fragment takes the fast path; the lines print at the same places.
    """
    return [base.paragraph(sha256[:32], style), base.paragraph(sha256[32:], style)]


#: What the summary prints for a purpose nobody stated.
PURPOSE_NOT_STATED = "未说明"


def evidence_source(item: EvidenceItem) -> str:
    """证据来源: as described, else who handed it in (an identity scan needs no more)."""
    if item.source.strip():
        return item.source.strip()
    return f"{item.party}提交" if item.party else "调解中心收集"


def evidence_purpose(item: EvidenceItem) -> str:
    """证明目的: as described, else what an identity, authorisation or application scan proves."""
    if item.purpose.strip():
        return item.purpose.strip()
    if item.kind_label == "身份证明":
        return "证明当事人的身份及诉讼主体资格"
    if item.kind_label == "授权委托书":
        return "证明委托代理人的代理权限"
    if item.kind_label in ("申请书", "人民调解申请书"):
        return "证明当事人申请调解的事项和理由"
    return PURPOSE_NOT_STATED


def _evidence_table(items: tuple[EvidenceItem, ...], styles: FormStyles) -> Flowable:
    """序号, 名称 (type), 来源, 证明目的, size and SHA-256 (so the court can check the packet's file)."""
    widths = [11 * mm, 34 * mm, 28 * mm, 42 * mm]
    widths.append(_W - sum(widths))
    digest_style = ParagraphStyle("digest", parent=styles.small, fontSize=6.5, leading=8.5)
    rows: list[list[Any]] = [[label_cell(text, styles) for text in
                              ("序号", "证据名称", "证据来源", "证明目的", "大小、SHA-256")]]
    for index, item in enumerate(items, start=1):
        name = f"{item.title}（{item.kind_label}）" + (f"\n{item.note}" if item.note.strip() else "")
        rows.append([cell(str(index), styles, style=styles.cell_centre), cell(name, styles, max_chars=200),
                     cell(evidence_source(item), styles, max_chars=200),
                     cell(evidence_purpose(item), styles, max_chars=500),
                     # The digest in three one-line pieces (see _digest_cell) that fit the column.
                     [base.paragraph(size_text(item.size), digest_style),
                      *(base.paragraph(item.sha256[i:i + 22], digest_style) for i in range(0, 64, 22))]])
    return ruled_table(rows, widths, repeat_rows=1, extra=[("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND)])


def witness_address(item: WitnessItem) -> str:
    """住址 as the summary prints it ("不详" when none is on file)."""
    return item.address.strip() or "不详"


def witness_proves(item: WitnessItem) -> str:
    """拟证明 as the summary prints it (one closing 。; "未说明" when nothing is on file)."""
    return f"{item.proves.strip().rstrip('。') or PURPOSE_NOT_STATED}。"


def witness_line(item: WitnessItem) -> str:
    """One witness as CPL art. 124 asks: name (who named them), address, phone, what they can prove."""
    named = f"（{item.named_by}提出）" if item.named_by.strip() else ""
    phone = f"，联系电话：{item.phone.strip()}" if item.phone.strip() else ""
    return f"{item.name}{named}，住{witness_address(item)}{phone}。拟证明：{witness_proves(item)}"


def _witness_lines(items: tuple[WitnessItem, ...]) -> list[str]:
    return [witness_line(item) for item in items]


def summary_story(detail: CaseDetail, issuer: Issuer, data: TransferData, styles: FormStyles) -> list[Flowable]:
    on = (detail.accepted_at or detail.received_at).date()
    fields = [
        base.Field("案件名称", detail.title, wide=True),
        base.Field("纠纷类型", detail.dispute_type or "—"),
        base.Field("案件来源", detail.source_channel.label),
        base.Field("登记日期", cn_date(detail.received_at)),
        base.Field("受理日期", cn_date(detail.accepted_at) if detail.accepted_at else "—"),
        base.Field("调解团队", detail.team or "—"),
        base.Field("承办调解员", data.mediators or detail.lead_mediator or "—"),
        base.Field("调解终结日期", cn_date(data.terminated_on) if data.terminated_on else "—"),
        base.Field("移送去向", f"{data.target.label}：{data.target_name}"),
    ]
    story: list[Flowable] = [
        title(SUMMARY_TITLE),
        number_line(detail.number, styles, "案号"),
        Spacer(0, 2 * mm),
        base.key_value_table(fields, width=_W, styles=styles.doc, label_width=26 * mm, pairs_per_row=2),
        section("当事人基本情况", styles),
    ]
    story += [text for p in ordered_parties(detail)
              for text in paragraphs(describe_party(p, on, work_unit_always=True), styles.line)]
    story += [section("申请调解事项", styles),
              *(numbered(list(detail.requests), styles) or [base.paragraph("（无）", styles.line)])]
    if data.target is TransferTarget.COURT:
        story += [section("诉讼请求（草拟）", styles),
                  *(numbered(list(data.claims), styles) or [base.paragraph("（无）", styles.line)])]
    story += [section("纠纷事实", styles), *paragraphs(detail.facts, styles.body)]
    story.append(section("调解经过", styles))
    if data.records:
        story += numbered([f"{r.held_at:%Y年%m月%d日}，{r.kind_label}（{r.place or '地点未记'}）："
                           f"{r.summary}{'' if r.signed else '（未签字）'}" for r in data.records], styles)
    else:
        story.append(base.paragraph("（无调查或调解记录）", styles.line))
    story += [section("调解不成的原因", styles), *paragraphs(data.failure_reason, styles.body, empty="（未填写）")]
    story.append(section("无争议事实", styles))
    if data.undisputed is None:
        story.append(base.paragraph("（未形成无争议事实确认书）", styles.line))
    else:
        state = (f"当事人已于{cn_date(data.undisputed.signed_on)}签字确认" if data.undisputed.signed
                 else "草稿，未经当事人签字确认")
        story += [*paragraphs(data.undisputed.facts, styles.body), base.paragraph(f"（{state}）", styles.line)]
    story.append(section("证据清单", styles))
    if data.evidence:
        story.append(_evidence_table(data.evidence, styles))
    else:
        story.append(base.paragraph("（无）", styles.line))
    story.append(section("证人", styles))
    if data.witnesses:
        story += numbered(_witness_lines(data.witnesses), styles)
    else:
        story.append(base.paragraph("（当事人未提出证人）", styles.line))
    story += [Spacer(0, 4 * mm), seal_block(issuer.center_name, data.dated, styles, _W)]
    return story


def render_case_summary(detail: CaseDetail, issuer: Issuer, data: TransferData) -> bytes:
    styles = form_styles()
    info = FormInfo("transfer-summary", detail.id, SUMMARY_TITLE, detail.number, issuer, at_midnight(data.dated),
                    subject=detail.title)
    return render_form(summary_story(detail, issuer, data, styles), info)


# --------------------------------------------------------------------------- undisputed facts


def undisputed_facts_story(detail: CaseDetail, issuer: Issuer, facts: UndisputedFactsData, styles: FormStyles, *,
                           mediators: str = "") -> list[Flowable]:
    parties = ordered_parties(detail)
    on = facts.signed_on or (detail.accepted_at or detail.received_at).date()
    # Each line is one fact; a number typed before it is dropped, the list numbers them itself.
    lines = [_LINE_NUMBER.sub("", line.strip()) for line in base.clean(facts.facts).split("\n") if line.strip()]
    lines = [line for line in lines if line]
    everyone = all_parties(len(parties))
    story: list[Flowable] = [
        title(UNDISPUTED_FACTS_TITLE),
        number_line(detail.number, styles, "案号"),
        Spacer(0, 2 * mm),
    ]
    story += [text for p in parties for text in paragraphs(describe_party(p, on), styles.line)]
    story += [
        Spacer(0, 1 * mm),
        base.paragraph(f"{_between(detail)}{_dispute(detail)}一案，经{issuer.committee}主持调解，"
                       f"{everyone}未能达成调解协议。为减少当事人讼累，经调解员组织，{everyone}对下列事实均无异议，"
                       "予以确认：", styles.body),
        section(f"{everyone[:2]}无争议的事实", styles),
        *(numbered(lines, styles) if lines else [base.paragraph("（未填写）", styles.line)]),
        section("尚存争议的事项", styles),
        *paragraphs(facts.disputed, styles.body),
        Spacer(0, 1 * mm),
        layout.signature(base.paragraph(
            "以上事实经各方当事人阅看（或向其宣读）无误。在后续诉讼中，当事人无需对上述无争议事实另行举证，"
            "但有相反证据足以推翻的除外；当事人为达成调解协议作出妥协而认可的事实，不得在诉讼中作为对其不利的根据。",
            styles.body)),
        Spacer(0, 3 * mm),
        party_signature_grid(parties, styles, on),
        Spacer(0, 3 * mm),
        officials_grid(mediators, "", issuer.committee, facts.signed_on, styles, parties=len(parties)),
    ]
    return story


def render_undisputed_facts(detail: CaseDetail, issuer: Issuer, facts: UndisputedFactsData, *,
                            mediators: str = "") -> bytes:
    """The statement; unsigned, its date is left blank to be written when the parties sign."""
    styles = form_styles()
    created = at_midnight(facts.signed_on) if facts.signed_on else (detail.accepted_at or detail.received_at)
    info = FormInfo("undisputed-facts", facts.id, UNDISPUTED_FACTS_TITLE, detail.number, issuer, created,
                    subject=detail.title)
    return render_form(undisputed_facts_story(detail, issuer, facts, styles, mediators=mediators), info)
