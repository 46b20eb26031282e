"""What a registration says most often, per dispute type: a suggested title built from the parties,
and the stock phrases of the facts and the requests the intake form offers on Alt+1 … Alt+9.

The phrases are the ones 人民调解 registers use again and again for each kind of dispute; the
dispute types are matched by name (a center's own type falls back to the general phrases).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: How many phrases a field offers (Alt+1 … Alt+9).
MOST = 9


@dataclass(frozen=True)
class Phrases:
    facts: tuple[str, ...]
    requests: tuple[str, ...]


_GENERAL = Phrases(
    facts=("双方协商未果", "多次协商无果", "现申请调解"),
    requests=("请求依法调解", "请求赔偿损失", "请求返还财物"),
)

_BY_TYPE: dict[str, Phrases] = {
    "劳动争议": Phrases(
        facts=("工资至今未付", "多次催要无果", "未签订劳动合同", "被公司辞退", "工作中受伤"),
        requests=("请求支付拖欠工资", "请求支付经济补偿金", "请求支付加班费", "请求支付未签劳动合同二倍工资",
                  "请求补缴社会保险费", "请求支付工伤待遇"),
    ),
    "拖欠农民工工资": Phrases(
        facts=("工资至今未付", "多次催要无果", "工程已完工", "包工头下落不明"),
        requests=("请求支付拖欠工资", "请求支付拖欠的劳务费", "请求出具欠条"),
    ),
    "婚姻家庭": Phrases(
        facts=("双方感情破裂", "子女由一方抚养", "老人无人赡养"),
        requests=("请求支付抚养费", "请求支付赡养费", "请求分割共同财产", "请求返还彩礼"),
    ),
    "邻里": Phrases(
        facts=("双方多次发生口角", "影响正常生活", "协商未果"),
        requests=("请求停止侵害", "请求排除妨碍", "请求恢复原状", "请求赔偿损失"),
    ),
    "房屋宅基地": Phrases(
        facts=("双方对界址有争议", "协商未果"),
        requests=("请求确认宅基地界址", "请求排除妨碍", "请求返还押金", "请求协助办理过户"),
    ),
    "合同": Phrases(
        facts=("对方未按约定履行", "货款至今未付", "借款到期未还"),
        requests=("请求支付货款", "请求归还借款", "请求解除合同", "请求支付违约金"),
    ),
    "损害赔偿": Phrases(
        facts=("造成财产损失", "造成人身损害", "协商赔偿未果"),
        requests=("请求赔偿损失", "请求支付医疗费", "请求赔礼道歉"),
    ),
    "山林土地": Phrases(
        facts=("双方对界址有争议", "租金至今未付"),
        requests=("请求确认土地承包经营权", "请求支付土地流转租金", "请求排除妨碍"),
    ),
    "道路交通事故": Phrases(
        facts=("交警部门已出具事故认定书", "双方就赔偿协商未果"),
        requests=("请求赔偿医疗费", "请求赔偿误工费", "请求赔偿车辆损失"),
    ),
    "物业": Phrases(
        facts=("物业费至今未缴", "物业服务不到位"),
        requests=("请求支付物业服务费", "请求履行物业服务义务", "请求退还停车费"),
    ),
    "消费": Phrases(
        facts=("商品存在质量问题", "商家拒绝退换"),
        requests=("请求退货退款", "请求更换商品", "请求赔偿损失"),
    ),
}


def phrases_for(dispute_type: str) -> Phrases:
    """The stock phrases of ``dispute_type`` (by name), else the general ones; at most :data:`MOST` each."""
    found = _BY_TYPE.get(dispute_type.strip(), _GENERAL)
    return Phrases(found.facts[:MOST], found.requests[:MOST])


def suggested_title(applicants: Sequence[str], respondents: Sequence[str], dispute_type: str) -> str:
    """张三等与某某公司劳动争议 (纠纷 added unless the type names one already), from the names as
    typed; empty until an applicant and the type are known."""
    applicants = [name.strip() for name in applicants if name.strip()]
    respondents = [name.strip() for name in respondents if name.strip()]
    kind = dispute_type.strip()
    if not applicants or not kind:
        return ""
    title = applicants[0] + ("等" if len(applicants) > 1 else "")
    if respondents:
        title += "与" + respondents[0] + ("等" if len(respondents) > 1 else "")
    if not kind.endswith(("纠纷", "争议")):
        kind += "纠纷"
    return title + kind
