"""Where the demo's people live and its disputes happen: a county's townships, villages and
streets, drawn so that a household comes up again about as rarely as in a real county.

Before, every case of the demo took one of 170 addresses (town × village): on a million cases the
风险研判 found 245,692 cases at 170 "repeat places" (services/briefing.py ``place_key``). Here a
rural household is 镇 + 村 + 社 + 门牌号 and a town one 街道 + 社区 + 小区 + 楼/单元/室 (or a
shop front on a road), about 1.6 million addresses in all; a few places where disputes really do
gather (:data:`HOT_SPOTS`) take a small share of the cases, so the briefing's repeat places have
something true to show.

Everything is drawn from the :class:`Places`' own random stream, so the cases' other draws stay
those of the same seed.
"""

from __future__ import annotations

import math
import random

COUNTY = "张掖市甘州区"

#: Each town's villages (村): sixteen a town, 176 in all (the real 甘州区 has about 245).
VILLAGES_OF: dict[str, tuple[str, ...]] = {
    "梁家墩镇": ("五里墩村", "梁家墩村", "太平堡村", "迎恩村", "清凉寺村", "刘家沟村",
        "四号村", "六号村", "周家庄村", "大闸村",
        "刘家庄村", "清凉村", "太平村", "新庄村", "吴家庄村", "杨家庄村"),
    "上秦镇": ("上秦村", "徐赵寨村", "王阜庄村", "金家湾村", "高升庵村", "东王堡村",
        "缪家堡村", "安家庄村", "下秦村", "付家寨村",
        "东泉村", "西闸村", "南湾村", "王家堡村", "朱家堡村", "河满村"),
    "大满镇": ("大满村", "朱家庄村", "马均村", "新华村", "紫家寨村", "平顺村",
        "李家墩村", "小堡村", "黑城村", "四号村",
        "西闸村", "东闸村", "李家寨村", "什信村", "新庄子村", "城北村"),
    "沙井镇": ("沙井村", "小闸村", "东三村", "西六村", "坝庙村", "兴隆村",
        "瞭马墩村", "梁家堡村", "南沟村", "古寨村",
        "九闸村", "五个墩村", "南湾村", "先锋村", "新沟村", "杨家闸村"),
    "乌江镇": ("乌江村", "大湾村", "敬依村", "平原村", "小湾村", "管寨村",
        "谢家湾村", "元丰村", "东湖村", "安镇村",
        "贾家寨村", "天乐村", "永丰村", "闸湾村", "小湾子村", "东升村"),
    "甘浚镇": ("甘浚村", "星光村", "巴吉村", "毛家寺村", "速展村", "高家庄村",
        "中沟村", "东寺村", "西洞村", "工农村",
        "晨光村", "西洞堡村", "光明村", "谈家洼村", "东湾村", "小泉村"),
    "新墩镇": ("新墩村", "城儿闸村", "双塔村", "流泉村", "南华村", "西关村",
        "柏闸村", "隋家寺村", "北关村", "园艺村",
        "南闸村", "北闸村", "双墩子村", "红星村", "王家墩村", "新民村"),
    "党寨镇": ("党寨村", "陈寨村", "汪家堡村", "小满村", "廿里堡村", "马站村",
        "沿沟村", "十号村", "杨家墩村", "烟墩村",
        "雷寨村", "中卫村", "宋王寨村", "上寨村", "下寨村", "三工村"),
    "碱滩镇": ("碱滩村", "古城村", "野水地村", "刘家庄村", "杨家庄村", "太平村",
        "二坝村", "三坝村", "老寺庙村", "草原村",
        "普家庄村", "甲子墩村", "永星村", "幸福村", "新西村", "东湾村"),
    "三闸镇": ("三闸村", "新建村", "杨家寨村", "红沙窝村", "天乐村", "草湖村",
        "瓦窑村", "韩家闸村", "庚名村", "新开村",
        "高寨村", "瞭马墩村", "兴隆村", "新庄村", "二闸村", "草湖滩村"),
    "明永镇": ("明永村", "下崖村", "沿河村", "燎烟村", "上游村", "永和村",
        "孙家闸村", "中南村", "武家闸村", "夹河村",
        "永济村", "沿河湾村", "双泉村", "新华村", "上崖村", "下游村"),
}

#: Each street's (街道) communities (社区) and their housing estates (小区).
COMMUNITIES_OF: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "东街街道": (
        ("东环路社区", ("金源小区", "东湖花园", "祁连家园")),
        ("青年街社区", ("青年小区", "锦绣华庭", "润泉湖小区")),
        ("泰安社区", ("泰安小区", "阳光嘉苑", "名都花园")),
    ),
    "南街街道": (
        ("馨园社区", ("馨园小区", "丽水花园", "欣悦小区")),
        ("南关社区", ("南关小区", "玉水苑", "甘泉花园")),
        ("县府街社区", ("县府街小区", "鑫海花园", "明珠花园")),
    ),
    "西街街道": (
        ("西关社区", ("西关小区", "湿地花园", "西湖小区")),
        ("甘泉社区", ("甘泉小区", "水韵名城", "金海岸小区")),
        ("民主西街社区", ("民主小区", "润泽园", "康居小区")),
    ),
    "北街街道": (
        ("北环路社区", ("北环小区", "新乐小区", "丹霞苑")),
        ("仓后街社区", ("仓后小区", "紫荆花园", "华丰小区")),
        ("北大街社区", ("北苑小区", "同心家园", "天润华府")),
    ),
    "火车站街道": (
        ("站前社区", ("站前小区", "铁路家属院", "滨河新区")),
        ("玉关社区", ("玉关小区", "怡景园", "恒大名都")),
        ("滨河社区", ("滨河小区", "芦水湾", "国际花园")),
    ),
    "新墩街道": (
        ("新墩社区", ("新墩小区", "嘉禾园", "翠苑小区")),
        ("流泉社区", ("流泉小区", "福苑小区", "湖畔家园")),
        ("兴隆社区", ("兴隆小区", "润和园", "盛世家园")),
    ),
}

#: Roads of the town, for shops and offices (门面): road + number.
ROADS = ("县府街", "青年西街", "长沙门路", "南环路", "北环路", "西环路", "东环路", "民主西街", "甘州南路", "甘州北路",
         "环城南路", "仓后街", "北大街", "南大街", "马神庙街", "劳动街", "泰安路", "玉关路", "滨河路", "丹霞路")

#: The demo's companies and where each is registered (one address each, as on its licence).
COMPANY_ADDRESSES: dict[str, str] = {
    "张掖市金源物业服务有限公司": f"{COUNTY}东街街道东环路社区金源小区物业服务中心",
    "甘州区宏达建筑工程有限公司": f"{COUNTY}甘州南路218号",
    "张掖市绿洲农业发展有限公司": f"{COUNTY}党寨镇陈寨村十社1号",
    "甘州区鑫盛商贸有限责任公司": f"{COUNTY}县府街56号",
    "张掖市祁连劳务派遣有限公司": f"{COUNTY}北环路102号",
    "甘州区恒通汽车运输有限公司": f"{COUNTY}火车站街道玉关路88号",
}

#: Places where disputes really do gather (a housing estate's management, a building site, a
#: market, a livestock yard, a quarrelsome courtyard): (town, village or community, address, the
#: dispute types drawn to it). Their spelling keeps the briefing's place_key of the loop's story
#: place (demo/loop.py: 梁家墩镇五里墩村三社 12 号).
HOT_SPOTS: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    ("南街街道", "馨园社区", f"{COUNTY}南街街道馨园社区馨园小区", frozenset({"物业", "消防", "邻里"})),
    ("新墩镇", "城儿闸村", f"{COUNTY}新墩镇城儿闸村安置小区建设工地", frozenset({"拖欠农民工工资", "劳动争议"})),
    ("梁家墩镇", "五里墩村", f"{COUNTY}梁家墩镇五里墩村三社12号", frozenset({"邻里", "婚姻家庭", "房屋宅基地"})),
    ("火车站街道", "玉关社区", f"{COUNTY}火车站街道玉关路农贸市场", frozenset({"消费", "合同", "生产经营"})),
    ("党寨镇", "陈寨村", f"{COUNTY}党寨镇陈寨村养殖小区", frozenset({"环境污染", "山林土地", "损害赔偿"})),
)
#: The share of cases at a hot spot (of a type it draws): at 100,000 cases about 40 a spot a year…
HOT_SPOT_SHARE = 0.004
#: … and no more than 0.4 % of this many cases in all, whatever the demo's size.
HOT_SPOT_CASES = 100_000

_GROUPS, _DOORS = 12, 400  # a village's 社 and door numbers
_SHOPS = 600  # door numbers of a road
_FLATS = 30 * 6 * 18 * 4  # an estate's buildings × units × floors × flats a floor

_NUMERALS = "一二三四五六七八九十"


def she(n: int) -> str:
    """A village group's (社) name: 1 → 一社, 12 → 十二社."""
    if n <= 10:
        return _NUMERALS[n - 1] + "社"
    return "十" + _NUMERALS[n - 11] + "社"


class Places:
    """Households and dispute places, on a random stream of their own.

    Each village (each community's estates, the town's shop fronts) hands out its households in
    an order drawn once — a random step through all of them — so a household comes up again only
    after every other one of its village has: on 100,000 cases, never within the briefing's 90 days
    (on a million, about every 220 days). The repeat places are then the :data:`HOT_SPOTS` (and
    the loop's story), as in a real county where the same door twice in a quarter is news.
    """

    def __init__(self, rng: random.Random, cases: int, orders: dict[str, list[int]] | None = None) -> None:
        self.rng = rng
        #: Per village: [step, start, drawn so far] of its order of households; shared by the
        #: centers of one demo (``orders``), so a township's people are not the county's again.
        self._orders: dict[str, list[int]] = {} if orders is None else orders
        # About HOT_SPOT_SHARE of the cases, but no spot a quarter of the county's disputes at a million.
        self.hot_share = HOT_SPOT_SHARE * min(1.0, HOT_SPOT_CASES / max(cases, 1))

    def village(self, town: str) -> str:
        """One of the town's villages, or of the street's communities."""
        if town in VILLAGES_OF:
            return self.rng.choice(VILLAGES_OF[town])
        return self.rng.choice(COMMUNITIES_OF[town])[0]

    def _next(self, key: str, size: int) -> int:
        """The next household (0 … size - 1) of ``key``'s order."""
        order = self._orders.get(key)
        if order is None:
            step = self.rng.randrange(size // 4, 3 * size // 4)
            while math.gcd(step, size) != 1:
                step += 1
            order = self._orders[key] = [step, self.rng.randrange(size), 0]
        step, start, drawn = order
        order[2] = drawn + 1
        return (start + step * drawn) % size

    def household(self, town: str, village: str) -> str:
        """A household's address in ``village`` of ``town``: 社 and door number in the country
        (12 groups of up to 400 doors a village), an estate's flat or a shop front in town."""
        if town in VILLAGES_OF:
            n = self._next(town + village, _GROUPS * _DOORS)
            return f"{COUNTY}{town}{village}{she(n % _GROUPS + 1)}{n // _GROUPS + 1}号"
        if self.rng.random() < 0.05:
            n = self._next("", len(ROADS) * _SHOPS)
            return f"{COUNTY}{ROADS[n % len(ROADS)]}{n // len(ROADS) + 1}号"
        estates = dict(COMMUNITIES_OF[town]).get(village) or COMMUNITIES_OF[town][0][1]
        n = self._next(town + village, len(estates) * _FLATS)
        n, estate = divmod(n, len(estates))
        n, building = divmod(n, 30)
        n, unit = divmod(n, 6)
        floor, room = divmod(n, 4)
        return f"{COUNTY}{town}{village}{estates[estate]}{building + 1}号楼{unit + 1}单元{floor + 1}{room + 1:02d}室"

    def hot_spot(self, type_name: str) -> tuple[str, str, str] | None:
        """(town, village, address) when this case happens at one of the :data:`HOT_SPOTS`."""
        if self.rng.random() >= self.hot_share:
            return None
        spots = [s for s in HOT_SPOTS if type_name in s[3]]
        if not spots:
            return None
        town, village, address, _types = self.rng.choice(spots)
        return town, village, address
