"""The command line's documents name the person who made them, print the return-visit record, and
take the witnesses and evidence a court summary needs (issue 18 items 5, 7, 8)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from .test_cli import DEMO_LOGIN_STDIN, _demo_center, as_, run_cli, sqlite_url  # noqa: F401 - sqlite_url: fixture


def _text(pdf: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def _cases(url: str, state: str) -> list[str]:
    listed = run_cli("--database", url, "case", "list", "--state", state, "--limit", "50", "--json", *as_("head"),
                     stdin=DEMO_LOGIN_STDIN)
    assert listed.returncode == 0, listed.stderr
    return [c["number"] for c in json.loads(listed.stdout)["cases"]]


def test_the_dossier_names_its_filer_and_visits_and_witnesses_print(sqlite_url: str, tmp_path: Path) -> None:  # noqa: F811
    _demo_center(sqlite_url)
    closed = _cases(sqlite_url, "closed")
    out = tmp_path / "dossier.pdf"
    made = run_cli("--database", sqlite_url, "doc", "dossier", closed[0], "--out", str(out), *as_("head"),
                   stdin=DEMO_LOGIN_STDIN)
    assert made.returncode == 0, made.stderr
    text = _text(out)
    assert "立卷人：陈志强" in text and "立卷人：系统" not in text

    # A return-visit record of its own, for the closed case that has one.
    visit = tmp_path / "visit.pdf"
    for number in closed:
        made = run_cli("--database", sqlite_url, "doc", "return-visit", number, "--out", str(visit), *as_("head"),
                       stdin=DEMO_LOGIN_STDIN)
        if made.returncode == 0:
            break
        assert "还没有回访记录" in made.stderr
    assert made.returncode == 0 and "人民调解回访记录已写入" in made.stdout
    text = _text(visit)
    assert "回访方式：" in text and "后续诉讼情况：" in text and "矛盾隐患：" in text and "中心回访组" not in text

    # A witness, refused without what they can prove, then recorded.
    number = _cases(sqlite_url, "in_mediation")[0]
    refused = run_cli("--database", sqlite_url, "case", "witness", number, "--name", "刘强", "--address", "网格站",
                      *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert refused.returncode == 2 and "--proves" in refused.stderr
    wrong = run_cli("--database", sqlite_url, "case", "witness", number, "--name", "刘强", "--address", "网格站",
                    "--proves", "看见了", "--named-by", "无此人", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert wrong.returncode != 0 and "不是本案当事人" in wrong.stderr
    added = run_cli("--database", sqlite_url, "case", "witness", number, "--name", "刘强", "--address", "网格站",
                    "--proves", "看见了", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert added.returncode == 0, added.stderr
    assert "已登记证人刘强（第 1 位）" in added.stdout
    # A closed case takes no witness: the records' rule and words.
    shut = run_cli("--database", sqlite_url, "case", "witness", "add", closed[0], "--name", "刘强", "--address",
                   "网格站", "--proves", "看见了", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert shut.returncode == 2 and f"案件 {closed[0]} 已结案，不能再登记证人。" in shut.stderr

    # Corrected: only what is given changes; a stale --expect-version is refused and changes nothing.
    def listed() -> dict[str, Any]:
        shown = run_cli("--database", sqlite_url, "case", "witness", "list", number, "--json", *as_("head"),
                        stdin=DEMO_LOGIN_STDIN)
        assert shown.returncode == 0, shown.stderr
        data: dict[str, Any] = json.loads(shown.stdout)
        return data

    before = listed()
    assert before["may_write"] is True
    [witness] = before["witnesses"]
    assert (witness["name"], witness["version"]) == ("刘强", 1)
    edited = run_cli("--database", sqlite_url, "case", "witness", "edit", number, "1", "--address",
                     "甘州区南街街道馨园小区网格站", "--proves", "2025年8月见到车库渗水", "--expect-version", "1",
                     *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert edited.returncode == 0, edited.stderr
    assert "已修改证人刘强（第 1 位）" in edited.stdout
    stale = run_cli("--database", sqlite_url, "case", "witness", "edit", number, "1", "--name", "刘强强",
                    "--expect-version", "1", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert stale.returncode == 2 and "刚被他人修改" in stale.stderr
    [now] = listed()["witnesses"]
    assert (now["name"], now["address"], now["proves"], now["phone"], now["version"]) == (
        "刘强", "甘州区南街街道馨园小区网格站", "2025年8月见到车库渗水", "", 2)
    missing = run_cli("--database", sqlite_url, "case", "witness", "edit", number, "7", "--name", "王五",
                      *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert missing.returncode == 2 and "没有这位证人（第 1 位 刘强）" in missing.stderr
    removed = run_cli("--database", sqlite_url, "case", "witness", "remove", number, "1", *as_("head"),
                      stdin=DEMO_LOGIN_STDIN)
    assert removed.returncode == 0 and "已删除证人刘强（第 1 位）" in removed.stdout
    assert listed()["witnesses"] == []
    # The closed case's tab says why it is read-only.
    shown = run_cli("--database", sqlite_url, "case", "witness", "list", closed[0], *as_("head"),
                    stdin=DEMO_LOGIN_STDIN)
    assert shown.returncode == 0 and f"案件 {closed[0]} 已结案" in shown.stdout
