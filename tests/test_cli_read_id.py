"""``mediation-desk read-id``: a card's images in, its fields and doubts out (JSON or text), with
no login and no database; anything that is not a card image refused in one Chinese line, exit 2."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from tests.idcard_gen import make_card, render

from .test_cli import run_cli

CARD = replace(make_card(601, rotation=-2.5), name="何春梅")


def test_a_card_read_from_front_and_back_prints_its_fields_as_json(tmp_path: Path) -> None:
    front, back = tmp_path / "front.jpg", tmp_path / "back.jpg"
    front.write_bytes(render(CARD, "front"))
    back.write_bytes(render(CARD, "back"))
    result = run_cli("read-id", str(back), str(front), "--json")  # either order
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["fields"] == CARD.truth
    assert out["flags"] == {} and out["flagged"] is False and out["sides"] == ["front", "back"]
    text = run_cli("read-id", str(front))
    assert text.returncode == 0 and f"公民身份号码：{CARD.id_number}" in text.stdout and "读到：正面" in text.stdout


def write(path: Path, content: bytes | None) -> Path:
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(("name", "content", "words"), [
    ("empty.jpg", b"", "空文件"),
    ("readme.png", b"just some text\n", "文本文件"),
    ("folder.jpg", None, "文件夹"),
    ("missing.jpg", "absent", "不存在"),
])
def test_what_is_not_a_card_image_is_refused_in_one_chinese_line(tmp_path: Path, name: str,
                                                                 content: bytes | str | None, words: str) -> None:
    path = tmp_path / name if content == "absent" else write(tmp_path / name,
                                                             content if not isinstance(content, str) else b"")
    result = run_cli("read-id", str(path), "--json")
    assert result.returncode == 2, result.stdout
    assert words in result.stderr and name in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr and result.stdout == ""


def test_a_photo_without_a_card_is_refused(tmp_path: Path) -> None:
    photo = tmp_path / "风景.png"
    Image.new("RGB", (800, 600), (90, 160, 220)).save(photo)
    result = run_cli("read-id", str(photo))
    assert result.returncode == 2 and "没有找到居民身份证" in result.stderr and "Traceback" not in result.stderr
