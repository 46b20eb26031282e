"""司法确认申请书: the parties' joint application to the basic court to confirm their agreement.

What it carries is the Supreme People's Court's (法释〔2011〕5号 《关于人民调解协议司法确认程序的若干
规定》, arts. 1–4; 人民调解法 art. 33): both parties apply jointly, within 30 days of the agreement
taking effect, to the basic court; the application names the agreement and asks that it be
confirmed; the parties state that they agreed of their own will and that the agreement is lawful
(and is not about identity, adoption or marriage, which courts do not confirm); and art. 3's
materials go with it — the agreement, identity (and, for organisations, qualification) proofs,
proofs of the property rights involved, both parties' service addresses and phones, and a signed
authorisation where someone applies for a party. The service addresses are confirmed in the
application itself, one row per party, signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ..models.enums import AgreementKind, PartyKind
from ..readmodels.center import Issuer
from . import base, layout
from .agreement import term_text
from .application import dispute_phrase
from .forms import (
    NBSP,
    FormInfo,
    FormStyles,
    all_parties,
    at_midnight,
    cell,
    cn_date,
    describe_party,
    form_styles,
    label_cell,
    numbered,
    ordered_parties,
    render_form,
    ruled_table,
    section,
    signature_block,
    signers,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.agreements import AgreementInfo
    from ..readmodels.cases import CaseDetail

CONFIRMATION_TITLE = "司法确认申请书"

STATEMENTS: tuple[str, ...] = (
    "申请人达成调解协议系出于真实意思表示，不存在受胁迫、欺诈或者重大误解的情形；",
    "调解协议的内容不违反法律、行政法规的强制性规定，不损害国家利益、社会公共利益和他人合法权益，"
    "不违背公序良俗；",
    "调解协议不涉及确认身份关系、收养关系、婚姻关系，不涉及物权、知识产权的确权；",
    "申请人提交的证明材料真实、合法，如因虚假陈述、提供虚假证明材料损害他人合法权益的，愿意承担相应的"
    "法律责任；",
    "申请人知悉：人民法院依法确认调解协议有效后，一方当事人拒绝履行或者未全部履行的，对方当事人可以向"
    "人民法院申请强制执行。",
)


@dataclass(frozen=True)
class Materials:
    """How many of each of art. 3's materials the parties hand in (None: to be filled by hand)."""

    identity: int | None = None
    property_proofs: int | None = None
    authorisations: int | None = None


def form_title(kind: AgreementKind) -> str:
    """The paper the agreement is on: 人民调解协议书 or 人民调解口头协议登记表."""
    return "人民调解协议书" if kind is AgreementKind.WRITTEN else "人民调解口头协议登记表"


def agreement_cited(agreement: AgreementInfo) -> str:
    """The agreement as the request names it, with the number of the paper it is on."""
    if agreement.kind is AgreementKind.WRITTEN:
        return f"人民调解协议书（编号：{agreement.number}）"
    return f"口头调解协议（人民调解口头协议登记表编号：{agreement.number}）"


def reached_phrase(kind: AgreementKind, committee: str) -> str:
    """What the parties reached ("自愿达成了…"): an agreement, never the form it is written on."""
    if kind is AgreementKind.WRITTEN:
        return "人民调解协议，并签订了人民调解协议书"
    return f"口头调解协议，由{committee}登记于人民调解口头协议登记表"


def _copies(count: int | None, none_text: str = "") -> str:
    if count is None:
        return ""
    return f"{count}份" if count else (none_text or "无")


def materials_rows(agreement: AgreementInfo, materials: Materials, has_agents: bool,
                   parties: int = 2, *, has_minors: bool = False) -> list[tuple[str, str, str]]:
    """(material, copies, note) in the order of 法释〔2011〕5号 art. 3; a minor applies through the
    法定代理人, who proves who they are and the guardianship (not an authorisation)."""
    guardians = [("法定代理人的身份证明及监护关系证明（户口簿、出生医学证明等）", "",
                  "未成年当事人由法定代理人代为申请的提交")]
    everyone = all_parties(parties)
    return [
        (f"{form_title(agreement.kind)}（编号：{agreement.number}）", "1份", "原件"),
        (f"{everyone}的身份证明（法人或者其他组织的资格证明、法定代表人身份证明）",
         _copies(materials.identity), "复印件，核对原件"),
        ("与调解协议相关的财产权利证明", _copies(materials.property_proofs, "无（协议不涉及）"), "涉及财产权利的提交"),
        (f"{everyone}的送达地址、电话号码（见本申请书“送达地址确认”）", "—", "本申请书所载"),
        ("授权委托书（委托他人代为申请的，由委托人签名或者盖章）",
         _copies(materials.authorisations, "无（本人申请）") if (materials.authorisations or has_agents)
         else "无（本人申请）", "代为申请的提交"),
        *(guardians if has_minors else []),
    ]


def filing_text(agreement: AgreementInfo, applied_on: date | None, deadline: date | None, late_reason: str) -> str:
    """The sentence on when the parties apply. Within the window (or not filed yet) it cites the
    thirty days; filed after the window closed it says so — the agreement's dates, the filing
    date, the last day, and the reason recorded — and never claims the thirty days."""
    signed = cn_date(agreement.signed_on)
    effective = cn_date(agreement.effective_on or agreement.signed_on)
    if applied_on is None or deadline is None or applied_on <= deadline:
        return (f"该调解协议于{effective}生效。为保障调解协议的履行，申请人根据《中华人民共和国人民调解法》"
                "第三十三条和《最高人民法院关于人民调解协议司法确认程序的若干规定》的规定，自调解协议生效之日起"
                "三十日内共同向人民法院申请司法确认。")
    text = (f"该调解协议于{signed}达成，于{effective}生效。申请人于{cn_date(applied_on)}共同向人民法院申请司法确认，"
            f"已超过自调解协议生效之日起三十日的申请期限（至{cn_date(deadline)}届满），逾期"
            f"{(applied_on - deadline).days}日。")
    reason = base.clean(late_reason).strip().rstrip("。；;，,")
    if reason:
        text += f"逾期申请的原因：{reason}。"
    return text


def confirmation_story(detail: CaseDetail, issuer: Issuer, agreement: AgreementInfo, styles: FormStyles, *,
                       court: str = "", applied_on: date | None = None,
                       materials: Materials | None = None, deadline: date | None = None,
                       late_reason: str = "") -> list[Flowable]:
    width = base.A4_PORTRAIT.frame_width
    committee = issuer.committee
    parties = ordered_parties(detail)
    on = applied_on or agreement.effective_on or agreement.signed_on or detail.received_at.date()
    court_name = base.clean(court or issuer.court_name).strip()
    court_line = court_name if court_name else f"{NBSP * 24}人民法院"
    signed = cn_date(agreement.signed_on)
    story: list[Flowable] = [title(CONFIRMATION_TITLE), Spacer(0, 1 * mm)]
    for party in parties:
        story.append(base.paragraph(describe_party(party, on, label="申请人"), styles.line))
    story += [
        section("请求事项", styles),
        base.paragraph(f"请求人民法院依法确认申请人于{signed}经{committee}主持调解达成的{agreement_cited(agreement)}有效。",
                       styles.body),
        section("事实和理由", styles),
        base.paragraph(f"申请人之间因{dispute_phrase(detail)}，经{committee}主持调解，于{signed}自愿达成了"
                       f"{reached_phrase(agreement.kind, committee)}，约定：", styles.body),
        *numbered([term_text(t) for t in agreement.terms], styles),
        base.paragraph(filing_text(agreement, applied_on, deadline, late_reason), styles.body),
        section("申请人声明", styles),
        *numbered(STATEMENTS, styles),
        Spacer(0, 3 * mm),
        # The closing (此致 and the court) belongs to the signature.
        layout.signature(base.paragraph("此致", styles.body)),
        layout.signature(Paragraph(base.escape(court_line, styles.line.fontName), styles.line)),
        Spacer(0, 2 * mm),
        signature_block([("申请人（签名、盖章或按指印）", signers(parties, on))], styles, width),
        Spacer(0, 3 * mm),
        layout.signature(base.paragraph(cn_date(applied_on), styles.right)),
    ]
    # Service addresses and phones, confirmed by each party (art. 3).
    rows: list[list[Any]] = [[label_cell("申请人", styles), label_cell("送达地址", styles),
                              label_cell("联系电话", styles), label_cell("确认签名", styles)]]
    for party in parties:
        address = party.address.strip()
        if party.kind is not PartyKind.PERSON and party.legal_representative.strip():
            address = f"{address}（法定代表人：{party.legal_representative.strip()}）" if address else ""
        rows.append([cell(party.name, styles, max_chars=60), cell(address, styles, max_chars=300),
                     cell(party.phone, styles, max_chars=40), ""])
    service = ruled_table(rows, [32 * mm, width - 32 * mm - 34 * mm - 30 * mm, 34 * mm, 30 * mm],
                          heights=[8 * mm] + [16 * mm] * len(parties), repeat_rows=1,
                          extra=[("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND)])
    story += [KeepTogether([
        section("送达地址确认", styles),
        base.paragraph("申请人确认以下地址为人民法院送达诉讼文书的地址，地址或电话变更时及时告知人民法院；"
                       "因地址不准确或变更未告知导致文书未能实际接收的，文书退回之日视为送达之日。", styles.body),
        service,
    ])]
    has_agents = any(p.agent_name.strip() and not p.minor_on(on) for p in parties)
    listed = materials_rows(agreement, materials or Materials(), has_agents, len(parties),
                            has_minors=any(p.minor_on(on) for p in parties))
    material_rows: list[list[Any]] = [[label_cell("序号", styles), label_cell("材料名称", styles),
                                       label_cell("份数", styles), label_cell("备注", styles)]]
    for index, (name, copies, note) in enumerate(listed, start=1):
        material_rows.append([cell(str(index), styles, style=styles.cell_centre), cell(name, styles),
                              cell(copies, styles, style=styles.cell_centre), cell(note, styles)])
    story += [
        KeepTogether([
            section("附：提交材料清单", styles),
            ruled_table(material_rows, [12 * mm, width - 12 * mm - 26 * mm - 36 * mm, 26 * mm, 36 * mm],
                        repeat_rows=1, extra=[("BACKGROUND", (0, 0), (-1, 0), base.LABEL_BACKGROUND)]),
        ]),
    ]
    return story


def render_confirmation_application(detail: CaseDetail, issuer: Issuer, agreement: AgreementInfo, *,
                                    court: str = "", applied_on: date | None = None,
                                    materials: Materials | None = None, deadline: date | None = None,
                                    late_reason: str = "") -> bytes:
    """The joint application for judicial confirmation of a signed agreement."""
    styles = form_styles()
    day = applied_on or agreement.effective_on or agreement.signed_on
    created = at_midnight(day) if day else (detail.accepted_at or detail.received_at)
    info = FormInfo("confirmation-application", agreement.id, CONFIRMATION_TITLE, detail.number, issuer, created,
                    subject=detail.title)
    story = confirmation_story(detail, issuer, agreement, styles, court=court, applied_on=applied_on,
                               materials=materials, deadline=deadline, late_reason=late_reason)
    return render_form(story, info)
