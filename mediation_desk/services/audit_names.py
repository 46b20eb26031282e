"""The audit log in words a head reads: the Chinese name of every action and object kind the code
writes, and an entry's details as Chinese field names with their values.

The log keeps machine keys (``case.register``, ``create_department``, ``{"witness": 12}``): they
are hashed into the chain and must never change. This module only names them for the screens and
the ``audit list`` command. ``tests/test_audit_names.py`` collects every action and object kind the
code writes, and the detail keys written beside them, from the source: a new one fails that test
until it is named here.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..models import AttachmentKind, CaseState, RatingChannel, RatingLevel, Role, TransferTarget

#: Action key → its Chinese name.
ACTION_NAMES: dict[str, str] = {
    # sessions and accounts
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "unlock": "解除锁屏",
    "unlock_failed": "解除锁屏失败",
    "account_locked": "账户锁定",
    "create_user": "新建账户",
    "set_password": "重设密码",
    "change_password": "修改密码",
    "activate_user": "启用账户",
    "deactivate_user": "停用账户",
    "access.refused": "拒绝访问",
    # reading cases
    "case.open": "查看案件个人信息",
    "case.list": "查看案件列表",
    "case.search": "搜索案件",
    # registering and the workflow (workflow.Action)
    "case.register": "登记案件",
    "case.import": "批量导入案件",
    "case.import_packet": "导入移送材料包",
    "case.accept": "受理案件",
    "case.reject": "不予受理",
    "case.divert": "分流案件",
    "case.assign": "分派案件",
    "case.start_mediation": "开始调解",
    "case.succeed": "调解成功",
    "case.fail": "调解不成",
    "case.withdraw": "撤回申请",
    "case.transfer": "移送法院或转办部门",
    "case.submit_for_review": "提交结案审核",
    "case.approve_closure": "审核结案",
    "case.send_back": "驳回重办",
    "case.reopen": "重新调解",
    "case.assignment": "调整承办团队和调解员",
    "case.route": "改派承办团队",
    "case.flags": "修改案件统计标记",
    "case.diversion_feedback": "登记分流反馈",
    "case.report_up": "上报案件",
    "case.assign_down": "交办案件",
    "case.return": "回退案件",
    "case.co_handle": "发起联办",
    "case.feedback": "联办或交办反馈",
    "case.extend": "延长调解期限",
    "case.supervise": "督办案件",
    "case.supervision_answer": "答复督办",
    "case.terminate": "调解终结",
    "case.return_visit": "登记回访",
    "case.reopen_from_visit": "根据回访重新调解",
    "case.retention_archive": "到期案件归档",
    "case.retention_dry_run": "试算到期归档",
    # the case's papers
    "record.add_investigation": "新建调查记录",
    "record.add_mediation": "新建调解记录",
    "record.update_investigation": "修改调查记录",
    "record.update_mediation": "修改调解记录",
    "record.sign_investigation": "调查记录签名确认",
    "record.sign_mediation": "调解记录签名确认",
    "agreement.draft": "起草调解协议",
    "agreement.save": "保存调解协议",
    "agreement.sign": "调解协议签署",
    "undisputed_facts.save": "保存无争议事实",
    "undisputed_facts.sign": "无争议事实签字确认",
    "confirmation.apply": "申请司法确认",
    "confirmation.accept": "登记法院受理司法确认",
    "confirmation.decide": "登记司法确认结果",
    "witness.add": "登记证人",
    "witness.edit": "修改证人",
    "witness.remove": "删除证人",
    "evidence.describe": "说明证据来源和证明目的",
    "attachment.add": "添加材料",
    "attachment.remove": "删除材料",
    "scanback.run": "识别回扫的签字页",
    "scanback.file": "归档回扫的签字页",
    "scanback.file_unmatched": "手工归档未识别的页面",
    "scanback.discard": "丢弃未识别的页面",
    "document.print": "打印文书",
    "document.save": "保存文书",
    "document.export": "导出文书",
    # transfers
    "transfer.packet": "生成移送材料包",
    "transfer.sent": "登记已移送",
    "transfer.received": "登记对方已接收",
    "transfer.filed": "登记法院立案",
    "transfer.outcome": "登记移送结果",
    # the center
    "center.first_run": "首次设置",
    "set_setting": "修改中心设置",
    "create_department": "新建进驻部门",
    "update_department": "修改进驻部门",
    "deactivate_department": "停用进驻部门",
    "reactivate_department": "恢复进驻部门",
    "create_team": "新建调解团队",
    "update_team": "修改调解团队",
    "deactivate_team": "停用调解团队",
    "reactivate_team": "恢复调解团队",
    "create_mediator": "新建调解员",
    "update_mediator": "修改调解员",
    "deactivate_mediator": "停用调解员",
    "reactivate_mediator": "恢复调解员",
    "create_center": "新建中心",
    "update_center": "修改中心",
    "center.enrolment_export": "生成入驻文件",
    "center.enrolment": "导入入驻文件",
    "center.profile": "设置本中心文书上的地址、电话和人民调解委员会名称",
    "calendar.set": "设置节假日或调休",
    "calendar.remove": "删除节假日或调休",
    "clock.set_limit": "修改办理期限",
    "clock.remove_limit": "删除办理期限规则",
    "card.give": "黄牌红牌督办",
    "card.extension_request": "提出延期申请",
    "card.extension_approve": "批准延期申请",
    "card.extension_refuse": "不予批准延期申请",
    "room.save": "设置调解室",
    "session.schedule": "安排调解会",
    "session.update": "修改调解会",
    "session.cancel": "取消调解会",
    "session.export_ics": "导出调解会日程",
    "publicity.approve": "公示审核通过",
    "publicity.print": "打印公示",
    "publicity.print_refused": "拒绝打印未审核的公示",
    "publicity.web": "生成公示网页",
    "publicity.feedback": "设置本中心公示网页的反馈方式",
    "case.import_crossing": "导入流转材料包",
    "rating.record": "录入窗口服务评价",
    "publicity.web_refused": "拒绝生成公示网页（存档校验不符）",
    "report.export": "导出统计报表",
    "report.levels_export": "导出矛盾纠纷排查调处情况表",
    "report.briefing_export": "导出矛盾纠纷风险研判报告",
    "briefing.grade": "调整风险研判等级",
    "city.publish": "设置向市级汇总发布的区县代码",
    "subsidy.rules_create": "新建以案定补规则",
    "subsidy.rules_change": "修改以案定补规则",
    "subsidy.issue": "出具以案定补结算",
    "subsidy.print": "打印以案定补结算",
    "hotline.sign": "签收 12345 工单",
    "hotline.contact": "记录 12345 工单首次联系",
    "hotline.export": "导出 12345 回传文件",
    "hotline.weights": "修改 12345 三率权重",
    "demo.seed": "生成演示数据",
    # the database and the log itself
    "audit.key_export": "导出审计密钥",
    "audit.key_import": "导入审计密钥",
    "audit.purge": "清理过期审计记录",
    "backup": "备份数据库",
    "restore": "从备份恢复数据库",
    "encrypt": "加密数据库文件",
    "decrypt": "导出不加密的数据库副本",
    "trust_filesystems": "修改可信的本地文件系统",
}

#: Object kind (the entry's ``entity``) → its Chinese name.
ENTITY_NAMES: dict[str, str] = {
    "case": "案件",
    "user": "账户",
    "city": "市级汇总",
    "access": "访问",
    "attachment": "材料",
    "audit_entry": "审计日志",
    "audit_key": "审计密钥",
    "center": "中心",
    "center_setting": "中心设置",
    "database": "数据库",
    "department": "进驻部门",
    "desk": "本机",
    "holiday": "节假日",
    "mediator": "调解员",
    "publicity_snapshot": "公示",
    "report": "统计报表",
    "subsidy_rules": "以案定补规则",
    "subsidy_statement": "以案定补结算",
    "hotline_order": "12345 工单",
    "hotline_export": "12345 回传文件",
    "room": "调解室",
    "service_rating": "窗口服务评价",
    "team": "调解团队",
    "time_limit": "办理期限",
    "transfer": "移送记录",
    "unmatched_page": "未识别的回扫页",
}

#: Detail key → its Chinese name (``workstation`` and ``result`` have columns of their own).
DETAIL_NAMES: dict[str, str] = {
    "accepted_on": "受理日期", "address": "地址", "admin": "管理员", "after": "修改后", "agreement": "协议编号",
    "all_pages": "全部页面", "code": "区县代码", "already": "此前已有", "applied_on": "申请日期", "approved": "已审核",
    "attachment": "材料编号", "before": "修改前", "blob_kept": "文件内容仍被引用", "bucket": "分组", "by": "操作人",
    "case": "案件", "case_ids": "案件编号", "cases": "案件数", "grade": "调整等级", "proposed": "建议等级",
    "previous": "原等级",
    "center_id": "所属中心编号", "center_ids": "所属中心编号", "co": "协办", "confirmation": "司法确认编号",
    "contact_person": "联系人", "contact_phone": "联系电话", "copies": "份数", "court": "法院", "created": "新建",
    "crossing": "流转编号", "sender_prefix": "发送中心案号前缀", "created_case": "新建案件副本",
    "work_added": "带回新增的办理情况", "work_updated": "带回更新的办理情况",
    "case_id": "案件编号", "rating": "评价", "channel": "评价方式", "reasons": "不满意原因",
    "due_on": "办理期限", "materials": "随附材料编号",
    "cutoff": "截止时间", "data_sha256": "数据校验值", "day": "日期", "days": "天数", "decided_on": "裁定日期",
    "declared_relations": "申报的亲属关系", "department_id": "进驻部门编号", "departments": "进驻部门",
    "is_major": "重大矛盾纠纷", "may_turn_criminal": "可能民转刑", "may_group_petition": "可能引发群体性上访",
    "descending": "倒序", "desk_time": "本机时间", "dispute_type_id": "纠纷类型编号",
    "dispute_type_ids": "纠纷类型编号", "diversion": "分流编号", "document": "文书编号",
    "dossier_missing": "卷宗缺少", "dossier_sha256": "卷宗校验值", "due": "应回访日期", "duplicates": "重复",
    "effective_on": "生效日期", "errors": "错误", "feedback": "反馈", "figure": "统计项", "file": "文件",
    "filed": "已立案", "filed_number": "立案案号", "filed_on": "立案日期", "filename": "文件名",
    "files": "文件数", "finding": "回访发现", "first_kept_id": "保留的第一条记录编号", "folder": "文件夹",
    "from": "原状态", "from_team": "原调解团队", "imported": "已导入", "instruction": "督办要求",
    "is_workday": "是否工作日",
    "key": "设置项", "kind": "类别", "level": "层级", "parent_id": "上级中心编号", "prefix": "案号前缀",
    "active": "启用", "last_purged_hash": "最后清理记录的校验值", "late_reason": "逾期理由",
    "lead": "承办调解员", "lead_mediator_id": "承办调解员编号", "left_on": "离开日期", "left_teams": "离开的团队",
    "limit": "期限", "mediator_id": "调解员编号", "member_ids": "成员编号", "message": "提示", "method": "方式",
    "month": "月份", "name": "名称", "note": "备注", "number": "案号", "numbers": "案号", "offset": "偏移",
    "order": "督办编号", "origin_case_number": "原案号", "origin_center": "移送中心", "outcome_on": "结果日期",
    "packet_id": "材料包编号", "packet_sha256": "材料包校验值", "page": "页码", "pages": "页数",
    "party_id": "提出证人的当事人", "pdf_sha256": "PDF 校验值", "performance": "履行情况", "period": "统计期间",
    "committee": "人民调解委员会名称",
    "phone": "电话", "email": "电子邮箱", "plans": "回访计划", "presence": "进驻方式", "proves": "证人能证明的事实",
    "purpose": "用途", "reason": "原因", "received_from": "登记起始日", "received_on": "接收日期",
    "received_to": "登记截止日", "record": "记录编号", "recusal": "回避", "refused": "被拒绝",
    "removed": "删除数", "removed_ids": "删除的编号", "repeat_of": "重复来访的原案件", "result": "结果",
    "retain_until": "保存至", "revision": "数据库版本", "role": "角色", "rota": "值班安排", "rows": "行数",
    "safety_backup": "恢复前的安全备份", "satisfaction": "满意度", "sent_at": "移送时间", "sha256": "校验值",
    "signed_on": "签署日期", "size": "大小", "sort": "排序", "source": "来源", "specialties": "擅长领域",
    "stage": "阶段", "states": "状态", "statistic": "统计口径", "target": "去向", "target_name": "接收单位",
    "team": "调解团队", "team_ids": "调解团队编号", "terminated_on": "终结日期", "terms": "协议条款",
    "to": "新状态", "type": "类型", "unmatched": "未识别页数", "until": "截至", "username": "用户名",
    "value": "值", "visit": "回访编号", "visited_on": "回访日期", "vouched": "担保的记录", "what": "操作",
    "witness": "证人编号", "words": "检索词", "working": "工作日", "workstation": "工作站", "yellow": "黄灯",
    # 以案定补 (services/subsidies.py)
    "draft": "草稿", "effective_month": "起始月份", "rules": "规则", "total_fen": "合计金额（分）",
    # cards and extension requests (services/cards.py)
    "card": "督办牌编号", "card_ids": "督办牌编号", "cards": "督办牌数", "colour": "督办牌颜色",
    "request": "延期申请编号",
    # mediation sessions and rooms
    "session": "调解会编号", "room": "调解室", "starts": "开始时间", "ends": "结束时间",
    "confirmed": "已确认提醒", "capacity": "容纳人数", "sessions": "调解会数",
    "first_day": "起始日期", "last_day": "截止日期",
    # 12345 work orders (services/hotline.py)
    "order_no": "工单编号", "at": "时间", "since": "起始时间", "format": "格式", "orders": "工单数",
    "weights": "权重",
    # enrolment files (exchange/enrolment.py)
    "enrolment_id": "入驻文件编号", "updated": "修改", "dispute_types": "新增纠纷类型",
    "numbers_from": "案号接续（年份：县级已有的最后序号）",
}

#: Detail values that are stored keys of an enumeration, shown by their label.
_VALUE_LABELS: dict[str, dict[str, str]] = {
    "from": {s.value: s.label for s in CaseState},
    "to": {s.value: s.label for s in CaseState},
    "states": {s.value: s.label for s in CaseState},
    "role": {r.value: r.label for r in Role},
    "target": {t.value: t.label for t in TransferTarget},
    "purpose": {"view": "查看", "ui": "界面操作", "cli": "命令行", "upgrade": "数据库升级"},
    "reason": {"wrong_password": "密码错误", "unknown_user": "没有该用户", "inactive": "账户已停用",
               "locked": "账户已锁定", "user": "用户退出", "signed_out": "用户退出", "window_closed": "关闭窗口",
               "idle": "空闲超时"},
    "kind": {k.value: k.label for k in AttachmentKind},
    "rating": {r.value: r.label for r in RatingLevel},
    "channel": {c.value: c.label for c in RatingChannel},
    # A case list's order (services.caselist.SortKey), by its column's header.
    "sort": {"received": "收案时间", "number": "案号", "state": "状态", "dispute_type": "纠纷类型", "team": "调解团队",
             "updated": "最后更新", "relevance": "相关度"},
}


@lru_cache(maxsize=1)
def _kind_labels() -> dict[str, str]:
    """A detail ``kind``: an attachment's kind, or a printed document's kind by its title."""
    from ..documents.kinds import TITLES  # the documents' titles (no reportlab)

    return {**TITLES, **_VALUE_LABELS["kind"]}


def action_name(action: str) -> str:
    """The action's Chinese name (an action from a newer program shows as its key)."""
    return ACTION_NAMES.get(action, action)


def entity_name(entity: str) -> str:
    return ENTITY_NAMES.get(entity, entity)


def detail_name(key: str) -> str:
    return DETAIL_NAMES.get(key, key)


def _value(key: str, value: Any) -> str:
    """A detail's value in words (a state or role by its label, yes/no, lists joined by 、)."""
    labels = _kind_labels() if key == "kind" else _VALUE_LABELS.get(key, {})
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(_value(key, item) for item in value) if value else "（无）"
    if isinstance(value, dict):
        return "，".join(f"{detail_name(k)} {_value(k, v)}" for k, v in value.items())
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def detail_text(detail: dict[str, Any], action: str = "", *,
                skip: frozenset[str] = frozenset({"workstation", "result"})) -> str:
    """An entry's details as "名称：值" in Chinese, joined by "；". A correction reads as one change
    per field, "住址：网格站 → 甘州区南街": its ``before`` and ``after``, or an ``update_…`` action's
    ``[old, new]`` pairs."""
    parts: list[str] = []
    pairs = action.startswith("update_")
    before, after = detail.get("before"), detail.get("after")
    paired = isinstance(before, dict) and isinstance(after, dict)
    for key, value in detail.items():
        if key in skip or (paired and key in ("before", "after")):
            continue
        if pairs and isinstance(value, list) and len(value) == 2:
            parts.append(f"{detail_name(key)}：{_value(key, value[0])} → {_value(key, value[1])}")
        else:
            parts.append(f"{detail_name(key)}：{_value(key, value)}")
    if paired:
        assert isinstance(before, dict) and isinstance(after, dict)
        for key in dict.fromkeys([*before, *after]):
            parts.append(f"{detail_name(key)}：{_value(key, before.get(key))} → {_value(key, after.get(key))}")
    return "；".join(parts)


__all__ = ["ACTION_NAMES", "DETAIL_NAMES", "ENTITY_NAMES", "action_name", "detail_name", "detail_text",
           "entity_name"]
