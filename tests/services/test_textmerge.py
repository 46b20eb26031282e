"""The three-way text merge of the conflict dialog: nothing either desk wrote is dropped."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from mediation_desk.services.textmerge import (
    END_MARKER,
    MINE_HEADING,
    has_markers,
    keep_both,
    merge_regions,
    merge_text,
    pieces,
    theirs_heading,
)

AT = datetime(2026, 12, 4, 10, 31, 40)
BASE = "申请人称：邻居堆放杂物堵住通道。被申请人称：杂物下周清走。\n调解员询问双方意见。"


def test_pieces_cut_after_sentences_and_lines_and_join_back() -> None:
    assert pieces("甲称：“墙裂了。”乙称：不知道！\n下一行；再一句") == [
        "甲称：“墙裂了。”", "乙称：不知道！\n", "下一行；", "再一句"]
    assert pieces("") == []
    assert "".join(pieces(BASE)) == BASE


def test_a_colleague_adding_a_sentence_and_my_correction_elsewhere_both_stay_unmarked() -> None:
    theirs = BASE + "补充：被申请人同意先清出一米宽通道。"
    mine = BASE.replace("堵住通道", "堵住通道约两个月")
    merged = merge_text(BASE, theirs, mine, who="王某", at=AT)
    assert merged.clashes == 0
    assert merged.text == mine + "补充：被申请人同意先清出一米宽通道。"
    assert not has_markers(merged.text)


def test_both_adding_at_the_same_place_keeps_both_marked_with_who_and_when() -> None:
    theirs = BASE + "王某补充：双方同意请村委会见证。"
    mine = BASE + "我补充：申请人要求书面道歉。"
    merged = merge_text(BASE, theirs, mine, who="王某", at=AT)
    assert merged.clashes == 1
    assert merged.text == (
        BASE + "\n【同事 王某 于 2026-12-04 10:31 保存的内容】\n王某补充：双方同意请村委会见证。\n"
        + MINE_HEADING + "\n我补充：申请人要求书面道歉。\n" + END_MARKER)
    assert has_markers(merged.text)


def test_both_rewriting_the_same_sentence_keeps_both_and_the_rest_once() -> None:
    theirs = BASE.replace("杂物下周清走", "杂物本周内清走")
    mine = BASE.replace("杂物下周清走", "杂物不是他家的")
    merged = merge_text(BASE, theirs, mine, who="", at=None)
    assert merged.clashes == 1
    assert merged.text.count("申请人称：邻居堆放杂物堵住通道。") == 1
    assert merged.text.count("调解员询问双方意见。") == 1
    assert "【同事 其他窗口 保存的内容】\n被申请人称：杂物本周内清走。\n" in merged.text
    assert MINE_HEADING + "\n被申请人称：杂物不是他家的。\n" in merged.text


def test_heading_names_the_colleague_and_the_minute() -> None:
    assert theirs_heading(" 王某 ", AT) == "【同事 王某 于 2026-12-04 10:31 保存的内容】"
    assert theirs_heading("", None) == "【同事 其他窗口 保存的内容】"


def test_lists_keep_both_rows_where_both_changed_the_same_place() -> None:
    assert keep_both(["a", "b"], ["a", "b", "c"], ["a", "b", "d"]) == ["a", "b", "c", "d"]
    assert keep_both(["a", "b", "c"], ["a", "c"], ["a", "b", "c", "d"]) == ["a", "c", "d"]
    # A row one side removed while the other added right after it: a clash, so nothing goes.
    assert keep_both(["a", "b"], ["a"], ["a", "b", "d"]) == ["a", "b", "d"]
    assert keep_both(["a", "m", "b"], ["x", "m", "b"], ["a", "m", "y"]) == ["x", "m", "y"]


# ---------------------------------------------------------------------- properties

# Few distinct sentences, so the edits overlap often and the matcher has repeats to get wrong.
sentence = st.sampled_from(["甲。", "乙。", "丙！", "丁；", "戊\n", "己", "庚。\n", "a;", "b\n"])
texts = st.lists(sentence, max_size=12).map("".join)
lines = st.lists(st.sampled_from(["甲\n", "乙\n", "丙\n", "丁\n", "戊\n"]), max_size=10).map("".join)


def added(before: str, after: str) -> list[str]:
    """The pieces of ``after`` that ``before`` does not hold as often."""
    have = Counter(pieces(before))
    return [p for p, n in Counter(pieces(after)).items() if n > have[p]]


@settings(max_examples=400, deadline=None)
@given(texts, texts, texts)
def test_the_merge_holds_every_piece_either_side_added(base: str, theirs: str, mine: str) -> None:
    merged = merge_text(base, theirs, mine, who="王某", at=AT).text
    for piece in added(base, theirs) + added(base, mine):
        assert piece.rstrip("\n") in merged


@settings(max_examples=300, deadline=None)
@given(lines, lines, lines)
def test_every_line_either_side_added_is_a_line_of_the_merge(base: str, theirs: str, mine: str) -> None:
    merged_lines = merge_text(base, theirs, mine, who="王某", at=AT).text.split("\n")
    for line in set(theirs.split("\n")) | set(mine.split("\n")):
        if line and line not in base.split("\n"):
            assert line in merged_lines


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_when_only_one_side_changed_the_merge_is_that_side(base: str, edit: str) -> None:
    assert merge_text(base, edit, base).text == edit
    assert merge_text(base, base, edit).text == edit
    assert merge_text(base, edit, base).clashes == merge_text(base, base, edit).clashes == 0


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_equal_edits_merge_to_themselves(base: str, edit: str) -> None:
    merged = merge_text(base, edit, edit)
    assert merged.text == edit and merged.clashes == 0


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts)
def test_without_a_clash_the_merge_is_the_same_whichever_desk_saved_first(base: str, theirs: str,
                                                                          mine: str) -> None:
    one = merge_text(base, theirs, mine)
    if one.clashes == 0:
        assert merge_text(base, mine, theirs).text == one.text
        assert not has_markers(one.text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=8), st.lists(st.integers(0, 4), max_size=8),
       st.lists(st.integers(0, 4), max_size=8))
def test_the_regions_rebuild_each_side(base: list[int], theirs: list[int], mine: list[int]) -> None:
    regions = merge_regions(base, theirs, mine)
    merged = keep_both(base, theirs, mine)
    assert Counter(merged) >= Counter(x for x in theirs if x not in base)
    assert Counter(merged) >= Counter(x for x in mine if x not in base)
    if not any(r.clash for r in regions):
        assert keep_both(base, mine, theirs) == merged
