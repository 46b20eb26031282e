"""The monthly public web page: what it shows, escaped and deterministic, nothing outside itself,
the Nu HTML checker's verdict, and Chromium's layout at phone and desktop widths."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from mediation_desk.documents import publicpage
from mediation_desk.files import FolderRefused
from mediation_desk.readmodels import publicity

from ..webcheck import page_text, run_chromium, validate

MONTH = publicity.Month(2026, 11)
HOSTILE = "<b>&amp;\"'</b>"
CENTER = "张掖市甘州区矛盾纠纷调处中心"


def row(n: int, section: str = publicity.ACCEPTED, applicants: str = "欧阳某", respondents: str = "司马某",
        status: str = "调解中") -> publicity.PublicityRow:
    return publicity.PublicityRow(
        case_id=n, section=section, number=f"（2026）甘矛调字第{n:04d}号", dispute_type="拖欠农民工工资",
        accepted_on="2026-11-08", applicants=applicants, respondents=respondents, team="医疗交通综合调解团队",
        status=status, closed_on="2026-11-30" if section == publicity.CLOSED else "")


def sample_rows() -> list[publicity.PublicityRow]:
    rows = [row(n) for n in range(1, 7)]
    rows[1] = row(2, applicants="𠮷某、䶮某、阿某、刘某甲、刘某乙等 12 人",
                  respondents=f"张掖市宏达建筑工程有限公司{HOSTILE}" * 3)
    rows[2] = row(3, applicants="（依法不公开）", respondents="（依法不公开）")
    rows += [row(7, publicity.CLOSED, status="调解成功"), row(8, publicity.CLOSED, status="调解成功"),
             row(9, publicity.CLOSED, status="撤回"), row(10, publicity.CLOSED, status="调解不成，已移送")]
    return rows


def page(rows: list[publicity.PublicityRow] | None = None, feedback: publicity.Feedback | None = None,
         center: str = CENTER) -> publicity.PublicPage:
    rows = sample_rows() if rows is None else rows
    approval = publicity.Approval(MONTH.key, 7, datetime(2026, 12, 2, 9, 30), "陈志强", "ab" * 32, len(rows))
    listing = publicity.PrintableList(center, MONTH, tuple(rows), approval, date(2026, 12, 2))
    return publicity.PublicPage(listing, feedback or publicity.Feedback(
        "张掖市甘州区县府街 88 号便民服务大厅一楼", "0936-8212345", "gzmtzx@example.cn"))


def test_the_page_shows_the_rows_figures_notice_and_feedback() -> None:
    html = publicpage.render_html(page())
    read = page_text(html)
    text = "".join("".join(read.texts).split())
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">')
    assert f"{CENTER}2026年11月案件受理及办结情况公示" in text
    assert "本月受理6件" in text and "本月办结4件" in text
    assert "办结案件中：调解成功2件，调解不成1件，调解不成，已移送1件，撤回1件。" not in text  # only what occurs
    assert "办结案件中：调解成功2件，调解不成，已移送1件，撤回1件。" in text
    assert "一、本月受理案件（共6件）" in text and "二、本月办结案件（共4件）" in text
    assert "𠮷某、䶮某、阿某、刘某甲、刘某乙等12人" in text and "（依法不公开）" in text
    assert "张掖市甘州区县府街88号便民服务大厅一楼" in text and "公示名单与月度统计报表口径不同" in text
    assert "校验码：abababababababab" in text
    # Every row of the approved list is a row of the page, in its order, every cell as approved.
    cells = [t for t in read.texts if t.strip()]
    for listed in sample_rows():
        assert listed.number in cells and listed.respondents in "".join(read.texts)
    numbers = [t for t in cells if t.startswith("（2026）")]
    assert numbers == [r.number for r in sample_rows()]
    # Links: a phone and a mailbox, nothing else; no script, no external resource.
    links = [(tag, name, value) for tag, name, value in read.attributes if name in ("href", "src", "action")]
    assert links == [("a", "href", "tel:0936-8212345"), ("a", "href", "mailto:gzmtzx@example.cn")]
    assert not {"script", "link", "img", "iframe", "object", "embed", "form", "base"} & set(read.tags)
    assert not re.search(r"https?:|//[a-z]|url\(|@import", html.replace("urn:", ""), re.IGNORECASE)
    assert not any(name.startswith("on") for _t, name, _v in read.attributes)


def test_everything_is_escaped_and_the_same_page_gives_the_same_bytes() -> None:
    hostile = page(feedback=publicity.Feedback(f"县府街{HOSTILE}号", "0936-8212345 转 8<", f"a{HOSTILE}@x.cn"),
                   center=f"中心{HOSTILE}\x00\x1f\ufffe")
    html = publicpage.render_html(hostile)
    assert "<b>" not in html and "&lt;b&gt;&amp;amp;&quot;&#x27;&lt;/b&gt;" in html
    read = page_text(html)
    assert "<b>" not in read.tags and f"中心{HOSTILE}" in "".join(read.texts)
    assert "\x00" not in html and "\x1f" not in html and "\ufffe" not in html
    # A phone or mailbox that is not one plain number or address is shown, not linked.
    assert [v for _t, name, v in read.attributes if name == "href"] == []
    assert publicpage.render_files(hostile) == publicpage.render_files(hostile)
    with pytest.raises(ValueError, match="approved"):
        publicpage.render_files(publicity.PublicPage(
            publicity.PrintableList(CENTER, MONTH, (), None, date(2026, 12, 2)), publicity.Feedback()))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30), st.text(max_size=12)), max_size=6),
       st.text(max_size=20))
def test_any_text_reads_back_exactly_as_approved(cells: list[tuple[str, str, str]], center: str) -> None:
    """Whatever a cell holds (tags, entities, quotes, controls), the reader gets exactly that text
    (less what HTML cannot carry) and never markup."""
    rows = [row(n, applicants=a, respondents=r, status=s or "调解中") for n, (a, r, s) in enumerate(cells, start=1)]
    html = publicpage.render_html(page(rows, center=center or CENTER))
    read = page_text(html)
    shown = [t for t in read.texts]
    for listed in rows:
        for value in (listed.applicants, listed.respondents):
            expected = publicpage._FORBIDDEN.sub("", value)
            if expected.strip() and "\r" not in expected:
                assert expected in shown, value
    assert [tag for tag in read.tags if tag not in {"html", "head", "meta", "title", "style", "body", "div",
                                                     "header", "h1", "p", "main", "section", "h2", "dl", "dt",
                                                     "dd", "table", "thead", "tr", "th", "tbody", "td", "ol",
                                                     "li", "address", "a", "footer"}] == []


def test_the_folder_is_written_whole_new_or_empty_and_replaced_only_with_force(tmp_path: Path) -> None:
    first = publicpage.write_page(page(), tmp_path / "web")
    assert first == tmp_path / "web" / "index.html" and sorted(p.name for p in first.parent.iterdir()) == ["index.html"]
    before = first.read_bytes()
    with pytest.raises(FolderRefused, match="不是空的"):
        publicpage.write_page(page(), tmp_path / "web")
    publicpage.write_page(page([row(1)]), tmp_path / "web", force=True)
    assert first.read_bytes() != before and "（2026）甘矛调字第0001号" in first.read_text(encoding="utf-8")
    (tmp_path / "web" / "notes.txt").write_text("center's own file", encoding="utf-8")
    with pytest.raises(FolderRefused, match="不是本网页的内容"):
        publicpage.write_page(page(), tmp_path / "web", force=True)
    assert (tmp_path / "web" / "notes.txt").exists()
    (tmp_path / "empty").mkdir()
    publicpage.write_page(page(), tmp_path / "empty")
    assert (tmp_path / "empty" / "index.html").read_bytes() == before
    with pytest.raises(FolderRefused, match="上级目录"):
        publicpage.write_page(page(), tmp_path / "missing" / "web")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


# --------------------------------------------------------------------------- validator and browser


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample page, a long month (the cards of many rows) and a hostile page, written."""
    base = tmp_path_factory.mktemp("web")
    company = "内蒙古自治区呼和浩特市某某某某某某建筑劳务有限公司第一分公司"
    long_rows = [row(n, applicants="张某、王某" if n % 3 else company, status="调解成功" if n % 2 else "调解中")
                 for n in range(1, 41)]
    publicpage.write_page(page(), base / "sample")
    publicpage.write_page(page(long_rows), base / "long")
    publicpage.write_page(page(feedback=publicity.Feedback(f"县府街{HOSTILE}号", "", ""), center=f"中心{HOSTILE}"),
                          base / "hostile")
    publicpage.write_page(page([], publicity.Feedback()), base / "empty")
    return base


@pytest.mark.slow
def test_the_nu_html_checker_finds_nothing_and_would_say_so(written: Path, tmp_path: Path) -> None:
    pages = sorted(written.glob("*/index.html"))
    assert len(pages) == 4
    broken = tmp_path / "broken.html"
    html = (written / "sample" / "index.html").read_text(encoding="utf-8")
    broken.write_text(html.replace('<td class="n" data-label="序号">1</td>', "<td><div>1</td>", 1)
                      .replace("box-sizing:border-box", "box-sizing:nonsense", 1), encoding="utf-8")
    messages = validate(*pages, broken)
    assert [m for m in messages if not str(m.get("url", "")).endswith("broken.html")] == [], messages
    about_broken = [str(m.get("message")) for m in messages if str(m.get("url", "")).endswith("broken.html")]
    assert any("div" in m for m in about_broken) and any("box-sizing" in m for m in about_broken), about_broken


PROBE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0"><iframe id="page" width="%(width)d" height="%(height)d" style="border:0;display:block"
srcdoc="%(page)s"></iframe><script>
document.getElementById("page").onload = function () {
  var frame = this.contentWindow, doc = this.contentDocument;
  var cells = doc.querySelectorAll("td"), worst = 0;
  for (var i = 0; i < cells.length; i++) { worst = Math.max(worst, cells[i].getBoundingClientRect().right); }
  var head = doc.querySelector("thead");
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({
    innerWidth: frame.innerWidth, scrollWidth: doc.documentElement.scrollWidth, rightmost: worst,
    cellDisplay: cells.length ? frame.getComputedStyle(cells[0]).display : "",
    headHeight: head ? head.getBoundingClientRect().height : -1,
    label: cells.length ? frame.getComputedStyle(cells[0], "::before").content : "",
    text: doc.body.innerText
  });
  document.body.appendChild(out);
};
</script></body></html>"""


def _probe(page_file: Path, work: Path, width: int, height: int) -> dict[str, object]:
    """The page as Chromium lays it out in a ``width`` × ``height`` viewport: an iframe of that
    size holds it (a window may not be narrower than 500 px), measured by the harness's script
    (the page itself has none) and dumped once loaded."""
    import html
    import json

    harness = work / f"probe-{width}.html"
    harness.write_text(PROBE % {"width": width, "height": height,
                                "page": html.escape(page_file.read_text(encoding="utf-8"), quote=True)},
                       encoding="utf-8")
    result = run_chromium(harness.as_uri(), "--dump-dom", "--virtual-time-budget=5000", work=work,
                          width=width + 100, height=height)
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, result.stdout[-500:]
    data: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return data


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in ``box`` clearly darker than the page's light backgrounds."""
    return sum(image.convert("L").crop(box).histogram()[:120])


@pytest.mark.slow
def test_chromium_at_phone_width_shows_cards_without_horizontal_scroll(written: Path, tmp_path: Path) -> None:
    index = written / "long" / "index.html"
    phone = _probe(index, tmp_path, 390, 844)
    assert phone["innerWidth"] == 390, phone
    assert phone["scrollWidth"] == 390 and float(str(phone["rightmost"])) <= 390, phone  # nothing sticks out
    assert phone["cellDisplay"] == "grid" and phone["headHeight"] == 1, phone  # cards, the header row hidden
    assert phone["label"] == 'attr(data-label)' or phone["label"] == '"序号"', phone
    desktop = _probe(index, tmp_path, 1366, 768)
    assert desktop["cellDisplay"] == "table-cell" and float(str(desktop["headHeight"])) > 20, desktop
    assert desktop["scrollWidth"] == 1366, desktop

    shots: dict[str, Image.Image] = {}
    for name, (width, height) in {"phone": (390, 844), "desktop": (1366, 768)}.items():
        shot = tmp_path / f"{name}.png"
        run_chromium(index.as_uri(), f"--screenshot={shot}", work=tmp_path, width=width, height=height)
        assert shot.is_file(), name
        with Image.open(shot) as image:
            image.load()
            shots[name] = image.copy()
    phone_shot, desktop_shot = shots["phone"], shots["desktop"]
    assert phone_shot.size == (390, 844) and desktop_shot.size == (1366, 768)
    # Not blank: the title's ink at the top; on the phone, text on both halves of the cards, and
    # the page's right margin clear (nothing runs off the screen).
    for picture in (phone_shot, desktop_shot):
        assert _ink(picture, (0, 0, picture.width, 120)) > 300
    assert _ink(phone_shot, (20, 380, 130, 844)) > 300 and _ink(phone_shot, (140, 380, 370, 844)) > 300
    assert _ink(phone_shot, (383, 0, 390, 844)) == 0
    # On the desktop the table's nine columns spread over the width.
    assert _ink(desktop_shot, (1000, 300, 1190, 768)) > 200


@pytest.mark.slow
def test_chromium_prints_the_chinese_text_in_a_chinese_font(written: Path, tmp_path: Path) -> None:
    """Printed at phone width and read back: every row is there in reading order, in Noto Sans CJK
    (not boxes in a Latin fallback)."""
    out = tmp_path / "phone.pdf"
    run_chromium((written / "sample" / "index.html").as_uri(), f"--print-to-pdf={out}", "--no-pdf-header-footer",
                 work=tmp_path, width=390, height=844)
    assert out.is_file()
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    # NFKC: the font's ToUnicode maps some glyphs to their Kangxi radicals (⽢ for 甘).
    text = unicodedata.normalize("NFKC", "".join("".join(p.extract_text() for p in reader.pages).split()))
    positions = [text.find(unicodedata.normalize("NFKC", r.number)) for r in sample_rows()]
    assert f"{CENTER}2026年11月案件受理及办结情况公示" in text
    assert -1 not in positions and positions == sorted(positions)
    assert "𠮷某、䶮某" in text and "本月受理6件" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts, fonts
