"""人民调解当事人权利义务告知书: what the parties are told before mediation begins.

The wording is ours; what it must say is the law's (人民调解法 arts. 3, 4, 23, 24, 26, 31–33;
人民调解工作若干规定 art. 30; FORMS.md): what the committee is and that it charges nothing, its
principles, the parties' rights (a mediator of their choice, accepting, refusing or ending
mediation, public or private sessions, speaking freely, agreeing of their own will, asking a
mediator to step aside), their duties, and what an agreement means (binding; may be confirmed by
a court). The parties sign that they received it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..readmodels.center import Issuer
from . import base, layout
from .application import dispute_phrase
from .forms import (
    FormInfo,
    FormStyles,
    all_parties,
    at_midnight,
    cn_date,
    form_styles,
    names_of,
    number_line,
    ordered_parties,
    render_form,
    seal_block,
    signature_block,
    signers,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.cases import CaseDetail

NOTICE_TITLE = "人民调解当事人权利义务告知书"

#: (heading, paragraphs) of the notice. ``{committee}`` is the committee's name.
NOTICE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("一、人民调解委员会的性质", (
        "人民调解委员会是依法设立的调解民间纠纷的群众性组织。人民调解委员会调解民间纠纷，不收取任何费用。",
    )),
    ("二、人民调解的原则", (
        "（一）在当事人自愿、平等的基础上进行调解；",
        "（二）不违背法律、法规和国家政策，不违背社会公德；",
        "（三）尊重当事人的权利，不得因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利。",
    )),
    ("三、当事人在人民调解活动中享有下列权利", (
        "（一）选择或者接受人民调解员；",
        "（二）接受调解、拒绝调解或者要求终止调解；",
        "（三）要求调解公开进行或者不公开进行；",
        "（四）自主表达意愿、自愿达成调解协议；",
        "（五）认为人民调解员与纠纷有利害关系或者有其他关系、可能影响公正调解的，有权要求其回避。",
    )),
    ("四、当事人在人民调解活动中应当履行下列义务", (
        "（一）如实陈述纠纷事实，不得提供虚假证明材料；",
        "（二）遵守调解现场秩序，尊重人民调解员；",
        "（三）尊重对方当事人行使权利，不得加剧纠纷、激化矛盾。",
    )),
    ("五、调解协议的效力", (
        "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。",
        "经人民调解委员会调解达成调解协议后，双方当事人认为有必要的，可以自调解协议生效之日起三十日内"
        "共同向人民法院申请司法确认。人民法院依法确认调解协议有效，一方当事人拒绝履行或者未全部履行的，"
        "对方当事人可以向人民法院申请强制执行。",
        "人民调解员调解纠纷，调解不成的，应当终止调解，并依据有关法律、法规的规定，告知当事人可以依法"
        "通过仲裁、行政、司法等途径维护自己的权利。",
    )),
)


def notice_story(detail: CaseDetail, issuer: Issuer, styles: FormStyles, notified_on: date | None) -> list[Flowable]:
    width = base.A4_PORTRAIT.frame_width
    committee = issuer.committee
    parties = ordered_parties(detail)
    story: list[Flowable] = [
        title(NOTICE_TITLE, size=base.ZIHAO["小二"]),
        number_line(detail.number, styles, "案号"),
        base.paragraph(f"{names_of(parties)}：", styles.line),
        base.paragraph(f"为保障当事人依法参加人民调解活动，根据《中华人民共和国人民调解法》的规定，"
                       f"{committee}在调解{dispute_phrase(detail)}之前，将有关事项告知如下：", styles.body),
    ]
    for heading, lines in NOTICE_SECTIONS:
        story.append(Paragraph(base.escape(heading, styles.section.fontName), styles.section))
        # The law's "双方当事人" read to four parties is "各方当事人".
        story += [base.paragraph(line.replace("双方当事人", all_parties(len(parties))), styles.body)
                  for line in lines]
    story += [
        Spacer(0, 2 * mm),
        seal_block(committee, notified_on, styles, width),
        Spacer(0, 4 * mm),
        layout.signature(Paragraph(base.escape("当事人签收", styles.section.fontName), styles.section)),
        layout.signature(base.paragraph("以上告知内容，本人已阅读（或听人宣读），清楚了解自己在人民调解活动中享有的"
                                        "权利和承担的义务。", styles.body)),
        signature_block([("当事人（签名、盖章或按指印）",
                          signers(parties, notified_on or detail.received_at.date()))], styles, width),
        Spacer(0, 3 * mm),
        layout.signature(base.paragraph(f"签收日期：{cn_date(notified_on)}", styles.right)),
    ]
    return story


def render_notice(detail: CaseDetail, issuer: Issuer, notified_on: date | None = None) -> bytes:
    """The notice, dated ``notified_on`` (the first mediation session) or with a blank date."""
    styles = form_styles()
    created: datetime = at_midnight(notified_on) if notified_on else (detail.accepted_at or detail.received_at)
    info = FormInfo("notice", detail.id, NOTICE_TITLE, detail.number, issuer, created, subject=detail.title)
    return render_form(notice_story(detail, issuer, styles, notified_on), info)
