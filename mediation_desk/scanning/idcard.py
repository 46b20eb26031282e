"""Reading a 居民身份证 (resident identity card) from a scan or a photo, offline.

The text comes from RapidOCR (``rapidocr-onnxruntime``: PaddleOCR's PP-OCRv4 detection, angle and
recognition models in ONNX form, shipped inside the package, so nothing is downloaded and no
socket is opened). This module turns its text lines into the card's fields by the card's layout:

- front: 姓名, 性别, 民族, 出生, 住址, 公民身份号码 (labels on the left, values to their right, the
  address wrapping onto up to three lines, the 18-character number at the bottom);
- back: 签发机关, 有效期限.

Front and back may come as two images in either order, or as one image holding both (a
photocopy); the card may be tilted by a few degrees (the lines' slope is measured and taken out)
or scanned sideways or upside down (detected from the text boxes and turned).

Nothing read is trusted on its own. The number's check digit (GB 11643), the birth date and sex it
encodes against the 出生 and 性别 lines, the validity period's length and order, and the OCR's own
confidence per character are checked; every doubt becomes a Chinese message on the field
(``IdCardReading.flags``), for the clerk to compare with the card. A name with a character the
recognition model does not know (生僻字 such as 𠮷 䶮 𡒄 龘) is flagged, never silently replaced.

Each field is read as what it can be: 性别 and 民族 are read again from the recogniser's own
per-step probabilities as the likeliest of their options (CTC scoring, ``_constrained``); the ID
number with digits and X only when no 18-character run was read; the dates through the OCR's usual
confusions (O for 0, 一 for the dash, a speck read as a dot); 长期 as the only word the validity can
end in. A value chosen without a clear winner is filled in and flagged. The name's row is read
again past its last box (the detector may leave a character out), and a place where the recogniser
saw a Chinese character but read none flags the name. A card photographed from afar is cut out of
the photo and read at full resolution.

No Qt here: the party form runs :func:`read_id_card` on the scan lane, the command line directly.
"""

from __future__ import annotations

import io
import math
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from ..readmodels.sizes import size_text
from ..services import validation
from ..services.errors import InvalidInput
from .errors import FileProblem, FileRefused, ScanningError
from .files import DEFAULT_MAX_FILE_BYTES, ImportLimits, import_bytes

#: The fields, in the order of the card (front, then back) and of the JSON output.
FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number", "issuing_authority",
          "valid_from", "valid_until")
#: What each field is called on the card, for messages.
FIELD_LABELS = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生", "address": "住址",
    "id_number": "公民身份号码", "issuing_authority": "签发机关", "valid_from": "有效期限（起）",
    "valid_until": "有效期限（止）",
}
FRONT_FIELDS = FIELDS[:6]
BACK_FIELDS = FIELDS[6:]

#: The 56 ethnic groups as the card prints them (without 族).
ETHNIC_GROUPS = frozenset((
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
))

#: Per-character recognition confidence below which a name's character is doubted (a rare
#: character the model does not know comes out as a look-alike at 0.4–0.8).
CHAR_DOUBT = 0.95
#: The same for the other fields, whose values the cross-checks and their own forms also test.
FIELD_CHAR_DOUBT = 0.60
#: A whole line's mean confidence below which its field is doubted.
LINE_DOUBT = 0.85
#: Images are scaled down to this longest side before recognition: a card needs no more, and the
#: text detector's time grows with the pixels.
WORKING_SIDE = 1600
#: The text detector's view: how many pixels it sees at most (see ``_detection_scale``).
DETECT_PIXELS = 360_000
#: Largest image accepted (pixels). A 48-megapixel phone photo passes; a decompression bomb not.
MAX_PIXELS = 60_000_000


class IdCardRefused(ScanningError):
    """An input that cannot be read as an ID card; ``str(error)`` is the Chinese message."""

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(message)
        self.filename = filename


# ----------------------------------------------------------------------------- the result


@dataclass
class IdCardReading:
    """What was read, and every doubt about it.

    ``fields`` holds the nine fields (empty when not read): dates as ``YYYY-MM-DD``, ``valid_until``
    may be ``长期``, sex ``男``/``女``, ethnicity as printed (``汉``, not ``汉族``). ``flags`` maps a
    field to its Chinese messages; a field with a flag must be checked against the card.
    """

    fields: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIELDS, ""))
    flags: dict[str, list[str]] = field(default_factory=dict)
    #: Which sides were seen: "front", "back".
    sides: list[str] = field(default_factory=list)

    def flag(self, name: str, message: str) -> None:
        messages = self.flags.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def ethnicity_group(self) -> str:
        """The ethnicity as the party form writes it (``汉族``)."""
        value = self.fields["ethnicity"]
        return value + "族" if value and not value.endswith("族") else value

    @property
    def validity_as_printed(self) -> str:
        """有效期限 as the card prints it: ``2015.06.01-2035.06.01``, ``2017.04.24-长期``."""
        start, end = self.fields["valid_from"], self.fields["valid_until"]
        if not start:
            return ""
        return start.replace("-", ".") + "-" + (end.replace("-", ".") if end and end != "长期" else end)

    def as_json(self) -> dict[str, Any]:
        return {"fields": {k: self.fields[k] for k in FIELDS}, "flags": {k: self.flags[k] for k in FIELDS
                                                                         if k in self.flags},
                "sides": list(self.sides), "flagged": self.flagged}


# ----------------------------------------------------------------------------- OCR


@dataclass(frozen=True)
class Line:
    """One recognised text line, in the straightened frame of the image."""

    text: str
    score: float
    chars: tuple[float, ...]  # confidence per recognised character
    left: float
    top: float
    right: float
    bottom: float
    #: How many characters the box is wide enough for (from its shape), for dropped characters.
    room: float
    #: The box's height across the text (before straightening), the unit of ``room``.
    size: float = 0.0
    #: The text as the recogniser gave it (before ``_normalise``) and its per-step class
    #: probabilities (steps × classes), for reading the line again under a field's constraint.
    raw: str = ""
    probs: Any = field(default=None, compare=False, repr=False)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def same_row(self, other: Line) -> bool:
        return abs(self.cy - other.cy) < 0.6 * max(self.height, other.height)


class _Loaded:
    """The OCR engine, once made (module state without ``global``)."""

    engine: Any = None
    #: Which of the recogniser's classes are Chinese characters (``_han_classes``).
    han: Any = None


_loaded = _Loaded()
_engine_lock = threading.Lock()


def _ocr_engine() -> Any:
    """RapidOCR with its packaged models, made once per process (about 0.7 s).

    ONNX Runtime's threads spin while they wait for work by default; on a counter PC's two cores
    shared with the window (and on a loaded machine) that spinning took more time than the
    recognition: measured 5.8 s a card with the defaults, 2.1 s with one thread that does not spin,
    under a load of 9 on two cores. One thread also leaves the other core to the window."""
    with _engine_lock:
        if _loaded.engine is None:
            import logging

            from rapidocr_onnxruntime import RapidOCR
            from rapidocr_onnxruntime.utils import infer_engine

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            threads = 1 if (os.cpu_count() or 1) <= 2 else 2
            original = infer_engine.OrtInferSession.__dict__["_init_sess_opts"]

            def options(config: dict[str, Any]) -> Any:
                made = original.__func__(config)
                made.add_session_config_entry("session.intra_op.allow_spinning", "0")
                made.add_session_config_entry("session.inter_op.allow_spinning", "0")
                return made

            infer_engine.OrtInferSession._init_sess_opts = staticmethod(options)
            try:
                engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
                # A value of one character (男, 回) makes a small box the default threshold (0.5)
                # dropped on some generated cards; 0.3 kept them (measured on the bench's cards).
                engine.text_det.postprocess_op.box_thresh = 0.3
                _loaded.engine = engine
            finally:
                infer_engine.OrtInferSession._init_sess_opts = original
        return _loaded.engine


def _detection_scale(width: int, height: int) -> float:
    """How much the text detector's copy of a ``width`` × ``height`` image is shrunk.

    The detector's time grows with its pixels, and it needs no more than ``DETECT_PIXELS`` to
    find a card's lines: at that size the smallest print of a card (the 2.3 mm labels) is still
    about 19 pixels high on one card, 12 with both sides in one image (measured on 90 generated
    cards: 450,000 and 300,000 pixels read the same fields; 360,000 keeps a margin). Never
    enlarged: RapidOCR's own resizing would have taken the short side to 736 pixels."""
    return min(1.0, math.sqrt(DETECT_PIXELS / (width * height)))


def _detect(image: Image.Image) -> list[Any]:
    """The text boxes of ``image`` (quadrilaterals in its pixels), found on a shrunk copy."""
    engine = _ocr_engine()
    import numpy as np

    width, height = image.size
    scale = _detection_scale(width, height)
    small = image if scale == 1.0 else image.resize((max(32, round(width * scale)), max(32, round(height * scale))),
                                                     Image.Resampling.BILINEAR)
    small_array = np.asarray(small.convert("RGB"))[:, :, ::-1]  # BGR, as OpenCV reads files
    with _engine_lock:
        # The detector's own resizing would enlarge the copy again (to 736 pixels on its short
        # side): it is told to take it as it comes.
        engine.text_det.limit_side_len = min(small.size)
        boxes, _ = engine.auto_text_det(np.ascontiguousarray(small_array))
    if boxes is None or len(boxes) == 0:
        return []
    return [np.asarray(box, dtype=np.float32) / scale for box in boxes]


#: How many of the widest lines the angle classifier looks at to tell an upside-down card.
ORIENTATION_SAMPLE = 6


#: A recognised line: text, mean confidence, RapidOCR's word information (per-character
#: confidences at index 4), and the recogniser's per-step class probabilities.
Recognised = tuple[str, float, list[Any], Any]


def _recognise(image: Image.Image, boxes: Sequence[Any]) -> tuple[list[Recognised], bool]:
    """Each box's text with its per-character confidences, and whether the card is upside down.

    The card is one piece: its lines are all upright or all upside down. The angle classifier
    looks at the widest lines only (one batch; a one-character box tells little), and the
    majority turns every line, so one misjudged box is not read upside down."""
    engine = _ocr_engine()
    import cv2
    import numpy as np

    array = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
    with _engine_lock:
        crops = engine.get_crop_img_list(array, list(boxes))
        widest = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]),
                        reverse=True)[:ORIENTATION_SAMPLE]
        _, verdicts, _ = engine.text_cls([crops[i] for i in widest])
        upside_down = sum(1 for label, _score in verdicts if label == "180") > len(verdicts) / 2
        if upside_down:
            crops = [cv2.rotate(crop, cv2.ROTATE_180) for crop in crops]
        texts = _text_rec(engine, crops)
    return texts, upside_down


#: The narrowest a line is padded to for the recogniser, in heights (RapidOCR pads to 320 × 48,
#: 6.7 heights: a one-character value then costs as much as a long line).
REC_MIN_RATIO = 2.0


def _text_rec(engine: Any, crops: Sequence[Any]) -> list[Recognised]:
    """RapidOCR's recognition step (greedy CTC decoding), keeping each line's class
    probabilities, which the field constraints read again (``_constrained``).

    Each line is recognised alone, padded to no more than its own width: on a CPU a batch costs
    what its lines cost one by one, and RapidOCR's batches of six padded every line to the
    widest (a one-character 男 beside an address line). Call with ``_engine_lock`` held."""
    import numpy as np

    rec = engine.text_rec
    out: list[Recognised] = []
    for crop in crops:
        ratio = crop.shape[1] / float(crop.shape[0])
        widest = max(REC_MIN_RATIO, ratio)
        norm = rec.resize_norm_img(crop, widest)[np.newaxis, :].astype(np.float32)
        preds = rec.session(norm)[0]
        text, score, info = rec.postprocess_op(preds, True, wh_ratio_list=[ratio], max_wh_ratio=widest)[0]
        out.append((text, float(score), list(info), preds[0]))
    return out


def _ctc_log_likelihood(probs: Any, labels: Sequence[int]) -> float:
    """log P(labels | the line's per-step probabilities) under CTC (class 0 is the blank)."""
    import numpy as np

    steps = probs.shape[0]
    extended = [0]
    for label in labels:
        extended += [label, 0]
    logp = np.log(np.maximum(probs[:, extended], 1e-30))
    size = len(extended)
    skip = np.zeros(size, dtype=bool)
    for s in range(2, size):
        skip[s] = extended[s] != 0 and extended[s] != extended[s - 2]
    alpha = np.full(size, -np.inf)
    alpha[0] = logp[0, 0]
    if size > 1:
        alpha[1] = logp[0, 1]
    for t in range(1, steps):
        one = np.concatenate(([-np.inf], alpha[:-1]))
        two = np.concatenate(([-np.inf, -np.inf], alpha[:-2]))
        two[~skip] = -np.inf
        alpha = np.logaddexp(np.logaddexp(alpha, one), two) + logp[t]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if size > 1 else alpha[-1])


def _constrained(line: Line, value: str, options: Iterable[str]) -> tuple[str, float] | None:
    """The option the line most likely shows where ``value`` was read, and its share of the
    options' likelihood (1.0: no other option is plausible). The rest of the line (a label read
    with its value, "民族口") stays as read. None when the line cannot be read again."""
    import numpy as np

    if line.probs is None or not value:
        return None
    at = line.raw.rfind(value)
    if at < 0:
        return None
    engine = _ocr_engine()
    index = engine.text_rec.postprocess_op.dict
    scored = []
    for option in options:
        text = line.raw[:at] + option + line.raw[at + len(value):]
        if all(char in index for char in text):
            scored.append((option, _ctc_log_likelihood(line.probs, [index[char] for char in text])))
    if not scored:
        return None
    likelihoods = np.array([score for _, score in scored])
    shares = np.exp(likelihoods - likelihoods.max())
    shares /= shares.sum()
    best = int(shares.argmax())
    return scored[best][0], float(shares[best])


#: The fields that can only be one of a few values, and those values.
CLOSED_FIELDS: dict[str, tuple[str, ...]] = {"sex": ("男", "女"), "ethnicity": tuple(sorted(ETHNIC_GROUPS))}
#: A closed field's value is taken from its options without a flag when the option has at least
#: this share of the options' likelihood; below it the nearest option is filled in and flagged.
CLOSED_SURE = 0.95


def _constrain_closed_fields(side: _Side) -> None:
    """性别 and 民族 read again under their constraint: the option the recogniser's output makes
    most likely (a 回 read as 口, a speck read as 人 before 女). A value changed with doubt is
    flagged for the clerk (``_Side.doubts``)."""
    for key, options in CLOSED_FIELDS.items():
        value = side.fields.get(key, "")
        used = side.lines.get(key) or []
        if not value or not used:
            continue
        chosen = None
        for line in reversed(used):  # the value ends on the last line used
            chosen = _constrained(line, value, options) or _constrained(line, value[-1:], options)
            if chosen is not None:
                break
        if chosen is None:
            continue
        option, share = chosen
        if option != value:
            side.fields[key] = option
            if share < CLOSED_SURE:
                side.doubts[key] = (f"{FIELD_LABELS[key]}读作“{value}”，按可能的取值最接近“{option}”，"
                                    "请对照证件核对。")


_STRAY = ".。,，、·•'‘’\"“”`:：;；_"


def _normalise(text: str) -> str:
    """Full-width forms to ASCII, spaces out, dashes made one, and the specks of dust the OCR
    reads as punctuation taken off the ends."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = text.replace("—", "-").replace("–", "-").replace("~", "-")
    return text.strip(_STRAY)


def _clean_value(name: str, value: str) -> str:
    """Punctuation no card prints in that field (dust read as 。 or .) taken out."""
    if name in ("sex", "ethnicity"):  # Chinese characters only: a speck read as "2" goes
        return re.sub(r"[^\u3400-\u9fff]", "", value)
    if name == "issuing_authority":  # an authority's name is Chinese throughout: a speck read as "M" goes
        value = re.sub(r"^[^\u3400-\u9fff]+|[^\u3400-\u9fff]+$", "", value)
    if name in ("name", "address", "issuing_authority"):
        return re.sub(r"[.。,，、'‘’\"“”`:：;；_]", "", value)
    return value


def _lines(boxes: Sequence[Any], texts: Sequence[Recognised], *, turn: int,
           width: int, height: int) -> tuple[list[Line], float]:
    """The OCR boxes as ``Line``s in a frame where the card is upright and level, and the skew
    angle taken out (radians; the frame is the image turned by ``turn`` quarters, then by it)."""
    points = [[(float(p[0]), float(p[1])) for p in box] for box in boxes]
    # Quarter turns: map every point into the frame of the upright image.
    for _ in range(turn % 4):
        points = [[(height - y, x) for x, y in quad] for quad in points]
        width, height = height, width
    # Skew: the median slope of the long boxes' top edges.
    slopes = []
    for quad in points:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        edge = math.hypot(x1 - x0, y1 - y0)
        side = math.hypot(quad[3][0] - x0, quad[3][1] - y0)
        if edge > 2.5 * side and edge > 0:
            slope = math.atan2(y1 - y0, x1 - x0)
            # A box's corners may start at either end of its top edge (after a half turn they do).
            if slope > math.pi / 2:
                slope -= math.pi
            elif slope <= -math.pi / 2:
                slope += math.pi
            slopes.append(slope)
    angle = sorted(slopes)[len(slopes) // 2] if slopes else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)
    lines = []
    for quad, (text, score, info, probs) in zip(points, texts, strict=True):
        clean = _normalise(text)
        if not clean:
            continue
        level = [(x * cos - y * sin, x * sin + y * cos) for x, y in quad]
        xs = [p[0] for p in level]
        ys = [p[1] for p in level]
        box_w = math.hypot(quad[1][0] - quad[0][0], quad[1][1] - quad[0][1])
        box_h = math.hypot(quad[3][0] - quad[0][0], quad[3][1] - quad[0][1]) or 1.0
        confidences = info[4] if len(info) > 4 and len(info[4]) == len(text) else []
        # Only the characters that stay count (dust read as "." is dropped, whatever its score).
        chars = tuple(float(c) for ch, c in zip(text, confidences, strict=True)
                      if not ch.isspace() and ch not in _STRAY)
        # A CJK character of this font is about as wide as the box is high, less the detector's margin.
        room = (6 * box_w / box_h - 1.5) / 5
        lines.append(Line(clean, float(score), chars, min(xs), min(ys), max(xs), max(ys), room, box_h, text, probs))
    lines.sort(key=lambda line: (line.top, line.left))
    return lines, angle


def _is_sideways(boxes: Sequence[Any]) -> bool:
    """Most text boxes standing up: the image holds the card turned by a quarter."""
    tall = wide = 0
    for box in boxes:
        (x0, y0), (x1, y1), _, (x3, y3) = ((float(p[0]), float(p[1])) for p in box)
        across = math.hypot(x1 - x0, y1 - y0)
        down = math.hypot(x3 - x0, y3 - y0)
        if max(across, down) > 2 * min(across, down):
            if abs(x1 - x0) + abs(x3 - x0) < abs(y1 - y0) + abs(y3 - y0):
                tall += 1
            else:
                wide += 1
    return tall > wide


# ----------------------------------------------------------------------------- layout


FRONT_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
BACK_LABELS = ("签发机关", "有效期限")
#: Texts only a card shows (for telling a card from any other photo).
CARD_MARKS = (*FRONT_LABELS, *BACK_LABELS, "居民身份证", "中华人民共和国")

_ID_RUN = re.compile(r"[0-9OoIlBSZDQ]{17}[0-9Xx×OoIlBSZDQ]")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "B": "8",
                                   "S": "5", "Z": "2", "×": "X", "x": "X"})
_BIRTH = re.compile(r"(\d{4})[.。,]?年[.。,]?(\d{1,2})[.。,]?月[.。,]?(\d{1,2})[.。,]?日?")
_DOT = "[.,:;·。]?"
#: 有效期限: a start date and an end date or 长期, the only word the end can be (one of its
#: two characters misread still says it).
_PERIOD = re.compile(rf"(\d{{4}}){_DOT}(\d{{2}}){_DOT}(\d{{2}})[-~至]+"
                     rf"(?:(\d{{4}}){_DOT}(\d{{2}}){_DOT}(\d{{2}})|(长[\u3400-\u9fff]|[\u3400-\u9fff]期))")
_LOOKALIKE_BY_DIGIT = re.compile(r"(?<=[\d.])[OoDQIlBSZ]|[OoDQIlBSZ](?=[\d.])")


def _loose_period(text: str) -> str:
    """有效期限 written again from its digits alone, for a speck read as a dot inside a number
    ("20.24.09.13-长期"): each date is eight digits, whatever the OCR put between them."""
    parts = re.split(r"[-~至]+", _dates_text(text), maxsplit=1)
    if len(parts) != 2:
        return ""
    start, end = (re.sub(r"\D", "", part) for part in parts)
    if len(start) != 8:
        return ""
    tail = end if len(end) == 8 else parts[1].strip(_STRAY)
    return f"{start[:4]}.{start[4:6]}.{start[6:]}-" + (f"{tail[:4]}.{tail[4:6]}.{tail[6:]}" if tail.isdigit() else tail)


def _dates_text(text: str) -> str:
    """A date's text with the letters the OCR confuses with digits put back where they touch a
    digit ("2O16.05.0l"), and a 一 read for the dash between two dates made a dash."""
    text = _LOOKALIKE_BY_DIGIT.sub(lambda m: m.group(0).translate(_DIGIT_LOOKALIKES), text)
    return re.sub(r"(?<=\d)[一_](?=\d|长)", "-", text)


def _after_label(text: str, label: str) -> str | None:
    """What follows ``label`` at the start of ``text``, or None when ``text`` does not start with
    it. A speck of dust read between the label's widely spaced characters ("民·族土家") does not
    hide the label: the card prints no punctuation inside a label."""
    at = 0
    for index, char in enumerate(label):
        while index and at < len(text) and text[at] in _STRAY:
            at += 1
        if at >= len(text) or text[at] != char:
            return None
        at += 1
    return text[at:]


def _label_at(line: Line, label: str) -> bool:
    return _after_label(line.text, label) is not None


def _find_label(lines: Sequence[Line], label: str) -> Line | None:
    for line in lines:
        if _label_at(line, label):
            return line
    # OCR sometimes drops the first character of a wide-spaced label ("名" for "姓名").
    for line in lines:
        if len(label) == 2 and line.text == label[1]:
            return line
    return None


def _row_after(lines: Sequence[Line], label_line: Line, label: str, stop_labels: Iterable[str] = ()) -> tuple[
        str, list[Line]]:
    """The text right of ``label`` on its row: the rest of its own line, then the lines to the
    right of it on the same row, up to the first line that starts another label."""
    parts: list[str] = []
    used: list[Line] = []
    own = _after_label(label_line.text, label) or ""
    stops = tuple(stop_labels)
    for stop in stops:
        if stop in own:
            own = own[:own.index(stop)]
    if own:
        parts.append(own)
        used.append(label_line)
    row = sorted((ln for ln in lines if ln is not label_line and ln.same_row(label_line)
                  and ln.left > label_line.left), key=lambda ln: ln.left)
    for line in row:
        if any(line.text.startswith(stop) for stop in stops):
            break
        text = line.text
        # A box that overlaps the label's may begin with the label's last character read again
        # ("签发机关" then "关黎平县公安局").
        if (not parts and label_line.text == label and line.left < label_line.right - 0.2 * label_line.height
                and text.startswith(label[-1])):
            text = text[1:]
        parts.append(text)
        used.append(line)
    return "".join(parts), used


def _id_candidates(lines: Sequence[Line]) -> list[tuple[str, Line]]:
    found = []
    for line in lines:
        text = line.text.removeprefix("公民身份号码")
        for match in _ID_RUN.finditer(text):
            found.append((match.group(0).translate(_DIGIT_LOOKALIKES), line))
    if not found:
        # No run of 18: a line of mostly digits is read again with only digits and X allowed
        # where the recogniser saw no Chinese character (a digit read as "A" or "/").
        for line in lines:
            if line.probs is not None and sum(ch.isdigit() for ch in line.text) >= 12:
                text = _restricted_reading(line.probs, "0123456789X").removeprefix("公民身份号码")
                for match in _ID_RUN.finditer(text):
                    found.append((match.group(0), replace(line, text=text)))
    return found


def _restricted_reading(probs: Any, allowed: str) -> str:
    """Greedy CTC decoding of a line where every step the recogniser gave to anything but a
    Chinese character goes to the likeliest of ``allowed`` (or the blank)."""
    import numpy as np

    character: list[str] = _ocr_engine().text_rec.postprocess_op.character
    index = _ocr_engine().text_rec.postprocess_op.dict
    columns = [0] + [index[ch] for ch in allowed if ch in index]
    best = probs.argmax(axis=1)
    within = np.array(columns)[probs[:, columns].argmax(axis=1)]
    chosen = [int(b) if _is_han(character[b]) and b != 0 else int(w) for b, w in zip(best, within, strict=True)]
    out = []
    previous = -1
    for label in chosen:
        if label not in (previous, 0):
            out.append(character[label])
        previous = label
    return "".join(out)


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _value_column(lines: Sequence[Line], label: Line) -> float | None:
    """Where the values of the front start (the 出生 and 住址 values are printed in one column)."""
    low, high = label.left + 1.2 * label.height, label.left + 6 * label.height
    lefts = [ln.left for ln in lines if low < ln.left < high
             and (_BIRTH.match(ln.text) or any(_label_at(other, "住址") and ln.same_row(other) for other in lines))]
    return min(lefts) if lefts else None


def _ethnic_group(value: str) -> str:
    """The group a 民族 value names: a speck read before it ("2布依", "行哈尼") goes when the rest
    is one of the 56 names; otherwise the value as read (and flagged by the checks)."""
    value = _clean_value("ethnicity", value).removesuffix("族")
    for start in range(len(value)):
        if value[start:] in ETHNIC_GROUPS:
            return value[start:]
    return value


@dataclass
class _Side:
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[Line]] = field(default_factory=dict)
    #: Doubts found while reading (a closed field's value inferred), per field.
    doubts: dict[str, str] = field(default_factory=dict)
    front: bool = False
    back: bool = False


def _parse(lines: list[Line]) -> _Side:
    side = _Side()
    texts = [ln.text for ln in lines]
    joined = "".join(texts)
    side.front = any(label in joined for label in ("姓名", "公民身份号码", "住址")) or bool(_id_candidates(lines))
    side.back = any(label in joined for label in ("签发机关", "有效期限", "居民身份证")) or bool(
        _PERIOD.search(joined))

    def put(name: str, value: str, used: list[Line]) -> None:
        value = _clean_value(name, value).strip(_STRAY)
        if value and name not in side.fields:
            side.fields[name] = value
            side.lines[name] = used

    # --- the number: the 18-character run, preferably on the 公民身份号码 row
    number_label = _find_label(lines, "公民身份号码")
    candidates = _id_candidates(lines)
    if number_label is not None:
        candidates.sort(key=lambda c: 0 if c[1] is number_label or c[1].same_row(number_label) else 1)
    if candidates:
        put("id_number", candidates[0][0], [candidates[0][1]])

    # --- name
    name_label = _find_label(lines, "姓名")
    if name_label is not None:
        value, used = _row_after(lines, name_label, "姓名" if _label_at(name_label, "姓名") else "名")
        if used and used[0] is name_label and len(used) == 1:
            # Read together with its label: how many characters the value's part of the box holds
            # is measured from the column where the other values start (see ``_check_name``).
            column = _value_column(lines, name_label)
            if column is not None and name_label.size:
                room = (6 * (name_label.right - column) / name_label.size - 1.5) / 5
                used = [replace(name_label, text=value, room=room)]
        put("name", value, used)

    # --- sex and ethnicity share a row
    sex_label = _find_label(lines, "性别")
    ethnic_label = _find_label(lines, "民族")
    if sex_label is not None:
        value, used = _row_after(lines, sex_label, "性别", ("民族",))
        put("sex", value[:1] if value[:1] in ("男", "女") else value, used)
    else:
        for line in lines:
            if line.text in ("男", "女"):
                put("sex", line.text, [line])
                break
    if ethnic_label is not None:
        label_text = "民族" if _label_at(ethnic_label, "民族") else "族"
        value, used = _row_after(lines, ethnic_label, label_text)
        put("ethnicity", _ethnic_group(value), used)
    elif sex_label is not None:
        for line in lines:
            match = re.search(r"民族(.+)$", line.text)
            if match:
                put("ethnicity", _ethnic_group(match.group(1)), [line])

    # --- birth
    for line in lines:
        match = _BIRTH.search(_dates_text(line.text))
        if match:
            # The date may be split over boxes ("1990", "年1月2日"): the row joined is read too.
            iso = _iso(*match.groups())
            if iso:
                put("birth_date", iso, [line])
                break
    birth_label = _find_label(lines, "出生")
    if "birth_date" not in side.fields and birth_label is not None:
        value, used = _row_after(lines, birth_label, "出生")
        match = _BIRTH.search(_dates_text(value))
        if match and (iso := _iso(*match.groups())):
            put("birth_date", iso, used)

    # --- address: right of 住址, down to the number's row
    address_label = _find_label(lines, "住址")
    if address_label is not None:
        first, used = _row_after(lines, address_label, "住址")
        start = used[0] if used else None
        parts = [first] if first else []
        bottom_limit = number_label.top if number_label is not None else address_label.bottom + 4 * address_label.height
        if number_label is None and candidates:
            bottom_limit = candidates[0][1].top
        step = start.height if start is not None else address_label.height
        if start is not None and start is not address_label:
            low, high = start.left - 1.5 * step, start.left + 1.5 * step
        else:  # the value was read together with its label: the column starts a few characters right
            low, high = address_label.left + 1.2 * step, address_label.left + 6 * step
        previous = start or address_label
        for line in lines:
            if line in used or line is address_label or line.top <= previous.top:
                continue
            if line.top >= bottom_limit - 0.3 * step or line.top - previous.bottom > 1.2 * step:
                continue
            if not low <= line.left <= high:
                continue
            if any(line.text.startswith(label) for label in CARD_MARKS) or _ID_RUN.search(line.text):
                continue
            parts.append(line.text)
            used.append(line)
            previous = line
        put("address", "".join(parts), used)

    # --- back: authority and validity
    authority_label = _find_label(lines, "签发机关")
    if authority_label is not None:
        value, used = _row_after(lines, authority_label, "签发机关")
        put("issuing_authority", value, used)
    else:
        for line in lines:
            if line.text.endswith(("公安局", "分局")):
                text = line.text
                # The label read apart as "签发机" and "关…": its last character is not the value's.
                if text.startswith("关") and any(o.text.startswith("签发机") and o.same_row(line) for o in lines):
                    text = text[1:]
                put("issuing_authority", text, [line])
                break
    period_label = _find_label(lines, "有效期限")
    period_text = ""
    period_lines: list[Line] = []
    if period_label is not None:
        period_text, period_lines = _row_after(lines, period_label, "有效期限")
    match = _PERIOD.search(_dates_text(period_text)) or _PERIOD.search(_loose_period(period_text))
    if not match:
        for line in lines:
            match = _PERIOD.search(_dates_text(line.text.removeprefix("有效期限")))
            if match:
                period_lines = [line]
                break
    if match:
        start_iso = _iso(match.group(1), match.group(2), match.group(3))
        if start_iso:
            put("valid_from", start_iso, period_lines)
        if match.group(7):
            put("valid_until", "长期", period_lines)
            if match.group(7) != "长期":
                side.doubts["valid_until"] = (f"有效期限的截止读作“{match.group(7)}”，按“长期”填写，"
                                              "请对照证件核对。")
        elif end_iso := _iso(match.group(4), match.group(5), match.group(6)):
            put("valid_until", end_iso, period_lines)
    elif period_text:
        side.fields.setdefault("valid_from", "")
        side.lines["valid_from"] = period_lines
        side.fields["_period_raw"] = period_text
    return side


# ----------------------------------------------------------------------------- checks


def cross_check(reading: IdCardReading, today: date | None, lines: dict[str, list[Line]] | None = None) -> None:
    """Flag every disagreement between the fields (and, given the OCR lines, every doubt of the
    OCR itself). Public so a reading typed or corrected by hand can be checked the same way."""
    lines = lines or {}
    f = reading.fields
    front = "front" in reading.sides
    back = "back" in reading.sides

    # Missing fields of a side that was seen.
    for name in (FRONT_FIELDS if front else ()) + (BACK_FIELDS if back else ()):
        if not f[name]:
            reading.flag(name, f"未能从证件上读出“{FIELD_LABELS[name]}”，请对照证件手工填写。")

    # The OCR's own doubt, per character and per line.
    for name, used in lines.items():
        if not f.get(name):
            continue
        doubtful = [ln for ln in used if ln.score < LINE_DOUBT or (ln.chars and min(ln.chars) < FIELD_CHAR_DOUBT)]
        if doubtful and name != "name":
            reading.flag(name, f"“{FIELD_LABELS[name]}”有字迹识别把握不大，请对照证件核对。")

    _check_name(reading, lines.get("name", []))

    number = f["id_number"]
    info = None
    if number:
        try:
            info = validation.check_resident_id(number, today=today or date.max)
        except InvalidInput as problem:
            if "校验位" in str(problem):
                expected = validation.resident_id_check_char(number[:17])
                reading.flag("id_number", f"公民身份号码的校验位（最后一位）应为“{expected}”，读到的是“{number[17]}”："
                                          "号码有一位读错或证件有误，请逐位核对。")
            else:
                reading.flag("id_number", f"公民身份号码有误：{problem.message}")
    if info is not None:
        if f["birth_date"] and f["birth_date"] != info.birth_date.isoformat():
            reading.flag("birth_date", f"出生日期 {f['birth_date']} 与公民身份号码中的出生日期 "
                                       f"{info.birth_date.isoformat()} 不一致，请核对证件。")
            reading.flag("id_number", "公民身份号码中的出生日期与“出生”一栏不一致，请核对证件。")
        sex = "男" if info.gender.name == "MALE" else "女"
        if f["sex"] and f["sex"] != sex:
            reading.flag("sex", f"性别“{f['sex']}”与公民身份号码（第 17 位为{'奇数' if sex == '男' else '偶数'}，"
                                f"应为“{sex}”）不一致，请核对证件。")
            reading.flag("id_number", "公民身份号码中的性别与“性别”一栏不一致，请核对证件。")
    if f["sex"] and f["sex"] not in ("男", "女"):
        reading.flag("sex", f"性别读作“{f['sex']}”，应为“男”或“女”，请对照证件填写。")
    if f["ethnicity"] and f["ethnicity"] not in ETHNIC_GROUPS:
        reading.flag("ethnicity", f"民族读作“{f['ethnicity']}”，不是 56 个民族之一，请对照证件核对。")
    authority = f["issuing_authority"]
    if authority and not re.fullmatch(r"[\u3400-\u9fff]{2,}(公安局|分局)", authority):
        reading.flag("issuing_authority", f"签发机关读作“{authority}”，居民身份证由县级公安机关签发"
                                          "（“……公安局”或“……分局”），请对照证件核对。")
    if f["birth_date"]:
        born = date.fromisoformat(f["birth_date"])
        if born.year < 1900 or (today is not None and born > today):
            reading.flag("birth_date", f"出生日期 {f['birth_date']} 不合理，请核对证件。")
    _check_period(reading, today)


def _check_name(reading: IdCardReading, used: list[Line]) -> None:
    name = reading.fields["name"]
    if not name:
        return
    problems = []
    for line in used:
        chars = line.chars
        if (chars and min(chars) < CHAR_DOUBT) or line.score < LINE_DOUBT:
            problems.append("doubt")
        # The box has room for more characters than were read: one was not recognised at all.
        if _unread(line.probs):
            problems.append("unread")
        read = sum(1 for ch in line.text if _is_han(ch))
        if line is used[-1] and read and line.room - read > 0.75 and line.text.endswith(name):
            problems.append("dropped")
    if not re.fullmatch(r"[\u3400-\u9fff\U00020000-\U0003134f·•.]+", name):
        problems.append("odd")
    if problems:
        reading.flag("name", _name_doubt(name))


def _name_doubt(name: str) -> str:
    return f"姓名读作“{name}”，其中可能有本机识别不了的生僻字或字迹不清，请对照证件逐字核对并改正。"


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def _check_period(reading: IdCardReading, today: date | None) -> None:
    f = reading.fields
    if not f["valid_from"]:
        return
    start = date.fromisoformat(f["valid_from"])
    born = date.fromisoformat(f["birth_date"]) if f["birth_date"] else None
    if born is not None and start < born:
        reading.flag("valid_from", f"有效期限的起始日 {f['valid_from']} 早于出生日期，请核对证件。")
    if today is not None and start > today:
        reading.flag("valid_from", f"有效期限的起始日 {f['valid_from']} 晚于今天，请核对证件。")
    if f["valid_until"] == "长期":
        if born is not None and _years(born, start) < 46:
            reading.flag("valid_until", "有效期限为“长期”，但持证人领证时不满 46 周岁"
                                        "（长期证件只发给 46 周岁以上的人），请核对证件。")
        return
    if not f["valid_until"]:
        return
    end = date.fromisoformat(f["valid_until"])
    span = end.year - start.year
    if end <= start:
        reading.flag("valid_until", f"有效期限的截止日 {f['valid_until']} 不晚于起始日 {f['valid_from']}，请核对证件。")
    elif span not in (5, 10, 20) or ((end.month, end.day) != (start.month, start.day) and not (
            (start.month, start.day) == (2, 29) and (end.month, end.day) in ((2, 28), (3, 1)))):
        reading.flag("valid_until", f"有效期限 {f['valid_from']} 至 {f['valid_until']} 不是 5、10 或 20 年，"
                                    "请核对证件。")
    elif today is not None and end < today:
        reading.flag("valid_until", f"证件已于 {f['valid_until']} 过期，请当事人出示有效证件。")


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# ----------------------------------------------------------------------------- entry points


def load_image(name: str, data: bytes) -> Image.Image:
    """The image in ``data``, upright per EXIF, after the import checks (type by content, size,
    decompression bombs). Raises ``IdCardRefused`` with a Chinese message naming the file."""
    limits = ImportLimits(max_file_bytes=DEFAULT_MAX_FILE_BYTES, max_pixels=MAX_PIXELS, max_pages=2)
    try:
        imported = import_bytes(name, data, limits)
    except FileRefused as refusal:
        # The import's wording, for reading instead of importing.
        message = str(refusal)
        for imported_word, read_word in (("不能导入", "不能读取"), ("无法导入", "无法读取"), ("再导入", "再读取")):
            message = message.replace(imported_word, read_word)
        raise IdCardRefused(refusal.filename, message) from None
    if imported.is_pdf:
        raise IdCardRefused(imported.name, f"文件“{imported.name}”是 PDF 文档，不能读取身份证："
                                           "请用扫描或拍摄得到的图片（JPEG、PNG 或 TIFF）。")
    page = imported.pages[0]
    try:
        image: Image.Image = Image.open(io.BytesIO(page.data))
        image = ImageOps.exif_transpose(image) or image
        if page.rotation:
            image = image.rotate(-page.rotation, expand=True)
        image = image.convert("RGB")
    except Exception as exc:  # a decoder failure on input that passed the checks: still the file's fault
        raise IdCardRefused(imported.name, f"文件“{imported.name}”无法解码（{type(exc).__name__}），"
                                           "请重新扫描。") from None
    if min(image.size) < 200:
        raise IdCardRefused(imported.name, f"文件“{imported.name}”的图像只有 {image.width}×{image.height} 像素，"
                                           "太小，无法看清身份证上的字：请以 300 dpi 扫描或拍清楚后再读。")
    return image


#: When the text found covers less than this share of the image (a card photographed on a desk,
#: far away), the card's part of the image is cut out and read again at full resolution.
CARD_SHARE = 0.2


def _working(image: Image.Image) -> Image.Image:
    if max(image.size) <= WORKING_SIDE:
        return image
    image = image.copy()
    image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.LANCZOS)
    return image


def _card_region(boxes: Sequence[Any], width: int, height: int) -> tuple[float, float, float, float] | None:
    """Where the card is, when its text fills only a small part of the image: the text's extent
    and a margin of a few lines' height around it (a card's text keeps that far from its edges).
    None when the text already fills the image well."""
    if not boxes:
        return None
    xs = [float(p[0]) for box in boxes for p in box]
    ys = [float(p[1]) for box in boxes for p in box]
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    if (right - left) * (bottom - top) >= CARD_SHARE * width * height:
        return None
    sizes = sorted(min(math.dist(box[0], box[1]), math.dist(box[0], box[3])) for box in boxes)
    margin = 3 * sizes[len(sizes) // 2]
    return (max(0.0, left - margin), max(0.0, top - margin), min(float(width), right + margin),
            min(float(height), bottom + margin))


def _read_image(name: str, image: Image.Image) -> tuple[_Side, list[Line]]:
    working = _working(image)
    boxes = _detect(working)
    region = _card_region(boxes, working.width, working.height)
    if region is not None:
        factor = image.width / working.width
        left, top, right, bottom = (round(v * factor) for v in region)
        image = image.crop((left, top, right, bottom))
        working = _working(image)
        boxes = _detect(working)
    image = working
    if boxes and _is_sideways(boxes):
        image = image.rotate(90, expand=True)  # counter-clockwise; upside down is caught below
        boxes = _detect(image)
    texts, upside_down = _recognise(image, boxes) if boxes else ([], False)
    turn = 2 if upside_down else 0
    lines, angle = _lines(boxes, texts, turn=turn, width=image.width, height=image.height)
    side = _parse(lines)
    if side.front:
        _constrain_closed_fields(side)
        upright = image.rotate(180) if turn == 2 else image
        _read_name_again(side, lines, upright, angle)
        _read_short_values(side, lines, upright, angle)
    return side, lines


def _quad(corners: Sequence[tuple[float, float]], angle: float) -> Any:
    """Corners in the level frame of ``_lines`` back in the upright image's pixels."""
    import numpy as np

    cos, sin = math.cos(angle), math.sin(angle)
    return np.array([(x * cos - y * sin, x * sin + y * cos) for x, y in corners], dtype=np.float32)


#: A step of the recogniser's output where the blank wins with less than this probability saw a
#: character it could not name (``_unread``).
UNREAD_BLANK = 0.5


def _unread(probs: Any) -> int:
    """How many places of a line the recogniser saw ink of a character yet read nothing: the blank
    won the step, but with less than ``UNREAD_BLANK`` (the rest spread over look-alikes, as a
    character outside its dictionary gives: 琰 as 毯 0.20, 瑙 0.19)."""
    if probs is None or not len(probs):
        return 0
    import numpy as np

    han = _han_classes()
    best = probs.argmax(axis=1)
    runner_up = probs[:, 1:].argmax(axis=1) + 1
    # Only a Chinese character counts: the card's guilloche read as "W" or "E" is no character.
    return int(((best == 0) & (probs[:, 0] < UNREAD_BLANK) & np.asarray(han)[runner_up]).sum())


def _han_classes() -> Any:
    """Which of the recogniser's classes are Chinese characters (a boolean per class)."""
    if _loaded.han is None:
        import numpy as np

        character = _ocr_engine().text_rec.postprocess_op.character
        _loaded.han = np.array([len(ch) == 1 and _is_han(ch) for ch in character])
    return _loaded.han


#: How far right of the name's last box the name is read again, in the box's heights.
NAME_REACH = 1.6


def _read_name_again(side: _Side, lines: list[Line], upright: Image.Image, angle: float) -> None:
    """The detector may leave the name's last character out of its box (a sparse or rare
    character): the name's row is read again from its first box to a character and a half past
    its last. A longer reading that begins with the name read is taken, the added characters'
    confidences checked like the rest (``_check_name``)."""
    name, used = side.fields.get("name", ""), side.lines.get("name") or []
    if not name or not used:
        return
    first, last = used[0], used[-1]
    h = last.height
    right = last.right + NAME_REACH * h
    for other in lines:  # never into another box of the row
        if other not in used and other.same_row(last) and other.left > last.right - 0.1 * h:
            right = min(right, other.left - 0.1 * h)
    if right - last.right < 0.6 * h:
        return
    left = first.left
    label_read = _find_label(lines, "姓名")
    corners = ((left - 0.1 * h, last.top - 0.1 * h), (right, last.top - 0.1 * h), (right, last.bottom + 0.1 * h),
               (left - 0.1 * h, last.bottom + 0.1 * h))
    engine = _ocr_engine()
    import numpy as np

    array = np.ascontiguousarray(np.asarray(upright.convert("RGB"))[:, :, ::-1])
    with _engine_lock:
        crops = engine.get_crop_img_list(array, [_quad(corners, angle)])
        text, score, info, probs = _text_rec(engine, crops)[0]
    # A character seen but not read past the name's box (not in it: the label, a speck before
    # the name, are the first box's own business, checked by ``_check_name``).
    crop_ratio = crops[0].shape[1] / float(crops[0].shape[0])
    steps = probs.shape[0]
    past = (last.right + 0.1 * h - (left - 0.1 * h)) / (right - (left - 0.1 * h))
    start = min(steps, math.ceil(past * steps * crop_ratio / max(REC_MIN_RATIO, crop_ratio)))
    if _unread(probs[start:]):
        side.doubts["name"] = _name_doubt(name)
    clean = _normalise(text)
    if first is label_read:
        clean = _after_label(clean, "姓名") or _after_label(clean, "名") or ""
    clean = _clean_value("name", clean)
    extra = clean[len(name):]
    if not clean.startswith(name) or not extra or not all(_is_han(ch) for ch in extra):
        return
    confidences = info[4] if len(info) > 4 and len(info[4]) == len(text) else []
    chars = tuple(float(c) for ch, c in zip(text, confidences, strict=True) if not ch.isspace() and ch not in _STRAY)
    side.fields["name"] = clean
    side.lines["name"] = [replace(last, text=clean, score=float(score), chars=chars[-len(clean):] if chars else (),
                                  right=right, room=0.0, raw=text, probs=probs)]


def _read_short_values(side: _Side, lines: list[Line], upright: Image.Image, angle: float) -> None:
    """性别 and 民族 are often one character, a box small enough for the detector to miss: when
    one is missing, the place right of its label is read on its own."""
    spots = (("sex", "性别", ("民族",)), ("ethnicity", "民族", ()))
    missing = [(key, _find_label(lines, label), stops) for key, label, stops in spots if not side.fields.get(key)]
    missing = [(key, label, stops) for key, label, stops in missing if label is not None and label.text in (
        "性别", "民族")]
    if not missing:
        return
    engine = _ocr_engine()
    import numpy as np

    array = np.asarray(upright.convert("RGB"))[:, :, ::-1].copy()
    cos, sin = math.cos(angle), math.sin(angle)
    for key, label, stops in missing:
        assert label is not None
        h = label.height
        right = label.right + (3.2 if key == "ethnicity" else 2.2) * h
        for stop in stops:
            other = _find_label(lines, stop)
            if other is not None and other.same_row(label):
                right = min(right, other.left - 0.1 * h)
        corners = ((label.right + 0.15 * h, label.top - 0.35 * h), (right, label.top - 0.35 * h),
                   (right, label.bottom + 0.35 * h), (label.right + 0.15 * h, label.bottom + 0.35 * h))
        quad = np.array([(x * cos - y * sin, x * sin + y * cos) for x, y in corners], dtype=np.float32)
        with _engine_lock:
            crops = engine.get_crop_img_list(array, [quad])
            text, score, info, probs = _text_rec(engine, crops)[0]
        value = _ethnic_group(_normalise(text)) if key == "ethnicity" else _clean_value(key, _normalise(text))
        if key == "sex":
            value = value[:1]
        if value not in CLOSED_FIELDS[key] and text:
            # Not one of the field's values as read: the one the recogniser makes most likely.
            chosen = _constrained(replace(label, raw=text, probs=probs), text, CLOSED_FIELDS[key])
            if chosen is not None:
                value = chosen[0]
                if chosen[1] < CLOSED_SURE:
                    side.doubts[key] = (f"{FIELD_LABELS[key]}读作“{_normalise(text)}”，按可能的取值最接近"
                                        f"“{value}”，请对照证件核对。")
        if value in CLOSED_FIELDS[key]:
            confidences = info[4] if len(info) > 4 and len(info[4]) == len(text) else []
            chars = tuple(float(c) for c in confidences)
            side.fields[key] = value
            side.lines[key] = [replace(label, text=value, score=float(score), chars=chars, room=0.0)]


def read_id_card(images: Sequence[tuple[str, bytes]], *, today: date | None = None) -> IdCardReading:
    """Read one card from one or two images (front and back in any order, or one image of both).

    ``images``: (file name, content). ``today`` enables the checks that depend on the date (an
    expired card, a birth date in the future); pass it explicitly. Raises ``IdCardRefused`` when
    an input is not a readable image or shows no ID card at all.
    """
    if not images:
        raise IdCardRefused("", "没有给出身份证图片。")
    if len(images) > 2:
        raise IdCardRefused("", "一张身份证最多两幅图片（正面和背面）。")
    reading = IdCardReading()
    used: dict[str, list[Line]] = {}
    for name, data in images:
        image = load_image(name, data)
        side, lines = _read_image(name, image)
        if not (side.front or side.back) or not any(any(m in ln.text for m in CARD_MARKS) or _ID_RUN.search(ln.text)
                                                    for ln in lines):
            raise IdCardRefused(name, f"文件“{name}”中没有找到居民身份证（没有读到证件上的“姓名”“公民身份号码”"
                                      "“签发机关”等字样）：请确认选的是身份证的扫描件或照片，且证件完整、清楚。")
        for key in ("front", "back"):
            if getattr(side, key) and key not in reading.sides:
                reading.sides.append(key)
        for key, value in side.fields.items():
            if key in reading.fields and not reading.fields[key] and value:
                reading.fields[key] = value
                used[key] = side.lines.get(key, [])
                if key in side.doubts:
                    reading.flag(key, side.doubts[key])
    reading.sides.sort(key=("front", "back").index)
    cross_check(reading, today, used)
    return reading


def read_id_card_files(paths: Sequence[Path | str], *, today: date | None = None) -> IdCardReading:
    """:func:`read_id_card` on files; an unreadable file is refused with its name."""
    images = []
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():
                raise IdCardRefused(path.name, f"“{path.name}”是文件夹，不是图片文件。")
            size = path.stat().st_size
            if size > DEFAULT_MAX_FILE_BYTES:
                raise IdCardRefused(path.name, f"文件“{path.name}”大小超过 {size_text(DEFAULT_MAX_FILE_BYTES)}，"
                                               "不像一张身份证的扫描件，不能读取。")
            images.append((path.name, path.read_bytes()))
        except FileNotFoundError:
            raise IdCardRefused(path.name, f"文件“{path.name}”不存在。") from None
        except PermissionError:
            raise IdCardRefused(path.name, f"无权读取文件“{path.name}”。") from None
        except OSError as exc:
            raise IdCardRefused(path.name, f"读取文件“{path.name}”失败（{exc.strerror or exc}）。") from None
    return read_id_card(images, today=today)


__all__ = ["FIELDS", "FIELD_LABELS", "FileProblem", "IdCardReading", "IdCardRefused", "cross_check", "load_image",
           "read_id_card", "read_id_card_files"]
