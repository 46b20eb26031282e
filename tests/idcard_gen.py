"""Synthetic 居民身份证 images for the ID-card reader's tests and benchmark (``bench/idcard.py``).

Drawn with the shipped fonts on the card's layout (85.6 × 54 mm): the front's 姓名 / 性别 / 民族 /
出生 / 住址 / 公民身份号码 and the back's 签发机关 / 有效期限, on a tinted guilloche background with a
photo block and an emblem block. Then scanned badly on purpose: rotated up to a few degrees,
placed on a scanner bed, blurred, speckled and JPEG-compressed.

Every card is reproducible from its seed. ``Card.truth`` is what a perfect reading gives;
``Card.defect`` names the deliberate inconsistency of a bad card (wrong check digit, birth date
or sex that disagrees with the number).
"""

from __future__ import annotations

import io
import lzma
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from mediation_desk.services.validation import resident_id_check_char

FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"
SANS = FONTS / "NotoSansCJKsc-Regular.ttf"
SERIF = FONTS / "NotoSerifCJKsc-Regular.ttf"
RARE = FONTS / "MediationDeskRareHan.ttf.xz"

#: Pixels per millimetre of the drawn card (≈ 300 dpi, what a counter scanner gives).
PX_MM = 12
CARD_W, CARD_H = round(85.6 * PX_MM), round(54 * PX_MM)

SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
            "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
            "欧阳", "司马", "诸葛", "上官")
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "春梅", "国庆", "玉兰", "德胜",
         "堃", "喆", "昇", "淼", "鑫", "森", "晶", "琰", "珺", "彧", "婧", "赟", "翀", "昕")
#: Names with characters outside the common set: the OCR's dictionary lacks some of them.
RARE_NAMES = ("吉𠮷", "刘䶮", "王𡒄", "龘", "陈龘", "欧阳䶮")
ETHNICITIES = ("汉", "汉", "汉", "汉", "汉", "汉", "回", "满", "蒙古", "壮", "藏", "维吾尔", "苗", "彝", "土家",
               "朝鲜", "布依", "侗", "瑶", "白", "哈尼", "哈萨克", "傣", "黎")
#: (area code, province and county as written in the address, issuing authority)
AREAS = (
    ("110105", "北京市朝阳区", "北京市公安局朝阳分局"),
    ("310104", "上海市徐汇区", "上海市公安局徐汇分局"),
    ("320102", "江苏省南京市玄武区", "南京市公安局玄武分局"),
    ("330106", "浙江省杭州市西湖区", "杭州市公安局西湖分局"),
    ("340104", "安徽省合肥市蜀山区", "合肥市公安局蜀山分局"),
    ("360726", "江西省安远县", "安远县公安局"),
    ("370202", "山东省青岛市市南区", "青岛市公安局市南分局"),
    ("410523", "河南省汤阴县", "汤阴县公安局"),
    ("420106", "湖北省武汉市武昌区", "武汉市公安局武昌分局"),
    ("430124", "湖南省宁乡市", "宁乡市公安局"),
    ("440305", "广东省深圳市南山区", "深圳市公安局南山分局"),
    ("450103", "广西壮族自治区南宁市青秀区", "南宁市公安局青秀分局"),
    ("510104", "四川省成都市锦江区", "成都市公安局锦江区分局"),
    ("522631", "贵州省黎平县", "黎平县公安局"),
    ("530102", "云南省昆明市五华区", "昆明市公安局五华分局"),
    ("610113", "陕西省西安市雁塔区", "西安市公安局雁塔分局"),
    ("620102", "甘肃省兰州市城关区", "兰州市公安局城关分局"),
    ("650102", "新疆维吾尔自治区乌鲁木齐市天山区", "乌鲁木齐市公安局天山区分局"),
)
VILLAGES = ("城关镇", "新华街道", "东风乡", "长安街道", "红旗镇", "青山乡", "建设路街道", "和平镇", "解放路街道")
STREETS = ("人民路", "解放路", "中山路", "建设路", "幸福里", "和平路", "新村", "团结村", "胜利街", "光明路")


@dataclass(frozen=True)
class Card:
    """One generated card and what it says."""

    seed: int
    name: str
    sex: str  # 男 / 女 as printed
    ethnicity: str  # as printed, without 族
    birth: date  # as printed on the 出生 line
    address: str
    id_number: str  # as printed (may carry a wrong check digit on purpose)
    authority: str
    valid_from: date
    valid_until: date | None  # None: 长期
    #: "" for a consistent card; else "check_digit", "birth" or "sex".
    defect: str = ""
    #: How the image is laid out: "front", "back", "both" (one image, front above back).
    rotation: float = 0.0
    quarter_turns: int = 0  # 0..3: scanned sideways / upside down

    @property
    def truth(self) -> dict[str, str]:
        """The fields exactly as the reader should return them."""
        return {
            "name": self.name, "sex": self.sex, "ethnicity": self.ethnicity,
            "birth_date": self.birth.isoformat(), "address": self.address, "id_number": self.id_number,
            "issuing_authority": self.authority, "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else "长期",
        }


def id_number(area: str, birth: date, sequence: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def make_card(seed: int, *, defect: str = "", rare: bool | None = None, rotation: float | None = None,
              quarter_turns: int = 0) -> Card:
    """A random but reproducible card. ``rare``: a rare-character name (None: one card in 12)."""
    rng = random.Random(seed)
    area, place, authority = rng.choice(AREAS)
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 66))
    male = rng.random() < 0.5
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    number = id_number(area, birth, sequence)
    if rare is None:
        rare = rng.random() < 1 / 12
    name = rng.choice(RARE_NAMES) if rare else rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 1, 2))))
    address = (place + rng.choice(VILLAGES) + rng.choice(STREETS) + f"{rng.randrange(1, 300)}号"
               + (f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(101, 2800)}室"
                  if rng.random() < 0.5 else ""))
    issued = max(date(2005, 1, 1) + timedelta(days=rng.randrange(0, 365 * 20)), birth + timedelta(days=400))
    while True:
        # GB 11643's periods by age at issue; an expired card is renewed (the cards shown at the
        # counter are valid on 2026-12-05, most of them beyond 2029).
        age = (issued - birth).days // 365
        years = 5 if age < 16 else 10 if age < 26 else 20 if age < 46 else None
        if years is None:
            until = None
            break
        until = date(issued.year + years, 3, 1) if (issued.month, issued.day) == (2, 29) else issued.replace(
            year=issued.year + years)
        if until >= date(2029, 1, 1) or until > date(2026, 11, 30):
            break  # still valid, or not yet due for renewal on the bench's day (2026-12-05)
        issued = until
    sex = "男" if male else "女"
    printed_birth = birth
    if defect == "check_digit":
        wrong = rng.choice([c for c in "0123456789X" if c != number[17]])
        number = number[:17] + wrong
    elif defect == "birth":
        printed_birth = birth + timedelta(days=rng.choice((1, 31, 365, -1, -365)))
    elif defect == "sex":
        sex = "女" if male else "男"
    elif defect:
        raise ValueError(defect)
    return Card(seed=seed, name=name, sex=sex, ethnicity=rng.choice(ETHNICITIES), birth=printed_birth,
                address=address, id_number=number, authority=authority, valid_from=issued, valid_until=until,
                defect=defect, rotation=rng.uniform(-5, 5) if rotation is None else rotation,
                quarter_turns=quarter_turns)


# ----------------------------------------------------------------------------- drawing


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    if path.suffix == ".xz":
        return ImageFont.truetype(io.BytesIO(_rare_bytes()), size)
    return ImageFont.truetype(str(path), size)


@cache
def _rare_bytes() -> bytes:
    return lzma.decompress(RARE.read_bytes())


def _has_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """Pillow draws .notdef for a missing glyph: compare with a character no font has."""
    probe = font.getmask("\U000e01ef")  # a variation selector supplement code point: never mapped
    mask = font.getmask(char)
    return bool(mask.size != probe.size or bytes(mask) != bytes(probe))


def _draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int,
               fill: tuple[int, int, int], spacing: float = 0.0) -> float:
    """Text in Noto Sans, any character it lacks in the rare-Han fallback; returns the end x."""
    x, y = xy
    main = _font(SANS, size)
    for char in text:
        font = main if _has_glyph(main, char) else _font(RARE, size)
        draw.text((x, y), char, font=font, fill=fill)
        x += font.getlength(char) + spacing
    return x


def _background(rng: random.Random, tint: tuple[int, int, int]) -> Image.Image:
    card = Image.new("RGB", (CARD_W, CARD_H), tint)
    draw = ImageDraw.Draw(card)
    # Guilloche-like fine lines, as the security print of a real card.
    for _ in range(40):
        y0 = rng.uniform(0, CARD_H)
        amplitude = rng.uniform(5, 30)
        phase = rng.uniform(0, 6.28)
        colour = tuple(max(0, c - rng.randrange(10, 30)) for c in tint)
        import math

        points = [(x, y0 + amplitude * math.sin(x / rng.uniform(40, 90) + phase)) for x in range(0, CARD_W, 8)]
        draw.line(points, fill=colour, width=1)
    return card


def _rounded(card: Image.Image) -> Image.Image:
    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, card.width - 1, card.height - 1), radius=4 * PX_MM, fill=255)
    out = Image.new("RGBA", card.size)
    out.paste(card, (0, 0), mask)
    return out


LABEL = (40, 110, 180)  # the labels are printed blue
INK = (20, 20, 20)


def draw_front(card: Card, rng: random.Random) -> Image.Image:
    image = _background(rng, (236, 240, 238))
    draw = ImageDraw.Draw(image)
    label, value, big = round(2.3 * PX_MM), round(3.2 * PX_MM), round(3.9 * PX_MM)
    lx, vx = 7.5 * PX_MM, 17.5 * PX_MM

    def row(mm: float) -> float:
        return mm * PX_MM

    _draw_text(draw, (lx, row(6.3)), "姓名", label, LABEL, spacing=0.8 * PX_MM)
    _draw_text(draw, (vx, row(5.8)), card.name, value, INK, spacing=0.3 * PX_MM)
    _draw_text(draw, (lx, row(12.3)), "性别", label, LABEL, spacing=0.8 * PX_MM)
    _draw_text(draw, (vx, row(11.8)), card.sex, value, INK)
    _draw_text(draw, (29 * PX_MM, row(12.3)), "民族", label, LABEL, spacing=0.8 * PX_MM)
    _draw_text(draw, (38 * PX_MM, row(11.8)), card.ethnicity, value, INK)
    _draw_text(draw, (lx, row(18.3)), "出生", label, LABEL, spacing=0.8 * PX_MM)
    x = _draw_text(draw, (vx, row(17.8)), f"{card.birth.year}", value, INK)
    x = _draw_text(draw, (x + 0.8 * PX_MM, row(18.3)), "年", label, LABEL)
    x = _draw_text(draw, (x + 0.8 * PX_MM, row(17.8)), f"{card.birth.month}", value, INK)
    x = _draw_text(draw, (x + 0.8 * PX_MM, row(18.3)), "月", label, LABEL)
    x = _draw_text(draw, (x + 0.8 * PX_MM, row(17.8)), f"{card.birth.day}", value, INK)
    _draw_text(draw, (x + 0.8 * PX_MM, row(18.3)), "日", label, LABEL)
    _draw_text(draw, (lx, row(24.3)), "住址", label, LABEL, spacing=0.8 * PX_MM)
    per_line = 11
    for index in range(0, len(card.address), per_line):
        _draw_text(draw, (vx, row(23.8 + 5.0 * index / per_line)), card.address[index:index + per_line], value, INK)
    _draw_text(draw, (lx, row(44.5)), "公民身份号码", label, LABEL, spacing=0.2 * PX_MM)
    _draw_text(draw, (28 * PX_MM, row(43.6)), card.id_number, big, INK, spacing=0.45 * PX_MM)
    # The photo: a grey head and shoulders.
    px, py = 57 * PX_MM, 7 * PX_MM
    draw.rectangle((px, py, px + 24 * PX_MM, py + 31 * PX_MM), fill=(225, 228, 232))
    draw.ellipse((px + 6 * PX_MM, py + 4 * PX_MM, px + 18 * PX_MM, py + 19 * PX_MM), fill=(150, 140, 135))
    draw.pieslice((px + 1 * PX_MM, py + 18 * PX_MM, px + 23 * PX_MM, py + 44 * PX_MM), 180, 360,
                  fill=(70, 75, 90))
    return _rounded(image)


def draw_back(card: Card, rng: random.Random) -> Image.Image:
    image = _background(rng, (238, 236, 226))
    draw = ImageDraw.Draw(image)
    label, value = round(2.3 * PX_MM), round(3.0 * PX_MM)
    # The national emblem: a red disc with yellow stars (a block is enough for the reader).
    draw.ellipse((6 * PX_MM, 5 * PX_MM, 22 * PX_MM, 21 * PX_MM), fill=(200, 30, 30))
    for dx in (0, 4, 8):
        draw.regular_polygon((10 * PX_MM + dx * PX_MM, 11 * PX_MM, 1.2 * PX_MM), 5, fill=(250, 210, 40))
    _draw_text(draw, (30 * PX_MM, 8 * PX_MM), "中华人民共和国", round(4.2 * PX_MM), INK, spacing=0.9 * PX_MM)
    _draw_text(draw, (26 * PX_MM, 17 * PX_MM), "居民身份证", round(6.5 * PX_MM), INK, spacing=2.2 * PX_MM)
    _draw_text(draw, (17 * PX_MM, 37.8 * PX_MM), "签发机关", label, INK, spacing=0.2 * PX_MM)
    _draw_text(draw, (31 * PX_MM, 37.2 * PX_MM), card.authority, value, INK)
    _draw_text(draw, (17 * PX_MM, 44.8 * PX_MM), "有效期限", label, INK, spacing=0.2 * PX_MM)
    until = f"{card.valid_until:%Y.%m.%d}" if card.valid_until else "长期"
    _draw_text(draw, (31 * PX_MM, 44.2 * PX_MM), f"{card.valid_from:%Y.%m.%d}-{until}", value, INK)
    return _rounded(image)


@dataclass(frozen=True)
class Scan:
    """How badly the card is scanned."""

    blur: float = 0.8
    speckle: float = 0.002  # share of pixels turned to dust
    jpeg_quality: int = 60
    noise: float = 6.0  # sensor noise, grey levels


def _scanner(faces: list[Image.Image], card: Card, rng: random.Random, scan: Scan) -> Image.Image:
    margin = 4 * PX_MM
    gap = 10 * PX_MM
    bed = Image.new("RGB", (CARD_W + 2 * margin, len(faces) * CARD_H + (len(faces) - 1) * gap + 2 * margin),
                    (248, 248, 246))
    for index, face in enumerate(faces):
        turned = face.rotate(card.rotation + rng.uniform(-0.5, 0.5), resample=Image.Resampling.BICUBIC,
                             expand=True)
        x = margin + (CARD_W - turned.width) // 2
        y = margin + index * (CARD_H + gap) + (CARD_H - turned.height) // 2
        bed.paste(turned, (x, y), turned)
    if scan.blur:
        bed = bed.filter(ImageFilter.GaussianBlur(scan.blur))
    if scan.noise:
        # Drawn from the card's own generator: Pillow's effect_noise draws from the C library's
        # rand(), whose state is whatever ran before in the process, so the same card came out
        # different after other tests had made cards (and a reading near a threshold flipped).
        import numpy as np

        sensor = np.random.default_rng(rng.randrange(2 ** 32))
        grey = np.clip(sensor.normal(128.0, scan.noise, (bed.height, bed.width)), 0, 255).astype(np.uint8)
        noise = Image.fromarray(grey, "L").convert("RGB")
        bed = Image.blend(bed, noise, 0.06)
    if scan.speckle:
        draw = ImageDraw.Draw(bed)
        for _ in range(int(bed.width * bed.height * scan.speckle / 4)):
            x, y = rng.randrange(bed.width), rng.randrange(bed.height)
            shade = rng.choice((0, 40, 90, 255))
            draw.rectangle((x, y, x + rng.randrange(0, 2), y + rng.randrange(0, 2)), fill=(shade,) * 3)
    if card.quarter_turns:
        bed = bed.rotate(90 * card.quarter_turns, expand=True)
    return bed


def render(card: Card, sides: str = "front", scan: Scan | None = None) -> bytes:
    """The card scanned as JPEG bytes. ``sides``: "front", "back" or "both" (one image)."""
    rng = random.Random(card.seed * 7 + {"front": 1, "back": 2, "both": 3}[sides])
    scan = scan or Scan(blur=rng.uniform(0.3, 1.1), speckle=rng.uniform(0.0005, 0.003),
                        jpeg_quality=rng.randrange(45, 85), noise=rng.uniform(2, 8))
    faces = {"front": [draw_front(card, rng)], "back": [draw_back(card, rng)],
             "both": [draw_front(card, rng), draw_back(card, rng)]}[sides]
    image = _scanner(faces, card, rng, scan)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=scan.jpeg_quality)
    return out.getvalue()


DEFECTS = ("check_digit", "birth", "sex")


def card_set(count: int, seed: int = 2026) -> list[Card]:
    """``count`` cards: one in 10 deliberately inconsistent, one in 12 with a rare name."""
    rng = random.Random(seed)
    cards = []
    for index in range(count):
        defect = DEFECTS[index // 10 % 3] if index % 10 == 9 else ""
        cards.append(make_card(rng.randrange(1 << 30), defect=defect))
    return cards


__all__ = ["Card", "Scan", "card_set", "draw_back", "draw_front", "id_number", "make_card", "render", "replace"]
