"""Enumerations of the mediation domain, each with its Chinese label.

Values are stable English identifiers stored in the database; labels are what documents print.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Chinese label after the stored value."""

    label: str

    # The default only tells type checkers that Role("intake") looks a member up by value.
    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_label(cls, label: str) -> LabelledEnum:
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(f"{cls.__name__} has no member labelled {label!r}")


class CaseState(LabelledEnum):
    REGISTERED = "registered", "登记"
    ACCEPTED = "accepted", "受理"
    REJECTED = "rejected", "不予受理"
    DIVERTED = "diverted", "分流"
    ASSIGNED = "assigned", "分派"
    IN_MEDIATION = "in_mediation", "调解中"
    SUCCEEDED = "succeeded", "调解成功"
    FAILED = "failed", "调解不成"
    TRANSFERRED = "transferred", "已移送"
    WITHDRAWN = "withdrawn", "撤回"
    CLOSURE_REVIEW = "closure_review", "结案审核"
    CLOSED = "closed", "结案"


class Role(LabelledEnum):
    INTAKE = "intake", "受理员"
    MEDIATOR = "mediator", "调解员"
    HEAD = "head", "中心主任"
    ADMIN = "admin", "系统管理员"


class PartyRole(LabelledEnum):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"


class PartyKind(LabelledEnum):
    PERSON = "person", "自然人"
    LEGAL_PERSON = "legal_person", "法人"
    ORGANISATION = "organisation", "非法人组织"


class Gender(LabelledEnum):
    MALE = "male", "男"
    FEMALE = "female", "女"


class IdDocumentType(LabelledEnum):
    RESIDENT_ID = "resident_id", "居民身份证"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"


class SourceChannel(LabelledEnum):
    VISIT = "visit", "来访"
    PHONE = "phone", "来电"
    LETTER = "letter", "来信"
    ONLINE = "online", "网上"
    GRID_REPORT = "grid_report", "网格员上报"
    POLICE_TRANSFER = "police_transfer", "公安移交"
    COURT_DELEGATED = "court_delegated", "法院委派/委托"
    PETITION_TRANSFER = "petition_transfer", "信访转办"
    DEPARTMENT_TRANSFER = "department_transfer", "部门转办"
    ACTIVE_SCREENING = "active_screening", "主动排查"


class RiskLevel(LabelledEnum):
    RED = "red", "红"
    ORANGE = "orange", "橙"
    YELLOW = "yellow", "黄"
    BLUE = "blue", "蓝"


class PresenceMode(LabelledEnum):
    RESIDENT = "resident", "常驻"
    ROTATING = "rotating", "轮驻"
    ON_CALL = "on_call", "随叫随驻"


class CenterLevel(LabelledEnum):
    """The level of a center in a county (docs/centers.md)."""

    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"
    VILLAGE = "village", "村级"


class MediatorKind(LabelledEnum):
    STATIONED = "stationed", "常驻人员"
    VOLUNTEER = "volunteer", "义务调解员"


class EventKind(LabelledEnum):
    REGISTERED = "registered", "登记"
    TRANSITION = "transition", "状态变更"
    NOTE = "note", "备注"
    RECORD = "record", "笔录"
    DOCUMENT = "document", "文书"
    SUPERVISION = "supervision", "督办"
    RETURN_VISIT = "return_visit", "回访"


class AttachmentKind(LabelledEnum):
    IDENTITY = "identity", "身份证明"
    APPLICATION = "application", "申请书"
    AUTHORISATION = "authorisation", "授权委托书"
    EVIDENCE = "evidence", "证据材料"
    SIGNED_DOCUMENT = "signed_document", "签字文书"
    PERFORMANCE_PROOF = "performance_proof", "履行凭证"
    OTHER = "other", "其他"


class AgreementKind(LabelledEnum):
    WRITTEN = "written", "人民调解协议书"
    ORAL = "oral", "口头协议登记表"


class ConfirmationResult(LabelledEnum):
    PENDING = "pending", "审查中"
    CONFIRMED = "confirmed", "裁定有效"
    REJECTED = "rejected", "驳回申请"
    WITHDRAWN = "withdrawn", "撤回申请"


class TransferTarget(LabelledEnum):
    COURT = "court", "法院"
    DEPARTMENT = "department", "职能部门"


class Performance(LabelledEnum):
    PERFORMED = "performed", "已履行"
    PARTLY = "partly", "部分履行"
    NOT_PERFORMED = "not_performed", "未履行"


class Satisfaction(LabelledEnum):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class VisitMethod(LabelledEnum):
    PHONE = "phone", "电话回访"
    VISIT = "visit", "上门走访"
    MESSAGE = "message", "短信/微信"


class TransferStatus(LabelledEnum):
    """Where a transfer packet is: built, handed over, received, filed by the court, decided."""

    PREPARED = "prepared", "已生成"
    SENT = "sent", "已移送"
    RECEIVED = "received", "对方已接收"
    FILED = "filed", "已立案"
    CONCLUDED = "concluded", "已办结"
    RETURNED = "returned", "退回"


class ClockStage(LabelledEnum):
    """The stages a case's clock runs in; each has a configurable time limit."""

    ACCEPTANCE = "acceptance", "受理审查"
    MEDIATION = "mediation", "调解期限"
    HOTLINE_CONSULTATION = "hotline_consultation", "热线咨询答复"
    HOTLINE_REQUEST = "hotline_request", "热线诉求办理"
    JUDICIAL_CONFIRMATION = "judicial_confirmation", "司法确认申请"
    RETURN_VISIT = "return_visit", "首次回访"


class CrossingKind(LabelledEnum):
    """A step of a case between centers (docs/crossings.md)."""

    REPORT_UP = "report_up", "上报"
    ASSIGN_DOWN = "assign_down", "交办"
    RETURN = "return", "回退"
    CO_HANDLE = "co_handle", "联办"
    FEEDBACK = "feedback", "反馈"


class ClockColour(LabelledEnum):
    GREEN = "green", "绿"
    YELLOW = "yellow", "黄"
    RED = "red", "红"


class ExtensionStatus(LabelledEnum):
    """A department's request for more days on a stage (延期申请), and the head's decision."""

    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class DiversionBody(LabelledEnum):
    """Bodies outside the center a case can be diverted to (分流)."""

    VILLAGE_COMMITTEE = "village_committee", "村（社区）人民调解委员会"
    COURT_PRE_LITIGATION = "court_pre_litigation", "人民法院诉前调解"
    PETITION_OFFICE = "petition_office", "信访部门"
    DEPARTMENT = "department", "职能部门"


class MediatorRole(LabelledEnum):
    LEAD = "lead", "主办"
    CO = "co", "协办"


class RecusalOutcome(LabelledEnum):
    PROCEED = "proceed", "无需回避"
    RECUSED = "recused", "回避"
