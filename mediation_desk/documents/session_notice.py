"""调解通知书: a party is told when and where a mediation session is held, what to bring, and
what not coming means.

What it must say follows 人民调解法: mediation is voluntary (art. 3) and a party may accept, refuse
or ask to end it (art. 23), so not attending is not punished — it is taken as declining mediation,
the committee ends it (art. 26) and tells the parties that arbitration, the administrative bodies
and the courts remain open to them; a party who cannot come on the day asks for another time.
The party signs that they received it (送达回执), like the notice of rights and duties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from ..readmodels.center import Issuer
from ..readmodels.sessions import SessionInfo
from . import base, layout
from .application import dispute_phrase
from .base import WRITE_IN
from .forms import (
    FormInfo,
    FormStyles,
    at_midnight,
    cn_date,
    form_styles,
    labelled,
    number_line,
    numbered,
    render_form,
    seal_block,
    section,
    signature_block,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.cases import CaseDetail, PartyView

SESSION_NOTICE_TITLE = "调解通知书"

#: What every notice says about attending: the party's rights and what not coming means.
ATTENDANCE = (
    "人民调解遵循当事人自愿、平等的原则，不收取任何费用。您有权接受调解、拒绝调解或者要求终止调解，"
    "有权要求调解公开进行或者不公开进行（《中华人民共和国人民调解法》第三条、第二十三条）。",
    "您可以本人参加，也可以委托代理人参加。如因故不能按时参加，请在调解会前与本委员会联系，另行商定调解时间。",
    "经通知无正当理由不到场的，视为不同意调解，本委员会将依法终止调解（《中华人民共和国人民调解法》"
    "第二十六条），并告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。",
)


def _styles() -> FormStyles:
    """A notice is one sheet: the body a size smaller than the long forms' (五号 rather than 小四)
    and a little closer set (1.6 lines rather than 1.75)."""
    styles = form_styles(base.ZIHAO["五号"])
    lead = round(base.ZIHAO["五号"] * 1.6, 1)
    return replace(styles, body=ParagraphStyle("notice_body", parent=styles.body, leading=lead),
                   line=ParagraphStyle("notice_line", parent=styles.line, leading=lead),
                   section=ParagraphStyle("notice_section", parent=styles.section, leading=lead),
                   item=ParagraphStyle("notice_item", parent=styles.item, leading=lead))


def _place(info: SessionInfo, address: str) -> str:
    # No address kept for the center: a line to write it on by hand (never another center's).
    return "".join(part for part in (address or WRITE_IN, info.room_location, info.room_name) if part)


def notice_story(info: SessionInfo, detail: CaseDetail, party: PartyView, issuer: Issuer, styles: FormStyles, *,
                 always_bring: str, issued_on: date) -> list[Flowable]:
    """One party's notice; the place and the phone are the issuing center's (``issuer``)."""
    width = base.A4_PORTRAIT.frame_width
    committee = issuer.committee
    others = [p.name for p in info.parties if p.party_id != party.id]
    invited = info.participants_text()
    story: list[Flowable] = [
        title(SESSION_NOTICE_TITLE, size=base.ZIHAO["小二"], space_after=2 * mm),
        number_line(detail.number, styles, "案号"),
        base.paragraph(f"{party.name}：", styles.line),
        base.paragraph(f"本委员会受理的{dispute_phrase(detail)}，定于下列时间、地点进行调解。"
                       f"请您准时参加。", styles.body),
        labelled("调解时间", info.when(), styles),
        labelled("调解地点", _place(info, issuer.address.strip()), styles),
        labelled("调解员", "、".join(info.mediator_names), styles),
    ]
    if others:
        story.append(labelled("其他当事人", "、".join(others), styles))
    if invited:
        story.append(labelled("受邀参加人", invited, styles))
    story.append(labelled("联系电话", issuer.phone.strip() or WRITE_IN, styles))
    bring = [always_bring, *(line.strip() for line in info.bring.splitlines() if line.strip())]
    story.append(section("请携带", styles))
    story += numbered(bring, styles)
    story.append(section("参加调解的权利和不到场的后果", styles))
    story += [base.paragraph(line, styles.body) for line in ATTENDANCE]
    story += [
        Spacer(0, 1 * mm),
        seal_block(committee, issued_on, styles, width),
        Spacer(0, 2 * mm),
        signature_block([("受通知人签收（签名、盖章或按指印）", [party.name])], styles, width),
        layout.signature(base.paragraph(f"签收日期：{cn_date(None)}", styles.right)),
    ]
    return story


def render_session_notices(info: SessionInfo, detail: CaseDetail, parties: Sequence[PartyView], issuer: Issuer, *,
                           always_bring: str, issued_on: date) -> bytes:
    """The notices of the session for ``parties``, each starting on a new page."""
    styles = _styles()
    story: list[Flowable] = []
    for index, party in enumerate(parties):
        if index:
            story.append(PageBreak())
        story += notice_story(info, detail, party, issuer, styles, always_bring=always_bring, issued_on=issued_on)
    created: datetime = at_midnight(issued_on)
    form = FormInfo("session-notice", info.id, SESSION_NOTICE_TITLE, detail.number, issuer, created,
                    subject=detail.title)
    return render_form(story, form)
