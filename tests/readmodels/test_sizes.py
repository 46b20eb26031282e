"""One way of writing a file's size across the desk (backups, the space a copy needs, a scanned
file over its limit, the transfer packet's list): the unit changes at each power of 1024, a
megabyte and up keeps one decimal, and no size is written as zero of a larger unit."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.readmodels.sizes import GB, KB, MB, size_text


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 字节"), (1, "1 字节"), (1023, "1023 字节"),
    (KB, "1 KB"), (12 * KB + 100, "12 KB"), (MB - 1, "1024 KB"),
    (MB, "1.0 MB"), (50 * MB, "50.0 MB"), (50 * MB + 300 * KB, "50.3 MB"), (GB - 1, "1024.0 MB"),
    (GB, "1.0 GB"), (7_781_646_336, "7.2 GB"),
])
def test_each_unit_from_its_power_of_1024(size: int, text: str) -> None:
    assert size_text(size) == text


@given(st.integers(min_value=0, max_value=1 << 50))
def test_a_size_reads_back_within_its_rounding(size: int) -> None:
    number, unit = re.fullmatch(r"(\d+(?:\.\d)?) (字节|KB|MB|GB)", size_text(size)).groups()  # type: ignore[union-attr]
    scale = {"字节": 1, "KB": KB, "MB": MB, "GB": GB}[unit]
    step = 1 if unit in ("字节", "KB") else 0.1
    assert abs(float(number) - size / scale) <= step / 2 + 1e-9
    assert float(number) > 0 or size == 0
