"""The two forms that open a people's-mediation file: 人民调解申请书 and 人民调解受理登记表.

The application is printed for the applicant to sign (its date is left to be written by hand);
the registration form is filled by the committee and carries the date of registration. Either
one is item 1 of the dossier (FORMS.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ..models.enums import CaseState, PartyKind, PartyRole, SourceChannel
from ..readmodels.center import Issuer
from . import base, layout
from .forms import (
    NBSP,
    FormInfo,
    FormStyles,
    age_on,
    cell,
    cn_date,
    describe_party,
    ethnicity,
    form_styles,
    guardian_line,
    label_cell,
    names_of,
    number_line,
    numbered,
    ordered_parties,
    paragraphs,
    party_chunks,
    plain_table,
    render_form,
    representative_position,
    ruled_table,
    section,
    signature_block,
    signers,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.cases import CaseDetail, PartyView

APPLICATION_TITLE = "人民调解申请书"
REGISTRATION_TITLE = "人民调解受理登记表"

#: The registration form's sources (the Ministry's ① 当事人申请 ② 调委会主动调解, and the ones
#: the fill-in guides add), and which of the center's channels is which.
SOURCES: tuple[tuple[str, frozenset[SourceChannel]], ...] = (
    ("当事人申请", frozenset({SourceChannel.VISIT, SourceChannel.PHONE, SourceChannel.LETTER,
                              SourceChannel.ONLINE})),
    ("调委会主动调解", frozenset({SourceChannel.ACTIVE_SCREENING, SourceChannel.GRID_REPORT})),
    ("公安机关移交", frozenset({SourceChannel.POLICE_TRANSFER})),
    ("审判机关委托", frozenset({SourceChannel.COURT_DELEGATED})),
    ("政府部门指定", frozenset({SourceChannel.PETITION_TRANSFER, SourceChannel.DEPARTMENT_TRANSFER})),
)
CHECKED, UNCHECKED = "■", "□"


def source_text(channel: SourceChannel) -> str:
    """``■当事人申请（来访） □调委会主动调解 …``: every option, the case's ticked."""
    options = []
    for label, channels in SOURCES:
        if channel in channels:
            options.append(f"{CHECKED}{label}（{channel.label}）")
        else:
            options.append(f"{UNCHECKED}{label}")
    return f"{NBSP * 2}".join(options)


def dispute_phrase(detail: CaseDetail) -> str:
    """``张三与李四之间的邻里纠纷``."""
    applicants = names_of(detail.parties, PartyRole.APPLICANT)
    others = names_of([p for p in detail.parties if p.role is not PartyRole.APPLICANT])
    kind = detail.dispute_type.strip() or "民间"
    kind = kind if kind.endswith("纠纷") else f"{kind}纠纷"
    if others:
        return f"{applicants}与{others}之间的{kind}"
    return f"{applicants}的{kind}"


# --------------------------------------------------------------------------- application


_W = base.A4_PORTRAIT.frame_width


def _party_grid_widths(styles: FormStyles) -> list[float]:
    """Label columns as wide as their longest label ("被申请人", "职业或职务", "法定代表人"),
    measured in the label's font, so no label breaks; the values share the rest."""
    font, size = styles.label.fontName, styles.label.fontSize
    role = layout.label_width([r.label for r in PartyRole], font, size)
    first = layout.label_width(["姓名", "年龄", "单位或住址", "名称", "法定代表人", "单位地址"], font, size)
    second = layout.label_width(["性别", "职业或职务", "职务"], font, size)
    third = layout.label_width(["民族", "联系方式"], font, size)
    value = (_W - role - first - second - third) / 3
    return [role, first, value, second, value, third, _W - role - first - second - third - 2 * value]


def _party_grid(party: PartyView, detail: CaseDetail, styles: FormStyles) -> Flowable:
    """One applicant's or respondent's box: the seven details the Ministry's form asks for."""
    on = detail.received_at.date()
    role = label_cell(party.role.label, styles)
    widths = _party_grid_widths(styles)
    rows: list[list[Any]]
    if party.kind is PartyKind.PERSON:
        age = str(age_on(party.birth_date, on)) if party.birth_date else ""
        rows = [
            [role, label_cell("姓名", styles), cell(party.name, styles, max_chars=60), label_cell("性别", styles),
             cell(party.gender.label if party.gender else "", styles), label_cell("民族", styles),
             cell(ethnicity(party.ethnicity), styles, max_chars=20)],
            ["", label_cell("年龄", styles), cell(age, styles), label_cell("职业或职务", styles),
             cell(party.occupation, styles, max_chars=40), label_cell("联系方式", styles),
             cell(party.phone, styles, max_chars=40)],
            ["", label_cell("单位或住址", styles),
             cell("；".join(v for v in (party.work_unit.strip(), party.address.strip()) if v), styles, max_chars=200),
             "", "", "", ""],
        ]
    else:
        rows = [
            [role, label_cell("名称", styles), cell(party.name, styles, max_chars=120), "", "", "", ""],
            ["", label_cell("法定代表人", styles), cell(party.legal_representative, styles, max_chars=40),
             label_cell("职务", styles), cell(representative_position(party), styles, max_chars=40),
             label_cell("联系方式", styles),
             cell(party.phone, styles, max_chars=40)],
            ["", label_cell("单位地址", styles), cell(party.address, styles, max_chars=200), "", "", "", ""],
        ]
    spans = [("SPAN", (0, 0), (0, 2)), ("SPAN", (2, 2), (6, 2))]
    if party.kind is not PartyKind.PERSON:
        spans.append(("SPAN", (2, 0), (6, 0)))
    elif party.minor_on(on):
        # A minor applies through the guardian (法定代理人), named under the minor's details.
        rows.append(["", label_cell("法定代理人", styles), cell(party.agent_name, styles, max_chars=60),
                     "", "", "", ""])
        spans = [("SPAN", (0, 0), (0, 3)), ("SPAN", (2, 2), (6, 2)), ("SPAN", (2, 3), (6, 3))]
    return ruled_table(rows, widths, extra=[*spans, ("TOPPADDING", (0, 0), (-1, -1), 4),
                                            ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])


def application_story(detail: CaseDetail, issuer: Issuer, styles: FormStyles) -> list[Flowable]:
    committee = issuer.committee
    story: list[Flowable] = [title(APPLICATION_TITLE), number_line(detail.number, styles, "案号"), Spacer(0, 1 * mm)]
    parties = [p for p in ordered_parties(detail) if p.role in (PartyRole.APPLICANT, PartyRole.RESPONDENT)]
    for party in parties:
        story += [_party_grid(party, detail, styles), Spacer(0, 2 * mm)]
    story += [section("纠纷简要情况", styles), *paragraphs(detail.facts, styles.body, empty="（未填写）")]
    requests = [r for r in detail.requests if r.strip()]
    story += [section("申请事项", styles), *(numbered(requests, styles) if requests else
                                          paragraphs("", styles.body, empty="（未填写）"))]
    story += [
        Spacer(0, 3 * mm),
        KeepTogether([
            # The applicant's declaration is part of what is signed: it goes with the block, and
            # the block with the requests above it.
            layout.signature(base.paragraph(
                f"{committee}已将人民调解的性质、原则、效力和当事人在调解活动中享有的权利、承担的"
                f"义务告知我（们）。我（们）自愿申请{committee}进行调解。", styles.body)),
            signature_block([("申请人（签名、盖章或按指印）",
                              signers([p for p in detail.parties if p.role is PartyRole.APPLICANT],
                                      detail.received_at.date()))], styles, _W),
            Spacer(0, 5 * mm),
            layout.signature(base.paragraph(cn_date(None), styles.right)),
        ]),
    ]
    return story


def render_application(detail: CaseDetail, issuer: Issuer) -> bytes:
    """The application for the applicant(s) to sign (人民调解申请书)."""
    styles = form_styles()
    info = FormInfo("application", detail.id, APPLICATION_TITLE, detail.number, issuer, detail.received_at,
                    subject=detail.title)
    return render_form(application_story(detail, issuer, styles), info)


# --------------------------------------------------------------------------- registration


def _guardians(detail: CaseDetail, on: date, styles: FormStyles) -> Any:
    """Who signs for the minors among the parties (their 法定代理人), or an empty cell."""
    lines = [f"{guardian_line(p)}（签名）" for p in ordered_parties(detail) if p.minor_on(on)]
    return cell("\n".join(lines), styles, style=styles.small) if lines else ""


def registration_story(detail: CaseDetail, issuer: Issuer, styles: FormStyles) -> list[Flowable]:
    committee = issuer.committee
    on = detail.received_at.date()
    signer_label = "当事人签名\n（盖章或按指印）"
    label_w = layout.label_width(["纠纷简要情况", signer_label, "登记人（签名）"], styles.label.fontName,
                                 styles.label.fontSize, minimum=30 * mm)
    widths = [label_w, (_W - 2 * label_w) / 2, label_w, (_W - 2 * label_w) / 2]
    # The register lists who the parties are and how to reach them; identity numbers are on the
    # application, the agreement and the identity proofs filed with it.
    # Up to four parties to a cell: a table row cannot break across pages, and one cell of a
    # dozen parties would be taller than a page.
    party_rows: list[list[Any]] = [[label_cell("当事人", styles) if index == 0 else "",
                                    cell("\n".join(describe_party(p, on, full_id=False) for p in chunk), styles,
                                         max_chars=2400, max_lines=32), "", ""]
                                   for index, chunk in enumerate(party_chunks(ordered_parties(detail)))]
    requests = [r for r in detail.requests if r.strip()]
    request_text = "\n".join(f"{i}. {r}" for i, r in enumerate(requests, start=1)) or "（未填写）"
    # The seal under 受理情况 authenticates the decision written there, so it carries that
    # decision's date (受理 or 不予受理), never the day of registration; undecided: a blank to fill.
    rejected = next((e for e in detail.events if e.to_state is CaseState.REJECTED), None)
    if rejected is not None and detail.accepted_at is None:
        decided: datetime | None = rejected.at
        reason = rejected.note.strip().rstrip("。.；;，,")
        acceptance = (f"经审查，本委员会于{cn_date(decided)}决定不予受理{dispute_phrase(detail)}"
                      + (f"。理由：{reason}。" if reason else "。"))
    else:
        decided = detail.accepted_at
        acceptance = f"经当事人同意，本委员会于{cn_date(detail.accepted_at)}受理{dispute_phrase(detail)}。"
    inner_w = _W - label_w - 8  # the cell's padding
    seal_w = 62 * mm
    seal = plain_table(
        [[Spacer(0, 9 * mm)],
         [base.paragraph(f"{base.clip(committee, 40, note=False)}（盖章）", styles.cell_centre)],
         [base.paragraph(cn_date(decided), styles.cell_centre)]],
        [seal_w], valign="MIDDLE")
    acceptance_cell = plain_table([[cell(acceptance, styles, max_chars=2400), seal]],
                                  [inner_w - seal_w, seal_w], valign="TOP")
    rows: list[list[Any]] = [
        [label_cell("登记日期", styles), cell(cn_date(detail.received_at), styles), label_cell("纠纷类型", styles),
         cell(detail.dispute_type, styles, max_chars=40)],
        *party_rows,
        [label_cell("纠纷来源", styles), cell(source_text(detail.source_channel), styles), "", ""],
        [label_cell("纠纷事项", styles), cell(detail.title, styles, max_chars=200), "", ""],
        [label_cell("纠纷简要情况", styles), cell(detail.facts or "（未填写）", styles), "", ""],
        [label_cell("申请事项", styles), cell(request_text, styles), "", ""],
        [label_cell("受理情况", styles), acceptance_cell, "", ""],
        [label_cell(signer_label, styles), _guardians(detail, on, styles),
         label_cell("登记人（签名）", styles), ""],
    ]
    people = len(party_rows)
    facts_row, acceptance_row = people + 3, people + 5
    spans = [("SPAN", (1, i), (3, i)) for i in range(1, acceptance_row + 1)]
    heights: list[float | None] = [9 * mm, *[None] * (people + 5), 17 * mm]
    # The label column of the parties reads as one cell: no rules between their rows.
    joined = [("LINEBELOW", (0, 1), (0, people - 1), 0.6, colors.white)] if people > 1 else []
    table = layout.signed_table(ruled_table(rows, widths, heights=heights, extra=[
        *spans, *joined, ("VALIGN", (1, facts_row), (1, facts_row + 1), "TOP"),
        ("VALIGN", (1, acceptance_row), (1, acceptance_row), "TOP"),
        ("TOPPADDING", (1, acceptance_row), (1, acceptance_row), 5),
    ]), 1)
    return [
        title(REGISTRATION_TITLE),
        Paragraph(f"编号：{base.escape(detail.number, styles.right.fontName)}", styles.right),
        Spacer(0, 2 * mm),
        table,
    ]


def render_registration(detail: CaseDetail, issuer: Issuer) -> bytes:
    """The registration form (人民调解受理登记表), dated the day the case was registered."""
    styles = form_styles()
    info = FormInfo("registration", detail.id, REGISTRATION_TITLE, detail.number, issuer, detail.received_at,
                    subject=detail.title)
    return render_form(registration_story(detail, issuer, styles), info)
