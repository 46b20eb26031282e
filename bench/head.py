"""The center head's desk (issue 7).

* The publicity list (公示) PDF for ``--cases`` cases (default 5,000): built by
  ``documents.publicity.render_publicity`` (layout, wrapping, rules, fallback fonts, page
  totals), against a plain reportlab canvas that draws the same strings with ``drawString`` on
  the same number of pages, in the same run, after one warm-up of each. Budget: ≤ 2×.

    .venv/bin/python bench/head.py [--cases 5000] [--repeat 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

PUBLICITY_BUDGET_RATIO = 2.0

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "慕容")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红梅德福"
RARE = ("𠮷", "䶮", "堃", "喆", "昇")
TYPES = ("邻里", "婚姻家庭", "物业", "拖欠农民工工资", "合同", "劳动争议", "道路交通事故", "房屋宅基地")
TEAMS = ("城建物业调解团队", "婚姻家庭调解团队", "劳资社保调解团队", "农林水牧调解团队", "医疗交通综合调解团队")
RESULTS = ("调解成功", "调解成功", "调解成功", "调解不成", "调解不成，已移送", "撤回", "分流")
OPEN = ("调解中", "已分派", "结案审核中", "调解成功")


def _person(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.05 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.02:
        given = rng.choice(RARE) + given[1:]
    return surname + given


def publicity_sample(cases: int, seed: int = 2026) -> object:
    """A month of ``cases`` rows as the service gives them (masked through the same rules)."""
    from mediation_desk.models import PartyKind
    from mediation_desk.readmodels import masking, publicity
    from mediation_desk.services.publicity import WITHHELD

    rng = random.Random(seed)
    month = publicity.Month(2026, 10)
    rows = []
    accepted = cases * 3 // 5
    for index in range(cases):
        section = publicity.ACCEPTED if index < accepted else publicity.CLOSED
        dispute = rng.choice(TYPES)
        people = [(_person(rng), PartyKind.PERSON) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        if rng.random() < 0.15:
            people.append((f"张掖市{rng.choice(('宏达', '金源', '绿洲'))}建筑工程有限公司", PartyKind.LEGAL_PERSON))
        else:
            people.append((_person(rng), PartyKind.PERSON))
        names = masking.mask_party_names(people)
        withheld = dispute == "婚姻家庭" or rng.random() < 0.02
        accepted_on = date(2026, rng.randint(1, 10) if section == publicity.CLOSED else 10, rng.randint(1, 28))
        closed = section == publicity.CLOSED or rng.random() < 0.2
        rows.append(publicity.PublicityRow(
            case_id=index + 1, section=section, number=f"（2026）甘矛调字第{index + 1:04d}号", dispute_type=dispute,
            accepted_on=f"{accepted_on:%Y-%m-%d}",
            applicants=WITHHELD if withheld else "、".join(names[:-1]),
            respondents=WITHHELD if withheld else names[-1],
            team=rng.choice(TEAMS), status=rng.choice(RESULTS if closed else OPEN),
            closed_on=f"2026-10-{rng.randint(1, 31):02d}" if closed else "",
        ))
    approval = publicity.Approval(month.key, 1, datetime(2026, 11, 2, 9, 30), "陈志强", "0" * 64, cases)
    return publicity.PrintableList("张掖市甘州区矛盾纠纷调处中心", month, tuple(rows), approval, date(2026, 11, 2))


def plain_canvas(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """The floor: the same strings, one font, ``drawString`` at the same places, same pages."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from mediation_desk.documents.fonts import FONT_NAME, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), invariant=1, initialFontName=FONT_NAME, pageCompression=1)
    for page in pages:
        canvas.setFont(FONT_NAME, 9)
        for x, y, text in page:
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _best(fn: Callable[[], bytes], repeat: int) -> tuple[float, list[float], bytes]:
    fn()  # warm-up: fonts registered, modules imported, glyph caches filled
    times = []
    result = b""
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), times, result


def publicity_pdf_figure(args: argparse.Namespace) -> bool:
    """Prints the publicity figure; True when within budget."""
    from pypdf import PdfReader

    from mediation_desk.documents import publicity as document

    data = publicity_sample(args.cases)
    assert hasattr(data, "rows")
    started = time.perf_counter()
    placed = [[(x, y, text) for x, y, text, *_rest in page.lines] for page in document.layout(data)]  # type: ignore[arg-type]
    layout_time = time.perf_counter() - started
    strings = sum(len(page) for page in placed)
    ours, our_times, pdf = _best(lambda: document.render_publicity(data), args.repeat)  # type: ignore[arg-type]
    floor, floor_times, plain = _best(lambda: plain_canvas(placed), args.repeat)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages == len(PdfReader(io.BytesIO(plain)).pages) == len(placed)
    ratio = ours / floor
    verdict = "OK" if ratio <= PUBLICITY_BUDGET_RATIO else "OVER BUDGET"
    print(f"publicity list PDF, {args.cases:,} cases ({pages} pages, {strings:,} strings, {len(pdf) / 1e6:.2f} MB):")
    print(f"  render_publicity (best of {args.repeat}):   {ours * 1000:8.1f} ms  "
          f"(median {statistics.median(our_times) * 1000:.1f}; layout alone {layout_time * 1000:.1f} ms)")
    print(f"  plain canvas drawString (best of {args.repeat}): {floor * 1000:8.1f} ms  "
          f"(median {statistics.median(floor_times) * 1000:.1f})")
    print(f"  ratio {ratio:.2f}×  budget ≤ {PUBLICITY_BUDGET_RATIO:g}×  {verdict}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "publicity.pdf").write_bytes(pdf)
        (args.out / "publicity-plain.pdf").write_bytes(plain)
    return ratio <= PUBLICITY_BUDGET_RATIO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=5000, help="cases on the publicity list")
    parser.add_argument("--repeat", type=int, default=3, help="timed builds of each PDF")
    parser.add_argument("--out", type=Path, help="also write the PDFs here")
    args = parser.parse_args(argv)
    os.environ.setdefault("MEDIATION_DESK_HOME", tempfile.mkdtemp(prefix="md-bench-home-"))

    # Each figure of the head's desk is one function printing its lines; add the others here.
    publicity_pdf_figure(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
