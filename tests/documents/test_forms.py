"""Every document kind of a case built through the services: the elements its rule lists come back
from the PDF, every font is embedded, every glyph comes from a font that has it, every page
carries its page code, and the same case prints the same bytes."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from mediation_desk.db import Database
from mediation_desk.documents.pagecode import PageCode, parse_page_code
from mediation_desk.models import AgreementKind, Role
from mediation_desk.services import dossier
from mediation_desk.services.dossier import DOCUMENT_KINDS, DocumentNotApplicable

from ..services.helpers import make_user
from . import casefile
from .casefile import APPLICANT_2_ID, APPLICANT_ID, CENTER, ON_STORY_DAY, THIRD_ID
from .conftest import compact, pdf_text
from .pdfcheck import assert_fonts_embedded, dark_pixels, qr_texts, render, uncovered

pytestmark = ON_STORY_DAY

COMMITTEE = f"{CENTER}人民调解委员会"
SEAL = f"{COMMITTEE}（盖章）"
RESPONDENT = "甘州区J&C<物业>服务有限公司"
#: The kinds a case with a signed written agreement has (an oral agreement it has not, nor a return
#: visit: it is not closed; the return-visit record is read back in tests/ui/test_visits_tab.py and
#: tests/test_cli_dates.py).
WRITTEN_CASE_KINDS = tuple(k for k in DOCUMENT_KINDS if k not in ("oral-agreement", "return-visit"))


def _database(template: Path, folder: Path) -> Database:
    path = folder / "cases.sqlite3"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture(scope="module")
def built(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[casefile.Built]:
    db = _database(sqlite_template, tmp_path_factory.mktemp("forms"))
    yield casefile.build(db)
    db.dispose()


@pytest.fixture(scope="module")
def pdfs(built: casefile.Built) -> dict[str, bytes]:
    with built.db.read() as session:
        return {kind: dossier.render_document(session, built.mediator, built.case_id, kind)
                for kind in WRITTEN_CASE_KINDS}


@pytest.fixture(scope="module")
def oral(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[casefile.Built, bytes]]:
    db = _database(sqlite_template, tmp_path_factory.mktemp("oral"))
    case = casefile.build(db, kind=AgreementKind.ORAL, with_attachments=False)
    with db.read() as session:
        pdf = dossier.render_document(session, case.mediator, case.case_id, "oral-agreement")
    yield case, pdf
    db.dispose()


def _text(pdf: bytes) -> str:
    return compact(pdf_text(pdf))


def _assert_has(pdf: bytes, pieces: list[str]) -> None:
    text = _text(pdf)
    missing = [piece for piece in pieces if compact(piece) not in text]
    assert not missing, f"missing from the PDF: {missing}"


def _assert_in_order(pdf: bytes, pieces: list[str]) -> None:
    """Each piece comes back, after the one before it."""
    text = _text(pdf)
    position = 0
    for piece in pieces:
        found = text.find(compact(piece), position)
        assert found >= 0, f"{piece!r} not found after position {position}: …{text[position:position + 80]}…"
        position = found + len(compact(piece))


# --------------------------------------------------------------------------- both databases


def test_every_kind_prints_from_the_services_on_both_databases(db: Database) -> None:
    case = casefile.build(db, with_attachments=False)
    with db.read() as session:
        for kind in WRITTEN_CASE_KINDS:
            pdf = dossier.render_document(session, case.mediator, case.case_id, kind)
            assert pdf.startswith(b"%PDF"), kind
            assert compact(case.number) in _text(pdf), kind
        by_number = dossier.render_document_by_number(session, case.mediator, case.number, "agreement")
        assert by_number == dossier.render_document(session, case.mediator, case.case_id, "agreement")
        with pytest.raises(DocumentNotApplicable, match="还没有口头协议登记表"):
            dossier.render_document(session, case.mediator, case.case_id, "oral-agreement")


def test_kinds_that_do_not_apply_yet_are_refused(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    case_id = casefile.register(db, clerk)
    with db.read() as session:
        for kind, message in (("investigation", "还没有调查记录"), ("mediation-record", "还没有调解记录"),
                              ("agreement", "还没有人民调解协议书"), ("oral-agreement", "还没有口头协议登记表"),
                              ("confirmation-application", "还没有已签署生效的调解协议"),
                              ("return-visit", "还没有回访记录")):
            with pytest.raises(DocumentNotApplicable, match=message):
                dossier.render_document(session, clerk, case_id, kind)
        with pytest.raises(DocumentNotApplicable, match="未知的文书种类"):
            dossier.render_document(session, clerk, case_id, "minutes")
        # What a freshly registered case does have prints.
        for kind in ("registration", "application", "notice", "receipt", "dossier"):
            assert dossier.render_document(session, clerk, case_id, kind).startswith(b"%PDF")


def test_an_unsigned_agreement_prints_for_signing_but_cannot_be_confirmed(db: Database) -> None:
    case = casefile.build(db, sign=False, with_attachments=False)
    with db.read() as session:
        pdf = dossier.render_document(session, case.mediator, case.case_id, "agreement")
        with pytest.raises(DocumentNotApplicable, match="已签署生效"):
            dossier.render_document(session, case.mediator, case.case_id, "confirmation-application")
    text = _text(pdf)
    assert "年月日" in text  # the date is written by hand when everyone signs
    assert "2026年3月9日" not in text


# --------------------------------------------------------------------------- elements


def test_registration_form(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    pdf = pdfs["registration"]
    _assert_has(pdf, [
        "人民调解受理登记表", f"编号：{built.number}", "登记日期", "2026年3月2日",
        "经当事人同意，本委员会于", f"受理欧阳䶮、吉𠮷与{RESPONDENT}、王堃之间的物业纠纷。",
        "纠纷类型", "物业", "纠纷来源", "■当事人申请（来电）", "□调委会主动调解", "□公安机关移交",
        "纠纷简要情况", "车库顶板多处渗水", "申请事项", "1.请求被申请人维修车库顶板防水层",
        "申请人：欧阳䶮，男，汉族", "联系电话：13893612345",
        "当事人签名（盖章或按指印）", "登记人（签名）", SEAL,
    ])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_application_for_the_applicant_to_sign(pdfs: dict[str, bytes]) -> None:
    pdf = pdfs["application"]
    labels = ["姓名", "性别", "民族", "年龄", "职业或职务", "联系方式", "单位或住址"]
    _assert_has(pdf, ["人民调解申请书", *labels,
                      # applicant 1: the seven details
                      "欧阳䶮", "男", "汉族", "57", "个体工商户", "13893612345",
                      "甘州区南街街道馨园小区3号楼2单元501室",
                      # applicant 2, with work unit and address
                      "吉𠮷", "女", "回族", "35", "教师", "13993654321",
                      "甘州区第二中学；甘州区南街街道馨园小区3号楼2单元502室",
                      # the respondent, an organisation
                      "被申请人", RESPONDENT, "法定代表人", "赵明远", "0936-8219999", "甘州区青年东街16号",
                      "纠纷简要情况", "申请人欧阳䶮、吉𠮷系馨园小区3号楼业主",
                      "申请事项", "1.请求被申请人维修车库顶板防水层，消除渗水",
                      "2.请求被申请人赔偿财产损失人民币8,600元",
                      "3.请求查明渗水原因，明确各方责任",
                      f"{COMMITTEE}已将人民调解的性质、原则、效力和当事人在调解活动中享有的权利、承担的义务告知我（们）。"
                      f"我（们）自愿申请{COMMITTEE}进行调解。",
                      "申请人（签名、盖章或按指印）：", "年月日"])
    # The form has a box for each applicant and respondent; the third party is neither.
    assert _text(pdf).count("姓名") == 2
    assert _text(pdf).count("名称") == 1


def test_notice_of_rights_and_duties(pdfs: dict[str, bytes]) -> None:
    _assert_in_order(pdfs["notice"], [
        "人民调解当事人权利义务告知书", f"欧阳䶮、吉𠮷、{RESPONDENT}、王堃：",
        # what the committee is; free of charge
        "人民调解委员会是依法设立的调解民间纠纷的群众性组织", "不收取任何费用",
        # principles
        "在当事人自愿、平等的基础上进行调解", "不违背法律、法规和国家政策，不违背社会公德",
        "不得因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利",
        # rights
        "选择或者接受人民调解员", "接受调解、拒绝调解或者要求终止调解", "要求调解公开进行或者不公开进行",
        "自主表达意愿、自愿达成调解协议", "有权要求其回避",
        # duties
        "如实陈述纠纷事实", "遵守调解现场秩序，尊重人民调解员", "尊重对方当事人行使权利",
        # what an agreement means
        "具有法律约束力，当事人应当按照约定履行", "共同向人民法院申请司法确认",
        SEAL, "2026年3月5日",
        # the parties acknowledge receipt
        "当事人签收", "当事人（签名、盖章或按指印）", "欧阳䶮", "吉𠮷", "王堃", "签收日期：2026年3月5日",
    ])


def test_investigation_record(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    _assert_in_order(pdfs["investigation"], [
        "人民调解调查记录", f"案号：{built.number}", "时间：2026年3月4日10时15分", "地点：馨园小区3号楼车库",
        "调查人：李建国、马兰", "记录人：王晓燕", "被调查人：王堃（与本案关系：第三人（楼上住户））",
        "调查记录：", "问：你家卫生间什么时候改造的？", "答：2025年6月，找的个体装修队。",
        "车库顶板渗水点位于王堃家卫生间正下方",
        "被调查人（签名、盖章或按指印）：", "王堃", "调查人（签名）：", "李建国", "马兰", "记录人（签名）：", "王晓燕",
    ])


def test_mediation_record_in_the_order_of_the_rule(pdfs: dict[str, bytes]) -> None:
    _assert_in_order(pdfs["mediation-record"], [
        "人民调解记录", "时间：2026年3月5日14时00分", "地点：中心第一调解室", "事由：车库渗水维修及赔偿",
        "参加人：社区网格员刘强", "当事人：欧阳䶮、吉𠮷、赵明远（被申请人法定代表人）、王堃",
        "人民调解员：李建国、马兰", "记录人：王晓燕",
        "一、告知权利义务", "送达了《人民调解当事人权利义务告知书》",
        "二、宣布调解原则、方式和人民调解员身份", "本次调解由李建国、马兰主持",
        "三、当事人陈述纠纷事实", "申请人称：车库渗水已半年", "被申请人称：", "第三人称：",
        "四、核实调查情况", "调解员出示现场查看记录",
        "五、告知调解结果的风险", "可能承担的风险",
        "六、调解结果", "当事人自愿达成调解协议", "被申请人赔偿申请人损失人民币6,000元",
        "当事人（签名、盖章或按指印）：", "人民调解员（签名）：", "记录人（签名）：", "参加人（签名）：", SEAL,
    ])


def test_agreement_carries_article_29(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    pdf = pdfs["agreement"]
    _assert_in_order(pdf, [
        "人民调解协议书", f"编号：{built.number}",
        # the parties' basic details
        f"申请人：欧阳䶮，男，汉族，1968年5月17日出生（57岁），个体工商户，公民身份号码：{APPLICANT_ID}，"
        "住甘州区南街街道馨园小区3号楼2单元501室，联系电话：13893612345。",
        f"申请人：吉𠮷，女，回族，1990年11月3日出生（35岁），教师，工作单位：甘州区第二中学，公民身份号码：{APPLICANT_2_ID}",
        "委托代理人：张律。",
        f"被申请人：{RESPONDENT}，法人，统一社会信用代码：", "住所地：甘州区青年东街16号",
        "法定代表人（负责人）：赵明远，职务：不详。",
        f"第三人：王堃，男，汉族，1975年1月9日出生（51岁），退休职工，公民身份号码：{THIRD_ID}",
        # facts, matters in dispute, responsibilities
        "纠纷简要事实、争议事项及各方责任", "（一）纠纷简要事实", "车库自2025年7月起顶板渗水",
        "（二）争议事项", "渗水原因及维修责任", "（三）各方责任", "第三人对其卫生间改造引起的渗水负有责任",
        # the agreed terms
        "经调解，当事人自愿达成如下协议", f"1.{RESPONDENT}对公共管井部位的车库顶板防水层进行维修，消除渗水。",
        f"2.{RESPONDENT}向欧阳䶮赔偿申请人财产损失，金额为人民币陆仟元整（¥6,000.00）。",
        "3.王堃对其卫生间重新做防水并进行闭水试验。",
        # manner, place and time limit of performance
        "履行协议的方式、地点、期限",
        "第1项：履行期限：2026年4月10日前；履行地点：馨园小区3号楼车库；履行方式：由被申请人委托有资质的施工单位施工。",
        "第2项：履行期限：2026年3月31日前；履行地点：调解中心；履行方式：银行转账。",
        "第3项：履行期限：2026年4月10日前",
        # copies and effect
        f"本协议一式五份，各方当事人各执一份，{COMMITTEE}留存一份。", "人民调解员签名并加盖",
        # signature, fingerprint and seal blocks for each party
        "当事人", "签名", "指印", "盖章", "申请人：欧阳䶮", "（按指印）", "申请人：吉𠮷", f"被申请人：{RESPONDENT}",
        "法定代表人（负责人）或委托代理人签名", "（盖章）", "第三人：王堃",  # the seal box of the grid
        # mediator, recorder, committee seal, date
        "人民调解员（签名）", "李建国、马兰", "记录人（签名）", "王晓燕", SEAL, "2026年3月9日",
    ])
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    for number in range(1, pages + 1):
        assert f"第{number}页共{pages}页" in _text(pdf)


def test_oral_agreement_registration(oral: tuple[casefile.Built, bytes]) -> None:
    case, pdf = oral
    _assert_in_order(pdf, [
        "人民调解口头协议登记表", f"编号：{case.number}", "当事人", "申请人：欧阳䶮，男，汉族",
        f"被申请人：{RESPONDENT}", "第三人：王堃", "纠纷简要情况", "纠纷简要事实：", "争议事项：", "各方责任：",
        "协议内容", f"1.{RESPONDENT}对公共管井部位", "履行方式、地点、期限", "第1项：履行期限：2026年4月10日前",
        "协议达成日期", "2026年3月9日", "当事人确认（签名或按指印）", "登记人（签名）", "李建国",
        "口头调解协议自各方当事人达成协议之日起生效", SEAL,
    ])


def test_confirmation_application_carries_the_courts_article_3(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    _assert_in_order(pdfs["confirmation-application"], [
        "司法确认申请书",
        # both parties apply jointly, each with their details
        "申请人：欧阳䶮，男，汉族", "申请人：吉𠮷，女", f"申请人：{RESPONDENT}", "申请人：王堃",
        # the request names the agreement and asks that it be confirmed
        "请求事项", f"经{COMMITTEE}主持调解达成的人民调解协议书（编号：{built.number}）有效",
        "事实和理由", "于2026年3月9日自愿达成了人民调解协议，并签订了人民调解协议书", "该调解协议于2026年3月9日生效",
        "自调解协议生效之日起三十日内共同向人民法院申请司法确认",
        # the parties' statements: voluntary, lawful, no identity/adoption/marriage matter
        "申请人声明", "真实意思表示", "不违反法律、行政法规的强制性规定", "不涉及确认身份关系、收养关系、婚姻关系",
        # the court, the signatures
        "此致", "张掖市甘州区人民法院", "申请人（签名、盖章或按指印）：",
        # service addresses and phones of both parties
        "送达地址确认", "甘州区南街街道馨园小区3号楼2单元501室", "13893612345", "甘州区青年东街16号", "0936-8219999",
        # the materials of art. 3
        "附：提交材料清单", f"人民调解协议书（编号：{built.number}）", "身份证明", "资格证明", "财产权利证明",
        "送达地址、电话号码", "授权委托书",
    ])


def test_receipt_and_dossier_kinds(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    _assert_has(pdfs["receipt"], ["受理回执", "受理回执存根", built.number, "小区车库渗水维修及赔偿纠纷"])
    _assert_has(pdfs["dossier"], ["人民调解卷宗", "卷名", "卷号", built.number, "人民调解员", "调解日期",
                                  "2026年3月5日至2026年3月9日", "立卷人", "立卷日期", "保管期限", "长期", "备注",
                                  "卷内目录", "序号文书名称页号备注", "卷内备考表"])


# --------------------------------------------------------------------------- fonts, glyphs, pages


@pytest.mark.parametrize("kind", WRITTEN_CASE_KINDS)
def test_every_font_is_embedded_and_has_every_glyph_it_draws(pdfs: dict[str, bytes], kind: str) -> None:
    used = assert_fonts_embedded(pdfs[kind])
    assert uncovered(pdfs[kind]) == []
    if kind not in ("receipt",):
        # Song body, sans titles.
        assert {"NotoSerifCJKsc", "NotoSansCJKsc"} <= used


@pytest.mark.parametrize("kind", [k for k in WRITTEN_CASE_KINDS if k not in ("receipt", "dossier")])
def test_every_page_carries_its_code_and_ink(pdfs: dict[str, bytes], built: casefile.Built, kind: str) -> None:
    pdf = pdfs[kind]
    pages = render(pdf, 150)
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    ids = {"investigation": built.investigation_id, "mediation-record": built.mediation_id,
           "agreement": built.agreement_id, "confirmation-application": built.agreement_id}
    for number, image in enumerate(pages, start=1):
        expected = PageCode(built.number, kind, ids.get(kind, built.case_id), number)
        assert qr_texts(image) == [expected.payload]
        assert parse_page_code(expected.payload) == expected
        assert dark_pixels(image) > 5000  # text, not a blank sheet
        # Nothing in the outer 5 mm, where printers cannot print.
        width, height = image.size
        edge = 30
        assert dark_pixels(image, (0, 0, width, edge)) == 0
        assert dark_pixels(image, (0, height - edge, width, height)) == 0


def test_same_case_same_bytes(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    with built.db.read() as session:
        for kind in ("agreement", "mediation-record", "confirmation-application", "registration"):
            assert dossier.render_document(session, built.mediator, built.case_id, kind) == pdfs[kind], kind


def test_metadata_names_the_document_and_the_center(pdfs: dict[str, bytes], built: casefile.Built) -> None:
    meta = PdfReader(io.BytesIO(pdfs["agreement"])).metadata
    assert meta is not None
    assert meta.title == f"人民调解协议书 {built.number}"
    assert meta.author == CENTER
    assert meta.creator == "矛调工作台"
    assert meta.creation_date_raw == "D:20260309000000+08'00'"
    assert re.search(r"agreement:\d+", str(meta.get("/Keywords")))
