"""Hostile transfer packets, crafted byte by byte.

Each entry of :data:`HOSTILE` builds one packet that ``import-packet`` must refuse, and names a
fragment of the Chinese message it must refuse it with. They start from :func:`good_packet`, a
small packet the importer accepts (one party with a valid ID number and mobile, one file), so
each one is wrong in exactly one way. ZIP structures that ``zipfile`` will not write (members
sharing bytes, a deflate stream longer than its declared size, a local header disagreeing with
the central directory) are assembled here by hand.

``python -m tests.hostile.packets.craft DIR`` writes them all to DIR (the 100 MiB overlap bomb
takes a second or two to build).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import sys
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediation_desk.services.validation import credit_code_check_char, resident_id_check_char

MiB = 1024 * 1024
DEFLATED = zipfile.ZIP_DEFLATED
STORED = zipfile.ZIP_STORED


def resident_id(first17: str = "62070219900307451") -> str:
    return first17 + resident_id_check_char(first17)


def credit_code(first17: str = "91620702MA7XK3L4P") -> str:
    return first17 + credit_code_check_char(first17)


PDF = b"%PDF-1.4\n% a transfer letter\n" + b"0123456789" * 200 + b"\n%%EOF\n"


def party(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "role": "applicant", "kind": "person", "name": "欧阳䶮", "sex": "male", "birth_date": "1990-03-07",
        "ethnicity": "汉族", "occupation": "", "work_unit": "", "address": "甘州区馨园小区3号楼",
        "phone": "13809361234", "id_type": "resident_id", "id_number": resident_id(),
        "legal_representative": "", "credit_code": "", "is_minor": False,
        "agent": {"name": "", "phone": "", "authority": ""}}
    base.update(changes)
    return base


def company(**changes: Any) -> dict[str, Any]:
    return party(role="respondent", kind="legal_person", name="张掖市馨园物业服务有限公司", sex=None,
                 birth_date=None, ethnicity="", phone="0936-8212345", id_type=None, id_number="",
                 legal_representative="赵明远", credit_code=credit_code(), **changes)


def file_entry(path: str, content: bytes) -> dict[str, Any]:
    media_type = "image/jpeg" if path.endswith(".jpg") else "application/pdf"
    return {"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
            "media_type": media_type}


def manifest(files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """A complete version-1 manifest listing ``files``; the first is the transfer letter."""
    return {
        "format": "mediation-desk/transfer-packet", "schema_version": 1,
        "packet_id": str(uuid.UUID(int=0x1234_5678_9ABC_4DEF_8123_456789ABCDEF)),
        "created_at": "2026-03-09T10:15:00", "generator": "mediation-desk hostile test",
        "origin": {"center": "张掖市甘州区矛盾纠纷调处化解中心", "committee": "甘州区人民调解委员会",
                   "case_number": "（2026）甘矛调字第0042号"},
        "target": {"kind": "court", "name": "张掖市甘州区人民法院"},
        "case": {"number": "（2026）甘矛调字第0042号", "title": "车库渗水赔偿纠纷", "dispute_type": "物业纠纷",
                 "source_channel": "visit", "risk_level": "yellow", "is_group_dispute": False,
                 "may_turn_criminal": False, "people_involved": 2, "amount_involved": "8600.00",
                 "address": "甘州区馨园小区", "village": "馨园社区", "grid": "第三网格",
                 "received_at": "2026-02-02T09:30:00", "accepted_at": "2026-02-02T10:00:00",
                 "facts": "申请人车库顶板渗水。", "requests": ["维修防水层"]},
        "parties": [party(), company()],
        "claims": ["请求被申请人维修车库顶板防水层"],
        "failure_reason": "双方分歧较大。", "terminated_on": "2026-03-06", "undisputed_facts": None,
        "records": [],
        "evidence": [{"file": path, "filename": f"材料{index}.pdf", "kind": "evidence", "party": 0,
                      "note": "", "added_at": "2026-02-03T11:00:00"}
                     for index, (path, _content) in enumerate(files[1:], start=1)],
        "documents": [{"kind": "transfer_letter", "title": "移送函", "file": files[0][0]}],
        "files": [file_entry(path, content) for path, content in files],
    }


def dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def zip_bytes(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content, method in members:
            zf.writestr(name, content, compress_type=method)
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(500)
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"
GOOD_FILES = [("documents/transfer-letter.pdf", PDF), ("evidence/photo.jpg", PHOTO)]


def good_packet(mutate: Callable[[dict[str, Any]], object] | None = None, *,
                raw_manifest: bytes | None = None) -> bytes:
    """The accepted packet, its manifest changed by ``mutate`` (or replaced by ``raw_manifest``)."""
    data = manifest(GOOD_FILES)
    if mutate is not None:
        mutate(data)
    text = raw_manifest if raw_manifest is not None else dump(data)
    return zip_bytes([("manifest.json", text, DEFLATED), *((n, c, STORED) for n, c in GOOD_FILES)])


# --------------------------------------------------------------------------- raw ZIP pieces


def local_header(name: bytes, crc: int, csize: int, usize: int, method: int, flags: int = 0) -> bytes:
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, csize, usize,
                       len(name), 0) + name


def central_entry(name: bytes, crc: int, csize: int, usize: int, method: int, offset: int, flags: int = 0) -> bytes:
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, crc, csize, usize,
                       len(name), 0, 0, 0, 0, 0, offset) + name


def end_record(count: int, size: int, offset: int) -> bytes:
    return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, size, offset, 0)


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@dataclass
class RawMember:
    """One member as it is written: its local header may say something else than its directory entry."""

    name: str
    data: bytes
    crc: int
    usize: int
    method: int
    local_name: str | None = None
    local_sizes: tuple[int, int] | None = None
    extra_csize: int = 0
    offset: int = field(default=0, init=False)


def member(name: str, content: bytes, method: int = DEFLATED, **changes: Any) -> RawMember:
    data = deflate(content) if method == DEFLATED else content
    return RawMember(name, data, zlib.crc32(content), len(content), method, **changes)


def raw_zip(members: list[RawMember]) -> bytes:
    out = bytearray()
    for m in members:
        m.offset = len(out)
        csize, usize = m.local_sizes or (len(m.data), m.usize)
        out += local_header((m.local_name or m.name).encode(), m.crc, csize + m.extra_csize, usize, m.method, 0x800)
        out += m.data
    directory = bytearray()
    for m in members:
        directory += central_entry(m.name.encode(), m.crc, len(m.data) + m.extra_csize, m.usize, m.method,
                                   m.offset, 0x800)
    start = len(out)
    return bytes(out + directory + end_record(len(members), len(directory), start))


# --------------------------------------------------------------------------- the overlap bomb


def _kernel_unit() -> bytes:
    """1 MiB that deflates about 72 to 1: under the importer's ratio limit of 100."""
    rnd = random.Random(5)
    unit = bytearray(MiB)
    for i in range(0, MiB, 200):
        unit[i] = rnd.randrange(1, 256)
    return bytes(unit)


def overlap_bomb(members: int = 5, mebibytes: int = 99) -> bytes:
    """David Fifield's "better zip bomb": every member's deflate stream starts with a stored block
    quoting the next member's local header, then runs into that member's data, so all members
    decompress the one shared kernel. ``members`` × ``mebibytes`` MiB from about 1.5 MB; every
    member is consistent in itself (names, sizes, CRC-32 and the manifest's SHA-256 all right)."""
    unit = _kernel_unit()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    kernel = segment * mebibytes + zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    kernel_size = mebibytes * MiB

    def kernel_sha(prefix: bytes) -> str:
        digest = hashlib.sha256(prefix)
        for _ in range(mebibytes):
            digest.update(unit)
        return digest.hexdigest()

    names = [f"evidence/{index:03d}.pdf" for index in range(1, members + 1)]
    # Built from the last member back: each one's header depends on everything after it.
    headers: list[bytes] = [b""] * members
    entries: list[tuple[int, int, int]] = [(0, 0, 0)] * members  # crc, csize, usize
    sha: list[str] = [""] * members
    quoted = b""  # the headers after the current member, as its output begins with them
    tail = kernel  # the bytes after the current member's local header
    for index in range(members - 1, -1, -1):
        # crc32 of quoted + kernel: continue the checksum over the kernel's output.
        running = zlib.crc32(quoted)
        for _ in range(mebibytes):
            running = zlib.crc32(unit, running)
        entries[index] = (running, len(tail), len(quoted) + kernel_size)
        sha[index] = kernel_sha(quoted)
        headers[index] = local_header(names[index].encode(), running, len(tail), len(quoted) + kernel_size,
                                      DEFLATED, 0x800)
        if index:
            block = struct.pack("<BHH", 0, len(headers[index]), len(headers[index]) ^ 0xFFFF)
            quoted = headers[index] + quoted
            tail = block + headers[index] + tail
    data = manifest(GOOD_FILES)
    data["files"] += [{"path": n, "size": entries[i][2], "sha256": sha[i], "media_type": "application/pdf"}
                      for i, n in enumerate(names)]
    data["evidence"] = [{"file": n, "filename": f"照片{i}.pdf", "kind": "evidence", "party": None, "note": "",
                         "added_at": "2026-02-03T11:00:00"} for i, n in enumerate(names)]
    front = zip_bytes([("manifest.json", dump(data), DEFLATED), *((n, c, STORED) for n, c in GOOD_FILES)])
    with zipfile.ZipFile(io.BytesIO(front)) as zf:
        front_infos = zf.infolist()
        start_dir = zf.start_dir
    out = bytearray(front[:start_dir])
    first = len(out)
    out += headers[0] + tail
    directory = bytearray(front[start_dir:-22])  # the front's own entries, then the bomb's
    offset = first
    for index in range(members):
        crc, csize, usize = entries[index]
        directory += central_entry(names[index].encode(), crc, csize, usize, DEFLATED, offset, 0x800)
        if index + 1 < members:
            offset += len(headers[index]) + 5  # the next header sits right after the quoting block's head
    start = len(out)
    count = len(front_infos) + members
    return bytes(out + directory + end_record(count, len(directory), start))


# --------------------------------------------------------------------------- the list


def _with_files(files: list[tuple[str, bytes]], members: list[RawMember],
                change: Callable[[dict[str, Any]], object] | None = None) -> bytes:
    """A raw ZIP: the manifest (listing ``files``) first, then ``members`` as crafted."""
    data = manifest(files)
    if change is not None:
        change(data)
    return raw_zip([member("manifest.json", dump(data)), *members])


def _longer_than_declared() -> bytes:
    declared = b"%PDF-1.4\n" + bytes(4000)
    actual = declared + bytes(50_000)  # the stream goes on; size, CRC and SHA-256 say only `declared`
    forged = RawMember("evidence/001.pdf", deflate(actual), zlib.crc32(declared), len(declared), DEFLATED)
    return _with_files([*GOOD_FILES, ("evidence/001.pdf", declared)],
                       [member(n, c, STORED) for n, c in GOOD_FILES] + [forged])


def _local_size_differs() -> bytes:
    content = b"%PDF-1.4\n" + b"x" * 3000
    lying = member("evidence/001.pdf", content, local_sizes=(10, 10))
    return _with_files([*GOOD_FILES, ("evidence/001.pdf", content)],
                       [member(n, c, STORED) for n, c in GOOD_FILES] + [lying])


def _local_name_differs() -> bytes:
    content = b"%PDF-1.4\n" + b"y" * 3000
    lying = member("evidence/001.pdf", content, local_name="../../../tmp/evil.pdf")
    return _with_files([*GOOD_FILES, ("evidence/001.pdf", content)],
                       [member(n, c, STORED) for n, c in GOOD_FILES] + [lying])


def _shared_stored_bytes() -> bytes:
    """Two stored members, the first one's data running over the second's header and data."""
    inner = b"%PDF-1.4\n" + b"z" * 3000
    second = local_header(b"evidence/002.pdf", zlib.crc32(inner), len(inner), len(inner), STORED, 0x800) + inner
    outer = RawMember("evidence/001.pdf", second, zlib.crc32(second), len(second), STORED)
    built = _with_files([*GOOD_FILES, ("evidence/001.pdf", second), ("evidence/002.pdf", inner)],
                        [member(n, c, STORED) for n, c in GOOD_FILES] + [outer])
    # Add the second member's directory entry, pointing inside the first member's data.
    with zipfile.ZipFile(io.BytesIO(built)) as zf:
        start = zf.start_dir
        offset = zf.getinfo("evidence/001.pdf").header_offset + 30 + len(b"evidence/001.pdf")
        count = len(zf.infolist()) + 1
    directory = built[start:-22] + central_entry(b"evidence/002.pdf", zlib.crc32(inner), len(inner), len(inner),
                                                 STORED, offset, 0x800)
    return built[:start] + directory + end_record(count, len(directory), start)


def _data_runs_into_directory() -> bytes:
    content = b"%PDF-1.4\n" + b"w" * 3000
    return _with_files([*GOOD_FILES, ("evidence/001.pdf", content)],
                       [member(n, c, STORED) for n, c in GOOD_FILES]
                       + [member("evidence/001.pdf", content, DEFLATED, extra_csize=40)])


def many_small_bombs(count: int = 200) -> bytes:
    """Members of 1 MiB each — under the size from which one member's ratio is judged — each
    deflating about 1000 to 1 and each different (so no two share a stored copy)."""
    contents = [(f"evidence/{index:03d}.pdf", b"%PDF-" + index.to_bytes(2, "big") + bytes(MiB - 7))
                for index in range(count)]
    files = [*GOOD_FILES, *contents]
    return zip_bytes([("manifest.json", dump(manifest(files)), DEFLATED), *((n, c, STORED) for n, c in GOOD_FILES),
                      *((n, c, DEFLATED) for n, c in contents)])


def _nul_in_name() -> bytes:
    # zipfile cuts a name at NUL when it writes one, and when it reads one: written by hand.
    return _with_files(GOOD_FILES, [member(n, c, STORED) for n, c in GOOD_FILES]
                       + [member("evidence/a.pdf\x00../../x", b"%PDF", STORED)])


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Change one field of the manifest: ``parties.0.phone``."""
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[int(last) if isinstance(target, list) else last] = value
    return change


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _raw(change: Callable[[str], str]) -> bytes:
    return good_packet(raw_manifest=change(dump(manifest(GOOD_FILES)).decode()).encode())


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    # ZIP structure
    "overlap bomb (5 × 99 MiB from 1.5 MB)": (overlap_bomb, "数据互相重叠"),
    "stored members sharing bytes": (_shared_stored_bytes, "数据互相重叠"),
    "200 small bombs of 1 MiB": (many_small_bombs, "压缩比异常"),
    "deflate stream longer than declared": (_longer_than_declared, "超过了声明的"),
    "local header sizes differ from directory": (_local_size_differs, "文件头与目录记录的大小或校验值不一致"),
    "local header name differs from directory": (_local_name_differs, "文件头中写的却是"),
    "member data runs into the directory": (_data_runs_into_directory, "与材料包的目录重叠"),
    "NUL byte in a member name": (_nul_in_name, "控制字符"),
    "executable declared as a PDF": (lambda: _with_files(
        [*GOOD_FILES, ("evidence/001.pdf", EXE)],
        [member(n, c, STORED) for n, c in [*GOOD_FILES, ("evidence/001.pdf", EXE)]]), "Windows 可执行程序"),
    # the manifest's JSON
    "nesting 100000 deep": (lambda: _raw(lambda t: t.replace('"claims": [', f'"claims": [{_deep(100_000)}, ')),
                            "嵌套超过"),
    "nesting one level too deep": (lambda: good_packet(_set("parties.0.agent.name", {"x": 1})), "嵌套超过"),
    "object where a string belongs": (lambda: good_packet(_set("case.title", {"x": 1})), "case.title 应为字符串"),
    "evidence party beyond the parties": (lambda: good_packet(_set("evidence.0.party", 7)), "不存在的当事人"),
    "array nested in agent": (lambda: _raw(lambda t: t.replace('"authority": ""', '"authority": [[]]', 1)), "嵌套超过"),
    "integer of 5000 digits": (lambda: _raw(lambda t: t.replace('"people_involved": 2', '"people_involved": '
                                                                 + "9" * 5000)), "无法读取的数值"),
    "people_involved beyond range": (lambda: good_packet(_set("case.people_involved", 10**15)), "不能大于"),
    "negative people_involved": (lambda: good_packet(_set("case.people_involved", -1)), "不能小于"),
    "evidence party index 2**64": (lambda: _raw(lambda t: t.replace('"party": 0', f'"party": {2**64}')), "不能大于"),
    "file size beyond 2 GiB": (lambda: good_packet(_set("files.0.size", 2**40)), "不能大于"),
    "schema_version 10**30": (lambda: good_packet(_set("schema_version", 10**30)), "schema_version"),
    "NaN": (lambda: _raw(lambda t: t.replace('"people_involved": 2', '"people_involved": NaN')), "NaN"),
    "Infinity": (lambda: _raw(lambda t: t.replace('"people_involved": 2', '"people_involved": -Infinity')),
                 "Infinity"),
    "float for an integer": (lambda: good_packet(_set("case.people_involved", 2.0)), "应为整数"),
    "boolean for an integer": (lambda: good_packet(_set("case.people_involved", True)), "应为整数"),
    "duplicate key": (lambda: _raw(lambda t: t.replace('"title": "车库渗水赔偿纠纷"',
                                                        '"title": "车库渗水赔偿纠纷", "title": "另一个"')),
                      "出现了两次"),
    "byte order mark": (lambda: good_packet(raw_manifest=b"\xef\xbb\xbf" + dump(manifest(GOOD_FILES))), "BOM"),
    "not UTF-8": (lambda: good_packet(raw_manifest=dump(manifest(GOOD_FILES)).replace("欧阳".encode(), b"\xff\xfe")),
                  "不是 UTF-8"),
    "NUL in a text": (lambda: good_packet(_set("case.facts", "渗水\x00")), "不可用的字符"),
    "lone surrogate": (lambda: _raw(lambda t: t.replace('"facts": "申请人', '"facts": "\\ud800申请人')),
                       "不可用的字符"),
    "newline after the packet id": (lambda: good_packet(_set("packet_id", manifest(GOOD_FILES)["packet_id"] + "\n")),
                                    "packet_id"),
    "non-ASCII digits in a date": (lambda: good_packet(_set("terminated_on", "２０２６-03-06")), "terminated_on"),
    "manifest is a list": (lambda: good_packet(raw_manifest=b"[]"), "JSON 对象"),
    "string over its length": (lambda: good_packet(_set("case.title", "长" * 201)), "超过 200 个字符"),
    # the parties, as intake checks them
    "ID number check digit wrong": (lambda: good_packet(_set("parties.0.id_number", "620702199003074510"
                                                             if resident_id()[-1] != "0" else "620702199003074511")),
                                    "parties[0].id_number"),
    "15-digit ID number": (lambda: good_packet(_set("parties.0.id_number", "620702900307451")), "15 位"),
    "ID with a birth date that does not exist": (lambda: good_packet(_set("parties.0.id_number",
                                                                          resident_id("62070219900230451"))),
                                                 "出生日期"),
    "sex contradicting the ID number": (lambda: good_packet(_set("parties.0.sex", "female")), "parties[0].sex"),
    "phone of 10 digits": (lambda: good_packet(_set("parties.0.phone", "1380936123")), "parties[0].phone"),
    "phone of letters": (lambda: good_packet(_set("parties.0.phone", "call me")), "parties[0].phone"),
    "agent phone wrong": (lambda: good_packet(_set("parties.0.agent.phone", "12345")), "parties[0].agent.phone"),
    "credit code check character wrong": (lambda: good_packet(_set("parties.1.credit_code",
                                                                   credit_code()[:17] + ("0" if credit_code()[17] != "0"
                                                                                         else "1"))),
                                          "parties[1].credit_code"),
    "credit code on a person": (lambda: good_packet(_set("parties.0.credit_code", credit_code())),
                                "parties[0].credit_code"),
    "passport number of punctuation": (lambda: good_packet(lambda d: d["parties"][0].update(
        id_type="passport", id_number="!!!")), "parties[0].id_number"),
    "negative amount": (lambda: good_packet(_set("case.amount_involved", "-8600.00")), "amount_involved"),
    "amount of 13 digits": (lambda: good_packet(_set("case.amount_involved", "1234567890123")), "amount_involved"),
    "amount in full-width digits": (lambda: good_packet(_set("case.amount_involved", "８６００")), "amount_involved"),
}


def build_all() -> Iterator[tuple[str, bytes, str]]:
    for name, (make, message) in HOSTILE.items():
        yield name, make(), message


def file_name(case: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in case.encode("ascii", "replace").decode()).strip("-") + ".zip"


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("hostile-packets")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.zip").write_bytes(good_packet())
    for name, content, message in build_all():
        (folder / file_name(name)).write_bytes(content)
        print(f"{file_name(name)}\t{len(content):,} B\t{message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
