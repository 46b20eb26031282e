"""The monthly publicity list (公示) as a static web page the center uploads to its website.

One self-contained ``index.html``: UTF-8, ``lang="zh-CN"``, its CSS inline, no script, no font,
image or link to anything outside itself (the only links are an optional ``tel:`` and ``mailto:``
for feedback). The table of each part reflows into one card per case at phone width with CSS
alone, so nothing needs a horizontal scroll on a phone.

It shows exactly the approved list (:class:`~..readmodels.publicity.PublicPage` carries the
approved snapshot's rows, never a preview), the month's figures as the PDF prints them (accepted
and closed, and the closed cases by result), the PDF's notice, and how to give feedback. Every
text is escaped (:func:`html.escape`) after characters an HTML document may not hold are dropped.
The same page gives the same bytes: nothing in it depends on when it was written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..readmodels.publicity import (
    ACCEPTED,
    CLOSED,
    COLUMNS,
    COUNT_DEFINITIONS,
    SECTION_TITLES,
    PublicityRow,
    PublicPage,
)

#: The files of the page, by name.
INDEX = "index.html"

#: The closed cases' results, in the order the figures list them (others follow by name).
RESULT_ORDER = ("调解成功", "调解不成", "调解不成，已移送", "撤回", "分流", "结案")

NOTICE = (
    "当事人姓名已按规定作化名处理，不公开住址、身份证件号码、联系电话、涉案金额及协议内容。",
    "婚姻家庭纠纷及涉及未成年人的案件依法不公开当事人信息。",
    "对公示内容如有异议，请自公示之日起 7 日内通过下方的方式向本中心反映。",
    COUNT_DEFINITIONS,
)

# Characters an HTML document may not contain (the validator's "forbidden code point"): C0 and C1
# controls but tab, line feed and carriage return, surrogates, and the noncharacters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                        "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                        "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                        "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
                        "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
_PHONE_LINK = re.compile(r"^\+?[0-9][0-9-]{3,23}[0-9]$")
_EMAIL_LINK = re.compile(r"^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$")

CSS = """\
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f4f5f7;color:#1b1b1b;line-height:1.6;
font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",
"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;font-size:16px;overflow-wrap:break-word}
.page{max-width:1200px;margin:0 auto;padding:16px}
header.title{background:#fff;border-top:4px solid #b71c1c;padding:16px 20px;margin-bottom:16px}
h1{font-size:1.5rem;line-height:1.35;margin:0 0 8px}
h2{font-size:1.2rem;margin:0 0 12px}
.meta{margin:0;color:#444}
section{background:#fff;padding:16px 20px;margin-bottom:16px}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:12px;margin:0}
.figures div{border:1px solid #d9dce1;padding:8px 12px}
.figures dt{color:#555;font-size:.9rem}
.figures dd{margin:0;font-size:1.4rem;font-weight:bold}
.results{margin:12px 0 0}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{border:1px solid #c8ccd2;padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#e8eaed;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
td.n,td.d,td.c{white-space:nowrap}
.none{margin:0;color:#555}
ol.notice{margin:0;padding-left:1.5em}
address{font-style:normal}
address p{margin:4px 0}
a{color:#0b57d0}
.approval{color:#555;font-size:.9rem;margin:0}
@media (max-width:760px){
.page{padding:8px}
header.title,section{padding:12px}
h1{font-size:1.25rem}
table,tbody,tr,td{display:block;width:100%}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
tr{border:1px solid #c8ccd2;margin-bottom:10px;background:#fff}
tbody tr:nth-child(even){background:#fff}
td{border:0;border-bottom:1px solid #eceef1;display:grid;grid-template-columns:6.5em minmax(0,1fr);gap:8px;
padding:6px 10px}
td:last-child{border-bottom:0}
td.n,td.d,td.c{white-space:normal}
td{overflow-wrap:anywhere}
td::before{content:attr(data-label);color:#555;font-weight:bold}
}
@media print{body{background:#fff}section,header.title{padding:0 0 8px}}
"""


def text(value: str) -> str:
    """``value`` as HTML text (and attribute value): forbidden characters dropped, escaped."""
    return html.escape(_FORBIDDEN.sub("", value), quote=True)


def title_of(page: PublicPage) -> str:
    month = page.listing.month
    return f"{page.listing.center_name} {month.year}年{month.month}月 案件受理及办结情况公示"


def _rows(rows: Sequence[PublicityRow], section: str) -> list[PublicityRow]:
    return [r for r in rows if r.section == section]


def result_counts(rows: Iterable[PublicityRow]) -> list[tuple[str, int]]:
    """The closed cases by result, in :data:`RESULT_ORDER` (other results after, by name)."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.section == CLOSED:
            counts[row.status] = counts.get(row.status, 0) + 1
    known = [(status, counts.pop(status)) for status in RESULT_ORDER if status in counts]
    return known + sorted(counts.items())


def _table(rows: Sequence[PublicityRow]) -> list[str]:
    if not rows:
        return ['<p class="none">（无）</p>']
    headings = [("seq", "序号"), *COLUMNS]
    out = ["<table>", "<thead><tr>" + "".join(f'<th scope="col">{text(title)}</th>' for _k, title in headings)
           + "</tr></thead>", "<tbody>"]
    narrow = {"seq": "n", "number": "c", "accepted_on": "d", "closed_on": "d"}
    for seq, row in enumerate(rows, start=1):
        cells = []
        for key, title in headings:
            value = str(seq) if key == "seq" else row.cell(key)
            shown = value if value.strip() else "—"
            css = f' class="{narrow[key]}"' if key in narrow else ""
            cells.append(f'<td{css} data-label="{text(title)}">{text(shown)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _phone_link(phone: str) -> str | None:
    plain = unicodedata.normalize("NFKC", phone).replace(" ", "")
    return f"tel:{plain}" if _PHONE_LINK.fullmatch(plain) else None


def _email_link(email: str) -> str | None:
    return f"mailto:{email}" if _EMAIL_LINK.fullmatch(email) else None


def _feedback(page: PublicPage) -> list[str]:
    feedback = page.feedback
    out = ['<section aria-labelledby="feedback">', '<h2 id="feedback">意见反馈</h2>',
           f"<p>对本公示内容有异议或意见建议的，请自公示之日起 7 日内向{text(page.listing.center_name)}反映：</p>",
           "<address>"]
    if feedback.address:
        out.append(f"<p>来访地址：{text(feedback.address)}</p>")
    if feedback.phone:
        link = _phone_link(feedback.phone)
        shown = text(feedback.phone)
        out.append(f'<p>联系电话：<a href="{text(link)}">{shown}</a></p>' if link else f"<p>联系电话：{shown}</p>")
    if feedback.email:
        link = _email_link(feedback.email)
        shown = text(feedback.email)
        out.append(f'<p>电子邮箱：<a href="{text(link)}">{shown}</a></p>' if link else f"<p>电子邮箱：{shown}</p>")
    if feedback.empty:
        out.append(f"<p>请到{text(page.listing.center_name)}当面反映。</p>")
    out += ["</address>", "</section>"]
    return out


def render_html(page: PublicPage) -> str:
    """The page's HTML (one document, CSS inline)."""
    listing = page.listing
    month = listing.month
    accepted = _rows(listing.rows, ACCEPTED)
    closed = _rows(listing.rows, CLOSED)
    title = title_of(page)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{text(title)}</title>",
        f'<meta name="description" content="{text(listing.center_name)}{month.label}受理及办结的矛盾纠纷案件公示'
        '（当事人姓名已化名）">',
        "<style>", CSS.rstrip("\n"), "</style>",
        "</head>",
        "<body>",
        '<div class="page">',
        '<header class="title">',
        f"<h1>{text(title)}</h1>",
        f'<p class="meta">公示单位：{text(listing.center_name)}　公示月份：{text(month.label)}</p>',
        "</header>",
        "<main>",
        '<section aria-labelledby="figures">',
        '<h2 id="figures">本月情况</h2>',
        '<dl class="figures">',
        f"<div><dt>本月受理</dt><dd>{len(accepted)} 件</dd></div>",
        f"<div><dt>本月办结</dt><dd>{len(closed)} 件</dd></div>",
        "</dl>",
    ]
    results = result_counts(listing.rows)
    if results:
        out.append('<p class="results">办结案件中：' + "，".join(f"{text(status)} {count} 件"
                                                              for status, count in results) + "。</p>")
    out.append("</section>")
    for number, (section, rows) in enumerate(((ACCEPTED, accepted), (CLOSED, closed))):
        anchor = "accepted" if section == ACCEPTED else "closed"
        out += [f'<section aria-labelledby="{anchor}">',
                f'<h2 id="{anchor}">{"一二"[number]}、{text(SECTION_TITLES[section])}（共 {len(rows)} 件）</h2>',
                *_table(rows), "</section>"]
    out += ['<section aria-labelledby="notice">', '<h2 id="notice">说明</h2>', '<ol class="notice">',
            *(f"<li>{text(item)}</li>" for item in NOTICE), "</ol>", "</section>"]
    out += _feedback(page)
    out.append("</main>")
    approval = listing.approval
    if approval is not None:
        out += ["<footer>",
                f'<p class="approval">本名单经中心主任于 {approval.approved_at:%Y年%m月%d日} 审核；'
                f"校验码：{text(approval.sha256[:16])}</p>",
                "</footer>"]
    out += ["</div>", "</body>", "</html>", ""]
    return "\n".join(out)


def render_files(page: PublicPage) -> dict[str, bytes]:
    """The page's files, by name (UTF-8)."""
    if page.listing.approval is None:
        raise ValueError("the public page shows an approved list only")
    return {INDEX: render_html(page).encode("utf-8")}


def write_page(page: PublicPage, folder: str | Path, *, force: bool = False, what: str = "--html") -> Path:
    """Write the page into ``folder`` whole or not at all (``files.write_folder_atomically``);
    returns the path of its ``index.html``."""
    from ..files import write_folder_atomically

    target = write_folder_atomically(folder, render_files(page), replace_files=force, what=what)
    return target / INDEX


__all__ = ["CSS", "INDEX", "render_files", "render_html", "result_counts", "text", "title_of", "write_page"]
