"""The registration's suggested title and the stock phrases per dispute type (services.phrases)."""

from __future__ import annotations

from mediation_desk.services.phrases import MOST, phrases_for, suggested_title
from mediation_desk.services.reference import DEFAULT_DISPUTE_TYPES


def test_the_title_is_built_from_the_parties_and_the_type() -> None:
    assert suggested_title(["张三", "李四"], ["甘州区宏远建筑劳务有限公司"], "劳动争议") == \
        "张三等与甘州区宏远建筑劳务有限公司劳动争议"
    assert suggested_title(["张三"], ["李四", "王五"], "邻里") == "张三与李四等邻里纠纷"
    assert suggested_title([" 张三 ", ""], [], "合同纠纷") == "张三合同纠纷"  # a type naming 纠纷 keeps it once
    # Nothing to suggest until an applicant and the type are known.
    assert suggested_title([], ["李四"], "邻里") == ""
    assert suggested_title(["张三"], ["李四"], "") == ""


def test_every_default_type_has_phrases_and_an_unknown_one_the_general_ones() -> None:
    general = phrases_for("本中心自设的类型")
    assert general.facts and general.requests
    for name, _private in DEFAULT_DISPUTE_TYPES:
        offered = phrases_for(name)
        assert offered.facts and offered.requests, name
        assert len(offered.facts) <= MOST and len(offered.requests) <= MOST, name  # Alt+1 … Alt+9
        assert all(r.startswith("请求") for r in offered.requests), name
    assert phrases_for(" 劳动争议 ").requests[0] == "请求支付拖欠工资"
