"""The ZIP layout checks refuse what they should and nothing more: ZIPs written by other tools
(data descriptors, bytes before the archive) still import; the bomb is refused before a single
byte of it is decompressed."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from mediation_desk.exchange import importer
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.exchange.importer import verify_packet

from .craft import DEFLATED, GOOD_FILES, HOSTILE, dump, good_packet, manifest, overlap_bomb


class _Unseekable(io.RawIOBase):
    """A pipe: zipfile then writes each member's sizes and CRC after its data (a data descriptor)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.data += b
        return len(b)


def test_a_packet_written_as_a_stream_is_accepted(tmp_path: Path) -> None:
    out = _Unseekable()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in [("manifest.json", dump(manifest(GOOD_FILES))), *GOOD_FILES]:
            info = zipfile.ZipInfo(name, (2026, 3, 9, 10, 15, 0))
            info.compress_type = DEFLATED
            with zf.open(info, "w") as member:
                member.write(content)
    packet = tmp_path / "streamed.zip"
    packet.write_bytes(bytes(out.data))
    with zipfile.ZipFile(packet) as zf:
        assert all(info.flag_bits & 0x08 for info in zf.infolist())
    assert set(verify_packet(packet).files) == {name for name, _content in GOOD_FILES}


def test_bytes_before_the_archive_are_tolerated(tmp_path: Path) -> None:
    packet = tmp_path / "prefixed.zip"
    packet.write_bytes(b"#!/bin/sh\nexit 0\n" + good_packet())
    assert len(verify_packet(packet).files) == len(GOOD_FILES)


def test_the_overlap_bomb_is_refused_before_anything_is_decompressed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    packet = tmp_path / "bomb.zip"
    packet.write_bytes(overlap_bomb(members=3, mebibytes=20))
    with zipfile.ZipFile(packet) as zf:
        declared = sum(info.file_size for info in zf.infolist())
    assert declared > 40 * packet.stat().st_size  # it is a bomb: 60 MiB declared from about 300 kB

    def no_inflating(*_args: object) -> object:
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zlib, "decompressobj", no_inflating)
    with pytest.raises(PacketRefused, match="数据互相重叠"):
        verify_packet(packet)


def test_a_member_never_yields_more_than_declared(tmp_path: Path) -> None:
    packet = tmp_path / "longer.zip"
    make, _message = HOSTILE["deflate stream longer than declared"]
    packet.write_bytes(make())
    with zipfile.ZipFile(packet) as zf, packet.open("rb") as fh:
        info = zf.getinfo("evidence/001.pdf")
        # zipfile itself stops at the declared size and finds the CRC right: it would accept.
        assert zlib.crc32(zf.read(info)) == info.CRC
        spans = importer._check_layout(zf, fh, {info.filename: info}, packet.stat().st_size)
    seen = 0
    with packet.open("rb") as fh, pytest.raises(PacketRefused, match="超过了声明的"):
        for chunk in importer._read_member(fh, spans[info.filename], info.file_size):
            seen += len(chunk)
    assert seen <= info.file_size
