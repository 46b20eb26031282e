"""人民调解调查记录 and 人民调解记录 (the record of one mediation session).

Both are 笔录: the head names when, where and who; the body is what was said and found; the
people named sign each page's end. The mediation record's body follows the order FORMS.md gives
(the notice given; the principles, the method and the mediators announced; each side's
statement; what was verified; the risks explained; the agreement, or why there is none and which
roads stay open), with the center's standard sentences around what the mediator wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..models.enums import AgreementKind
from ..readmodels.center import Issuer
from . import base, layout
from .forms import (
    FormInfo,
    FormStyles,
    at_midnight,
    cn_date,
    cn_datetime,
    form_styles,
    labelled,
    number_line,
    ordered_parties,
    paragraphs,
    render_form,
    seal_block,
    signature_block,
    signers,
    split_names,
    title,
)

if TYPE_CHECKING:
    from ..readmodels.agreements import AgreementInfo
    from ..readmodels.cases import CaseDetail
    from ..readmodels.records import RecordInfo

INVESTIGATION_TITLE = "人民调解调查记录"
MEDIATION_RECORD_TITLE = "人民调解记录"

_W = base.A4_PORTRAIT.frame_width
_READ_BACK = "以上记录已经本人阅看（或向本人宣读），与本人所述一致。"


def _value(record: RecordInfo, name: str) -> Any:
    return record.values.get(name)


def _text(record: RecordInfo, name: str) -> str:
    value = _value(record, name)
    return "" if value is None else str(value)


def _held_at(record: RecordInfo) -> datetime:
    value = _value(record, "held_at")
    return value if isinstance(value, datetime) else record.held_at


# --------------------------------------------------------------------------- investigation


def investigation_story(detail: CaseDetail, issuer: Issuer, record: RecordInfo,
                        styles: FormStyles) -> list[Flowable]:
    interviewee = _text(record, "interviewee")
    relation = _text(record, "interviewee_relation").strip()
    who = f"{interviewee}（与本案关系：{relation}）" if relation else interviewee
    story: list[Flowable] = [
        title(INVESTIGATION_TITLE),
        number_line(detail.number, styles, "案号"),
        Spacer(0, 2 * mm),
        labelled("时间", cn_datetime(_held_at(record)), styles),
        labelled("地点", _text(record, "place"), styles, max_chars=300),
        labelled("调查人", _text(record, "investigators"), styles, max_chars=300),
        labelled("记录人", _text(record, "recorder"), styles, max_chars=100),
        labelled("被调查人", who, styles, max_chars=400),
        labelled("事由", f"调查{detail.title}", styles, max_chars=300),
        Paragraph(base.escape("调查记录", styles.section.fontName) + "：", styles.section),
        *paragraphs(_text(record, "content"), styles.line),
        Spacer(0, 3 * mm),
        layout.signature(base.paragraph(_READ_BACK, styles.body)),
        signature_block([("被调查人（签名、盖章或按指印）", [interviewee]),
                         ("调查人（签名）", split_names(_text(record, "investigators"))),
                         ("记录人（签名）", split_names(_text(record, "recorder")))], styles, _W),
    ]
    return story


def render_investigation(detail: CaseDetail, issuer: Issuer, record: RecordInfo) -> bytes:
    styles = form_styles()
    info = FormInfo("investigation", record.id, INVESTIGATION_TITLE, detail.number, issuer, _held_at(record),
                    subject=detail.title)
    return render_form(investigation_story(detail, issuer, record, styles), info)


# --------------------------------------------------------------------------- mediation


def agreement_reference(kind: AgreementKind | None) -> str:
    """What a record says the agreement's content is set out in: the form the case's agreement
    took, or, before there is one, the agreement without naming a form it may not take."""
    if kind is AgreementKind.ORAL:
        return "经调解，当事人自愿达成口头调解协议，协议内容以《人民调解口头协议登记表》的登记为准。"
    if kind is AgreementKind.WRITTEN:
        return "经调解，当事人自愿达成调解协议，协议内容以《人民调解协议书》为准。"
    return "经调解，当事人自愿达成调解协议，协议内容以当事人签署的调解协议为准。"


def mediation_story(detail: CaseDetail, issuer: Issuer, record: RecordInfo, styles: FormStyles, *,
                    agreement: AgreementKind | None = None) -> list[Flowable]:
    committee = issuer.committee
    mediators = _text(record, "mediators").strip()
    recorder = _text(record, "recorder").strip()
    participants = _text(record, "participants").strip()
    reached = bool(_value(record, "agreement_reached"))
    subject = _text(record, "subject").strip() or detail.title
    parties = ordered_parties(detail)

    def step(heading: str) -> Paragraph:
        return Paragraph(base.escape(heading, styles.section.fontName), styles.section)

    notice = ("调解开始前，人民调解员向当事人告知了人民调解的性质、原则和效力，以及当事人在调解活动中享有的权利"
              "和承担的义务，送达了《人民调解当事人权利义务告知书》，当事人表示已经知悉。"
              if _value(record, "notice_given") else
              "（本次调解前未记载告知当事人权利义务的情况。）")
    announce = (f"人民调解员宣布：本次调解由{mediators or '人民调解员'}主持，记录人{recorder or '（未记载）'}。"
                "调解遵循在当事人自愿、平等的基础上进行，不违背法律、法规和国家政策及社会公德，尊重当事人权利的"
                "原则；采取听取各方陈述、核实有关情况、讲解法律政策、居中协调的方式进行。当事人对人民调解员"
                "的身份已经知悉。")
    risks = ("人民调解员向当事人讲解了与本纠纷有关的法律、法规和政策，说明了调解不成时通过其他途径解决纠纷"
             "可能需要的时间、费用和可能承担的风险。")
    if reached:
        result_lead = agreement_reference(agreement)
    else:
        result_lead = ("经调解，当事人未能达成调解协议，本次调解终止。人民调解员告知当事人可以依法通过仲裁、行政、"
                       "司法等途径维护自己的权利。")
    story: list[Flowable] = [
        title(MEDIATION_RECORD_TITLE),
        number_line(detail.number, styles, "案号"),
        Spacer(0, 2 * mm),
        labelled("时间", cn_datetime(_held_at(record)), styles),
        labelled("地点", _text(record, "place"), styles, max_chars=300),
        labelled("事由", subject, styles, max_chars=300),
        labelled("参加人", participants or "无", styles, max_chars=400),
        labelled("当事人", _text(record, "parties_present"), styles, max_chars=400),
        labelled("人民调解员", mediators, styles, max_chars=300),
        labelled("记录人", recorder, styles, max_chars=100),
        Paragraph(base.escape("记录", styles.section.fontName) + "：", styles.section),
        step("一、告知权利义务"),
        base.paragraph(notice, styles.body),
        step("二、宣布调解原则、方式和人民调解员身份"),
        base.paragraph(announce, styles.body),
        step("三、当事人陈述纠纷事实"),
        *paragraphs(_text(record, "statements"), styles.body),
        step("四、核实调查情况"),
        *paragraphs(_text(record, "verification"), styles.body, empty="（无需另行核实。）"),
        step("五、告知调解结果的风险"),
        base.paragraph(risks, styles.body),
        step("六、调解结果"),
        base.paragraph(result_lead, styles.body),
        *paragraphs(_text(record, "outcome"), styles.body, empty=""),
        Spacer(0, 3 * mm),
        layout.signature(base.paragraph(_READ_BACK.replace("本人", "当事人"), styles.body)),
    ]
    groups: list[tuple[str, list[str]]] = [("当事人（签名、盖章或按指印）", signers(parties, _held_at(record).date())),
                                           ("人民调解员（签名）", split_names(mediators)),
                                           ("记录人（签名）", split_names(recorder))]
    if participants:
        groups.append(("参加人（签名）", split_names(participants)))
    story += [
        signature_block(groups, styles, _W),
        Spacer(0, 2 * mm),
        seal_block(committee, _held_at(record), styles, _W),
    ]
    return story


def render_mediation_record(detail: CaseDetail, issuer: Issuer, record: RecordInfo, *,
                            agreement: AgreementKind | None = None) -> bytes:
    """The record; ``agreement`` is the form of the agreement the case reached (written or oral),
    which the record names as where the agreed content is set out."""
    styles = form_styles()
    info = FormInfo("mediation-record", record.id, MEDIATION_RECORD_TITLE, detail.number, issuer,
                    _held_at(record), subject=detail.title)
    return render_form(mediation_story(detail, issuer, record, styles, agreement=agreement), info)


# --------------------------------------------------------------------------- return visit

RETURN_VISIT_TITLE = "人民调解回访记录"


@dataclass(frozen=True)
class ReturnVisitData:
    id: int
    visited_on: date
    visitor: str
    parties_visited: str
    #: 已履行 / 部分履行 / 未履行, or blank.
    performance: str
    #: 满意 / 基本满意 / 不满意, or blank.
    satisfaction: str
    notes: str
    #: 电话回访 / 上门走访 / 短信、微信, or blank.
    method: str = ""
    #: A lawsuit brought over the dispute after the mediation (blank: none) and its result.
    lawsuit: str = ""
    lawsuit_result: str = ""
    #: 矛盾隐患 found (blank: none).
    hidden_risks: str = ""


def return_visit_story(detail: CaseDetail, issuer: Issuer, visit: ReturnVisitData,
                       signed: Sequence[AgreementInfo], styles: FormStyles) -> list[Flowable]:
    """FORMS.md: the parties visited, the agreement's number, the dispute, what was found
    (performance, satisfaction, later suits, hidden trouble, what was done), the visitor."""
    numbers = "、".join(sorted({a.number for a in signed}))
    performance = visit.performance or ("未记载" if signed else "本案未达成调解协议，无需履行")
    situation = [f"协议履行情况：{performance}",
                 f"当事人对调解结果的评价：{visit.satisfaction or '未记载'}",
                 f"后续诉讼情况：{visit.lawsuit.strip() or '无'}"]
    if visit.lawsuit.strip():
        situation.append(f"诉讼结果：{visit.lawsuit_result.strip() or '尚无结果'}")
    situation.append(f"矛盾隐患：{visit.hidden_risks.strip() or '未发现'}")
    reason = (f"回访{detail.title}的调解协议履行情况" if signed
              else f"回访{detail.title}调解终结后当事人的情况")
    return [
        title(RETURN_VISIT_TITLE),
        number_line(detail.number, styles, "案号"),
        Spacer(0, 2 * mm),
        labelled("回访时间", cn_date(visit.visited_on), styles),
        labelled("回访方式", visit.method or "未记载", styles),
        labelled("被回访当事人", visit.parties_visited or "未记载", styles, max_chars=300),
        labelled("调解协议编号", numbers or "本案无调解协议", styles, max_chars=300),
        labelled("回访事由", reason, styles, max_chars=300),
        Paragraph(base.escape("回访情况", styles.section.fontName) + "：", styles.section),
        *[base.paragraph(line, styles.body) for line in situation],
        *paragraphs(visit.notes, styles.body, empty="（无其他情况。）"),
        Spacer(0, 4 * mm),
        signature_block([("回访人（签名）", split_names(visit.visitor))], styles, _W),
        Spacer(0, 2 * mm),
        layout.signature(base.paragraph(cn_date(visit.visited_on), styles.right)),
    ]


def render_return_visit(detail: CaseDetail, issuer: Issuer, visit: ReturnVisitData,
                        signed: Sequence[AgreementInfo] = ()) -> bytes:
    styles = form_styles()
    info = FormInfo("return-visit", visit.id, RETURN_VISIT_TITLE, detail.number, issuer,
                    at_midnight(visit.visited_on), subject=detail.title)
    return render_form(return_visit_story(detail, issuer, visit, signed, styles), info)
