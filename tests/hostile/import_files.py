"""Crafted files for ``mediation-desk import-cases``: each one hostile in one way, next to good rows.

Every case says what the command must do with its file: the exit status, the Chinese messages it
prints, and which of the file's tickets end up imported (the good rows, and nothing of a refused
row). ``tests/hostile/test_import_files.py`` runs each one through the real command on SQLite and
PostgreSQL; ``python -m tests.hostile.import_files DIR`` writes them to DIR to try by hand (the
small ones are kept in ``tests/hostile/import/``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

#: Registration times of good rows: in the past whatever the real date (the command checks times
#: against the real clock; the in-process tests inject ``today``).
WHEN = "2026-11-20 09:30"
HEADER = "来源编号,登记时间,纠纷类型,纠纷名称,申请人,申请人身份证号,申请人电话,涉及人数,涉及金额,纠纷简要情况"
GOOD_ID = "11010519491231002X"
GOOD_PHONE = "13800138000"


def good(ref: str) -> str:
    return f"{ref},{WHEN},邻里,排水纠纷,王建军,{GOOD_ID},{GOOD_PHONE},3,12500,邻居排水流入院内"


def row(ref: str, **cells: str) -> str:
    """A CSV line of the header above with some cells replaced (quoted when needed)."""
    values = {"来源编号": ref, "登记时间": WHEN, "纠纷类型": "邻里", "纠纷名称": "排水纠纷", "申请人": "李四",
              "申请人身份证号": "", "申请人电话": "", "涉及人数": "", "涉及金额": "", "纠纷简要情况": ""}
    names = {"id": "申请人身份证号", "phone": "申请人电话", "people": "涉及人数", "amount": "涉及金额",
             "facts": "纠纷简要情况", "when": "登记时间", "name": "申请人", "title": "纠纷名称"}
    for key, value in cells.items():
        values[names[key]] = value
    return ",".join(_quote(v) for v in values.values())


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


GOOD_RECORD = {"来源编号": "J-OK", "登记时间": WHEN, "纠纷类型": "邻里", "纠纷名称": "排水纠纷", "申请人": "王建军"}


def json_file(*records: str) -> bytes:
    """A JSON array of records given as JSON text (so that they can be malformed on purpose)."""
    return ("[\n" + ",\n".join(records) + "\n]\n").encode("utf-8")


def record(**cells: object) -> str:
    return json.dumps({**GOOD_RECORD, **cells}, ensure_ascii=False)


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    content: bytes
    #: 0 all imported, 1 some rows refused, 2 the file refused whole
    status: int
    #: What stderr must say (each a substring).
    messages: tuple[str, ...]
    #: The tickets (``source_ref`` without the system) that must be imported.
    imported: tuple[str, ...] = ()
    #: What stderr must never show.
    hidden: tuple[str, ...] = (GOOD_ID, GOOD_PHONE)

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}{self.suffix}"
        path.write_bytes(self.content)
        return path


def _row_case(case_name: str, column: str, reason: str, **cells: str) -> Case:
    """A CSV file of a good row, the hostile row (line 3) and another good row."""
    return Case(case_name, ".csv", csv_file(good("OK-1"), row("BAD", **cells), good("OK-2")), 1,
                (f"第 3 行，{column}：", reason), ("OK-1", "OK-2"))


#: Files up to this size are kept in git (tests/hostile/import/); the rest are made by main().
KEPT_BYTES = 4096
NESTED = "[" * 100_000 + "]" * 100_000

CASES: tuple[Case, ...] = (
    Case("good_full_width", ".csv", csv_file(
        good("OK-1"), row("OK-2", when="２０２６-１１-２０", id="１１０１０５１９４９１２３１００２Ｘ",
                          phone="１３８ ００１３ ８０００", people="１２人", amount="１２，５００．５０"),
    ), 0, ("导入 2 件",), ("OK-1", "OK-2")),
    _row_case("cell_200000_chars", "纠纷简要情况", "过长（200000 个字符，最多 20000 字）", facts="x" * 200_000),
    _row_case("name_201_chars", "申请人", "过长（201 字，最多 200 字）", name="张" * 201),
    _row_case("count_superscript", "涉及人数", "应为不小于 0 的整数", people="²"),
    _row_case("count_arabic_indic", "涉及人数", "应为不小于 0 的整数", people="٣"),
    _row_case("count_power_superscript", "涉及人数", "应为不小于 0 的整数", people="10²⁰"),
    _row_case("count_5000_digits", "涉及人数", "人数过大", people="9" * 5000),
    _row_case("count_negative", "涉及人数", "应为不小于 0 的整数", people="-3"),
    _row_case("amount_5000_digits", "涉及金额", "金额过大", amount="9" * 5000),
    _row_case("amount_5000_decimals", "涉及金额", "金额最多两位小数", amount="1." + "3" * 5000),
    _row_case("amount_power_superscript", "涉及金额", "不是有效的金额", amount="10²⁰"),
    _row_case("amount_exponent", "涉及金额", "不是有效的金额", amount="1e400"),
    _row_case("amount_nan", "涉及金额", "不是有效的金额", amount="NaN"),
    _row_case("amount_infinity", "涉及金额", "不是有效的金额", amount="-Infinity"),
    _row_case("amount_underscore", "涉及金额", "不是有效的金额", amount="1_000"),
    _row_case("amount_devanagari", "涉及金额", "不是有效的金额", amount="१२५००"),
    _row_case("amount_negative", "涉及金额", "不是有效的金额", amount="-12500"),
    _row_case("phone_arabic_indic", "申请人电话", "只能包含数字（0–9）", phone="١٣٨٠٠١٣٨٠٠٠"),
    _row_case("phone_superscript", "申请人电话", "只能包含数字（0–9）", phone="1³800138000"),
    _row_case("phone_circled", "申请人电话", "只能包含数字（0–9）", phone="①3800138000"),
    _row_case("id_arabic_indic", "申请人身份证号", "前 17 位只能是数字", id="١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"),
    _row_case("id_superscript_check_digit", "申请人身份证号", "最后一位只能是数字或 X", id="11010519491231002²"),
    _row_case("id_15_digit_suggestion_masked", "申请人身份证号", "110105********002X", id="110105491231002"),
    _row_case("nul_in_cell", "申请人", "含有空字符（NUL）", name="王\x00建军"),
    _row_case("control_character_in_cell", "纠纷名称", "控制字符", title="排水\x1b[31m纠纷"),
    _row_case("year_1948", "登记时间", "年份 1948 早于 1949 年", when="1948-10-01"),
    _row_case("year_2999", "登记时间", "年份 2999 晚于明年", when="2999-01-01 08:00"),
    _row_case("year_zero", "登记时间", "不是可识别的日期时间", when="0000-01-01"),
    _row_case("year_10000", "登记时间", "不是可识别的日期时间", when="10000-01-01"),
    _row_case("date_arabic_indic", "登记时间", "不是可识别的日期时间", when="٢٠٢٦-١١-٢٠"),
    _row_case("date_superscript", "登记时间", "不是可识别的日期时间", when="2026-11-2⁰"),
    _row_case("date_offset_overflow", "登记时间", "不是可识别的日期时间", when="0001-01-01T00:00+23:59"),
    Case("duplicate_header", ".csv", (HEADER + ",来源编号\n" + good("OK-1") + ",X\n").encode(), 2,
         ("列“来源编号”重复出现：第 1 列和第 11 列",)),
    Case("duplicate_header_english", ".csv", ("source_ref," + HEADER + "\nA," + good("OK-1") + "\n").encode(), 2,
         ("列“来源编号”重复出现：第 1 列和第 2 列（“source_ref”与“来源编号”是同一列）",)),
    Case("nul_in_header", ".csv", csv_file(good("OK-1")).replace("纠纷类型".encode(), b"\x00"), 2,
         ("表头含有空字符（NUL）",)),
    Case("utf16", ".csv", csv_file(good("OK-1")).decode().encode("utf-16"), 2, ("既不是 UTF-8 也不是 GB18030",)),
    Case("no_header_masks_numbers", ".csv", (good("OK-1") + "\n").encode(), 2, ("不认识的列：OK-1",)),
    Case("binary", ".csv", bytes(range(256)) * 4, 2, ("既不是 UTF-8 也不是 GB18030",)),
    Case("empty", ".csv", b"", 2, ("文件是空的",)),
    Case("stray_column", ".csv", csv_file(good("OK-1"), row("BAD") + ",多出一列"), 1,
         ("第 3 行：有 11 列，表头有 10 列",), ("OK-1",)),
    Case("unterminated_quote", ".csv", csv_file(good("OK-1"), row("BAD") + ',"没有结束的引号'), 1,
         ("第 3 行：有 11 列，表头有 10 列",), ("OK-1",)),
    Case("json_nested_100000_in_cell", ".json", json_file(
        record(来源编号="J-OK"), '{"来源编号": "J-BAD", "纠纷简要情况": ' + NESTED + "}", record(来源编号="J-OK2"),
    ), 1, ("第 3 行：嵌套层次过深",), ("J-OK", "J-OK2")),
    Case("json_nested_100000_record", ".json", json_file(record(来源编号="J-OK"), NESTED), 1,
         ("第 3 行：嵌套层次过深",), ("J-OK",)),
    Case("json_nested_100000_file", ".json", NESTED.encode(), 1, ("第 1 行：嵌套层次过深",)),
    Case("json_5000_digit_count", ".json", json_file(
        record(来源编号="J-OK"), record(来源编号="J-BAD")[:-1] + ', "涉及人数": ' + "9" * 5000 + "}",
    ), 1, ("第 3 行，涉及人数：人数过大",), ("J-OK",)),
    Case("json_huge_exponent", ".json", json_file(
        record(来源编号="J-OK"), record(来源编号="J-BAD")[:-1] + ', "涉及金额": 1e400}',
    ), 1, ("第 3 行，涉及金额：“1e400”不是有效的金额",), ("J-OK",)),
    Case("json_nan", ".json", json_file(
        record(来源编号="J-OK"), record(来源编号="J-BAD")[:-1] + ', "涉及人数": NaN}',
    ), 1, ("第 3 行，涉及人数：应为不小于 0 的整数",), ("J-OK",)),
    Case("json_nul_escape", ".json", json_file(record(来源编号="J-OK"), record(来源编号="J-BAD", 申请人="王\u0000五")),
         1, ("第 3 行，申请人：含有空字符（NUL）",), ("J-OK",)),
    Case("json_lone_surrogate", ".json", json_file(
        record(来源编号="J-OK"), record(来源编号="J-BAD")[:-1] + ', "纠纷简要情况": "\\ud800"}',
    ), 1, ("第 3 行，纠纷简要情况：含有空字符（NUL）、控制字符或无效字符",), ("J-OK",)),
    Case("json_duplicate_key", ".json", json_file(
        record(来源编号="J-OK"), record(来源编号="J-BAD")[:-1] + ', "来源编号": "J-BAD2"}',
    ), 1, ("第 3 行：字段“来源编号”重复出现",), ("J-OK",)),
    Case("json_object_in_cell", ".json",
         json_file(record(来源编号="J-OK"), record(来源编号="J-BAD", 纠纷名称={"a": 1})), 1,
         ("第 3 行：字段“纠纷名称”应为文字或数字",), ("J-OK",)),
    Case("json_boolean_in_cell", ".json", json_file(record(来源编号="J-OK"), record(来源编号="J-BAD", 纠纷名称=True)),
         1, ("第 3 行：字段“纠纷名称”应为文字或数字，不能是true/false",), ("J-OK",)),
    Case("json_not_an_object", ".json", json_file(record(来源编号="J-OK"), '"文字"', "12"), 1,
         ("第 3 行：不是一个对象", "第 4 行：不是一个对象"), ("J-OK",)),
    Case("json_truncated", ".json", json_file(record(来源编号="J-OK"), record(来源编号="J-BAD"))[:-30], 2,
         ("JSON 格式错误（第 3 行",)),
    Case("json_cases_not_array", ".json", b'{"cases": 5}', 2, ("JSON 文件应为案件对象的数组",)),
    Case("json_wrapped_with_nesting", ".json", ('{"meta": ' + NESTED + ', "cases": [' + record(来源编号="J-OK")
                                                + "]}").encode(), 0, ("导入 1 件",), ("J-OK",)),
)


def main(argv: list[str]) -> int:
    """With a folder: every file into it. Without: the small ones into ``tests/hostile/import/``."""
    folder = Path(argv[0]) if argv else Path(__file__).with_name("import")
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [c for c in CASES if argv or len(c.content) <= KEPT_BYTES]
    for case in chosen:
        case.write(folder)
    print(f"{len(chosen)} files in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
