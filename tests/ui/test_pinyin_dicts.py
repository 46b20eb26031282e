"""pypinyin's dictionaries read in pieces (``ui/common/pinyin_dicts``): the same dictionaries as
pypinyin's own single ``json.loads``, the same pinyin for the type-ahead, and a refusal — pypinyin
then loading them itself — for anything that is not a flat JSON object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation_desk.ui.common.pinyin_dicts import _DICTIONARIES, parse_in_pieces

ROOT = Path(__file__).resolve().parents[2]

# Strings that look like the cut's own marks: commas, quotes, colons, braces, newlines, escapes.
_tricky = st.text(alphabet=st.sampled_from(list(',": {}[]\n\\\t/uAz重庆ā')), max_size=12)
_values = st.recursive(st.one_of(_tricky, st.integers(), st.none(), st.booleans()),
                       lambda inner: st.lists(inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_tricky, _values, max_size=30), st.sampled_from([None, 0, 1, 2]),
       st.integers(min_value=1, max_value=64))
def test_pieces_equal_one_parse(entries: dict[str, object], indent: int | None, piece: int) -> None:
    text = json.dumps(entries, ensure_ascii=False, indent=indent)
    assert parse_in_pieces(text, piece) == json.loads(text)


@pytest.mark.parametrize("text", ["[1, 2]", '"text"', "{", '{"a": 1,}', '{"a": {"b": 1}, "c": 2', "", "{} x"])
def test_not_a_flat_object_is_refused(text: str) -> None:
    with pytest.raises(ValueError):  # json.JSONDecodeError is a ValueError
        parse_in_pieces(text, 4)


def test_pypinyins_own_files_read_the_same() -> None:
    import importlib.util

    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.origin is not None
    folder = Path(spec.origin).parent
    for _module, _attribute, file_name, _ints in _DICTIONARIES:
        text = (folder / file_name).read_text(encoding="utf-8")
        assert parse_in_pieces(text) == json.loads(text), file_name


_PROBE = """
import hashlib, json, sys
if sys.argv[1] == "pieces":
    from mediation_desk.ui.common import pinyin_dicts
    pinyin_dicts.load()
from mediation_desk.ui.common.typeahead import search_keys
from pypinyin import constants
words = ["重庆", "银行", "矛盾纠纷调解", "长春市朝阳区", "单于", "行长", "欧阳䶮", "当事人 1：张三", "Ünïcode", "𠮷"]
print(json.dumps({
    "keys": [search_keys(word) for word in words],
    "phrases": hashlib.sha256(json.dumps(constants.PHRASES_DICT, sort_keys=True).encode()).hexdigest(),
    "chars": hashlib.sha256(json.dumps(constants.PINYIN_DICT, sort_keys=True).encode()).hexdigest(),
    "ours": not hasattr(sys.modules["pypinyin.phrases_dict"], "__file__"),
}))
"""


def test_the_type_ahead_reads_the_same_pinyin_as_pypinyins_own_load() -> None:
    def run(how: str) -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-c", _PROBE, how], cwd=ROOT, capture_output=True, text=True,
                              check=True, env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
        return dict(json.loads(done.stdout))

    own, pieces = run("own"), run("pieces")
    assert pieces["ours"] and not own["ours"]
    assert {**pieces, "ours": None} == {**own, "ours": None}
    assert pieces["keys"][0] == ["重庆", "cq", "chongqing"]
