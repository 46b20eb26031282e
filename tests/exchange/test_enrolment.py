"""Setting up an offline township's desk from the county's own rows (docs/crossings.md, "Setting up
a township desk"): the county writes an enrolment file, a new township file takes its centers and
dispute types from it, and its first 上报 packet is then accepted at the county with nothing typed
by hand. Applied again it changes nothing; a conflicting row refuses the whole file; hostile files
(other formats and versions, extra or changed members, any flipped byte) are refused in Chinese."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mediation_desk import cli, demo
from mediation_desk.db import Database
from mediation_desk.exchange.crossing import export_crossing, import_crossing
from mediation_desk.exchange.enrolment import FORMAT, enrol, read_enrolment, write_enrolment
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.models import AuditEntry, Center, CenterLevel, DisputeCase, DisputeType, Role, User
from mediation_desk.services import auth, cases, crossings
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..conftest import login_as
from ..services.helpers import new_case_input

TODAY = datetime(2026, 9, 25, 10, 0)
COUNTY, LJD = "张掖市甘州区矛盾纠纷调处中心", "甘州区梁家墩镇综治中心"


@pytest.fixture
def county(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    shutil.copyfile(sqlite_template, tmp_path / "county.sqlite3")
    db = Database(f"sqlite:///{tmp_path / 'county.sqlite3'}")
    with db.write() as session:
        demo.seed(session, 2, today=TODAY, township_cases=1)
        # A type of the county's own: a township that lacks it would file such cases as 其他.
        session.add(DisputeType(name="草原承包", sort_order=40))
    yield db
    db.dispose()


@pytest.fixture
def township_path(tmp_path: Path, sqlite_template: Path) -> Path:
    """A new township file: migrated, the standard types, its one default center, no account."""
    path = tmp_path / "township.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return path


@pytest.fixture
def enrolment(county: Database, tmp_path: Path) -> Path:
    out = tmp_path / "梁家墩入驻.zip"
    write_enrolment(county, login_as(county, "admin"), "甘州梁家墩调", out=out)
    return out


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def _centers(db: Database) -> list[tuple[str, str, str, str | None]]:
    with db.read() as session:
        rows = session.scalars(select(Center).order_by(Center.id)).all()
        names = {c.id: c.prefix for c in rows}
        return [(c.name, c.level.value, c.prefix, names.get(c.parent_id) if c.parent_id else None) for c in rows]


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
         ) -> Callable[..., tuple[int, str, str]]:
    def run(url: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main(["--database", url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def test_a_new_township_file_takes_the_county_centers_and_its_first_packet_is_accepted(
        county: Database, township_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    run = _cli(monkeypatch, capsys)
    county_url = county.url.render_as_string(hide_password=False)
    out = tmp_path / "入驻.zip"
    code, said, err = run(county_url, "centers", "enrolment", "--center", "甘州梁家墩调", "--out", str(out),
                          "--as", "admin", "--password-stdin", stdin=f"{demo.DEMO_PASSWORD}\n")
    assert code == 0, err
    assert f"入驻文件已写入 {out}：{COUNTY}（甘矛调） → {LJD}（甘州梁家墩调），纠纷类型 18 个" in said
    with county.read() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "center.enrolment_export")).all()
    assert len(logged) == 1

    # At the township: a file with no account yet applies it without a login.
    url = f"sqlite:///{township_path}"
    code, said, err = run(url, "centers", "enrol", str(out))
    assert code == 0, err
    # The county holds cases under the township's prefix already: the desk numbers after them.
    with county.read() as session:
        held = session.scalar(select(func.max(DisputeCase.seq)).join(Center, Center.id == DisputeCase.center_id)
                              .where(Center.prefix == "甘州梁家墩调", DisputeCase.year == 2026))
    assert held
    assert said.startswith(f"已应用入驻文件（{COUNTY}（甘矛调） → {LJD}（甘州梁家墩调））：新建中心：{LJD}；"
                           f"按县级修改中心：{COUNTY}；新增纠纷类型 1 个；{LJD}的案号从县级已有的号码之后接续"
                           f"（2026 年第 {held} 号之后）。")
    township = Database(url)
    try:
        assert _centers(township) == [(COUNTY, "county", "甘矛调", None), (LJD, "township", "甘州梁家墩调", "甘矛调")]
        with township.read() as session:
            from mediation_desk.services import center as settings_store
            from mediation_desk.settings import CASE_NUMBER_PREFIX, CENTER_NAME

            # The first center is the center settings too.
            assert settings_store.get(session, CENTER_NAME) == COUNTY
            assert settings_store.get(session, CASE_NUMBER_PREFIX) == "甘矛调"
            assert session.scalar(select(DisputeType.sort_order).where(DisputeType.name == "草原承包")) == 40
            audited = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert audited == ["update_center", "create_center", "center.enrolment"]
    finally:
        township.dispose()

    # Again: nothing changes, not even the audit log.
    before = _dump(township_path)
    code, said, err = run(url, "centers", "enrol", str(out))
    assert code == 0, err
    assert said.startswith("入驻文件此前已应用：本库的中心与县级一致") and "本次未作任何更改" in said
    assert _dump(township_path) == before

    # The township's accounts, then its first 上报: the county accepts the packet as it is.
    township = Database(url)
    try:
        with township.write() as session:
            ljd = session.scalar(select(Center.id).where(Center.prefix == "甘州梁家墩调"))
            auth.create_user(session, Actor.system("test"), username="ljd", display_name="梁主任", role=Role.HEAD,
                             password="Ljd@2026xx", must_change_password=False, center_id=ljd)
        head = login_as(township, "ljd", "Ljd@2026xx")
        with township.write() as session:
            type_id = session.scalar(select(DisputeType.id).where(DisputeType.name == "草原承包"))
            case_input = new_case_input(township, received_at=TODAY)
            case_id = cases.register_case(session, head, case_input.__class__(**{
                **case_input.__dict__, "dispute_type_id": type_id}))
            number = cases.case_detail(session, head, case_id).number
            step = crossings.report_up(session, head, case_id, reason="涉及草原承包，本镇无法调处")
        assert number == f"（2026）甘州梁家墩调字第{held + 1:04d}号"
        packet = export_crossing(township, head, step.uid, out=tmp_path / "up.zip").path
    finally:
        township.dispose()
    done = import_crossing(county, login_as(county, "clerk"), packet)
    assert done.created_case and not done.replayed
    with county.read() as session:
        copy = session.scalar(select(DisputeCase).where(DisputeCase.number == number))
        assert copy is not None
        assert session.scalar(select(DisputeType.name).where(DisputeType.id == copy.dispute_type_id)) == "草原承包"


def test_the_township_accounts_are_made_on_the_command_line_with_center(
        enrolment: Path, township_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``user add --center PREFIX``: a township desk set up from the county's enrolment file makes
    its township's accounts without the app; an unknown prefix is refused in Chinese before any
    password is read, and nothing is written; without --center the default center, as before."""
    run = _cli(monkeypatch, capsys)
    url = f"sqlite:///{township_path}"
    assert run(url, "centers", "enrol", str(enrolment))[0] == 0
    before = _dump(township_path)
    code, said, err = run(url, "user", "add", "zhao", "--name", "赵磊", "--role", "admin", "--first-admin",
                          "--center", "甘州梁家墩", "--password-stdin", stdin="Admin#2026x\n")
    assert code == 2 and said == "" and "Traceback" not in err
    assert "--center：没有案号前缀为“甘州梁家墩”的中心。本库的中心：甘矛调（" in err and "甘州梁家墩调（" in err
    assert _dump(township_path) == before
    code, said, err = run(url, "user", "add", "zhao", "--name", "赵磊", "--role", "admin", "--first-admin",
                          "--password-stdin", stdin="Admin#2026x\n")
    assert code == 0, err
    code, said, err = run(url, "user", "add", "ljd", "--name", "梁主任", "--role", "head", "--center", "甘州梁家墩调",
                          "--as", "zhao", "--password-stdin", stdin="Admin#2026x\nLjd@2026xx\n")
    assert code == 0, err
    assert said == "已创建账户 ljd（梁主任，中心主任，甘州梁家墩调）。\n"
    code, said, err = run(url, "user", "add", "lin", "--name", "林文", "--role", "intake", "--as", "zhao",
                          "--password-stdin", stdin="Admin#2026x\nLin@2026xxx\n")
    assert code == 0, err
    code, said, err = run(url, "user", "add", "eve", "--name", "夏娃", "--role", "head", "--center", "别处调",
                          "--as", "zhao", "--password-stdin", stdin="Admin#2026x\nEve@2026xxx\n")
    assert code == 2 and "没有案号前缀为“别处调”的中心" in err and len(err.splitlines()) == 1
    township = Database(url)
    try:
        with township.read() as session:
            placed = dict(session.execute(select(User.username, Center.prefix)
                                          .join(Center, Center.id == User.center_id)).all())
    finally:
        township.dispose()
    assert placed == {"zhao": "甘矛调", "ljd": "甘州梁家墩调", "lin": "甘矛调"}  # no eve


def test_an_existing_township_file_is_corrected_and_conflicts_refuse_the_whole_file(
        enrolment: Path, township_path: Path) -> None:
    db = Database(f"sqlite:///{township_path}")
    system = Actor.system("test")
    try:
        # Entered by hand before: the county right, the township with a typo in its name.
        with db.write() as session:
            root = session.scalar(select(Center).where(Center.parent_id.is_(None)))
            assert root is not None
            root.name, root.prefix = COUNTY, "甘矛调"
            session.add(Center(name="甘州区梁家敦镇综治中心", level=CenterLevel.TOWNSHIP, parent_id=root.id,
                               prefix="甘州梁家墩调"))
        done = enrol(db, system, enrolment)
        assert done.updated == (LJD,) and done.created == () and done.types_added == ("草原承包",)
        assert _centers(db)[1] == (LJD, "township", "甘州梁家墩调", "甘矛调")
    finally:
        db.dispose()


@pytest.mark.parametrize(("setup", "refusal"), [
    pytest.param("name_other_prefix", f"本库已有名为“{LJD}”的中心，案号前缀是“梁家墩”，而县级服务器上是“甘州梁家墩调”",
                 id="same-name-other-prefix"),
    pytest.param("prefix_other_level", "本库中案号前缀“甘州梁家墩调”的中心“梁家墩村委会”是村级中心",
                 id="prefix-of-another-level"),
    pytest.param("root_with_cases", "已有 1 件案件，不能改为县级中心", id="first-center-numbers-cases"),
])
def test_a_conflicting_row_refuses_the_file_and_writes_nothing(enrolment: Path, township_path: Path, setup: str,
                                                               refusal: str) -> None:
    db = Database(f"sqlite:///{township_path}")
    try:
        with db.write() as session:
            root = session.scalar(select(Center).where(Center.parent_id.is_(None)))
            assert root is not None
            if setup == "name_other_prefix":
                session.add(Center(name=LJD, level=CenterLevel.TOWNSHIP, parent_id=root.id, prefix="梁家墩"))
            elif setup == "prefix_other_level":
                root.name, root.prefix = COUNTY, "甘矛调"
                town = Center(name="某镇", level=CenterLevel.TOWNSHIP, parent_id=root.id, prefix="某镇调")
                session.add(town)
                session.flush()
                session.add(Center(name="梁家墩村委会", level=CenterLevel.VILLAGE, parent_id=town.id,
                                   prefix="甘州梁家墩调"))
        if setup == "root_with_cases":
            with db.write() as session:
                auth.create_user(session, Actor.system("test"), username="clerk", display_name="王", role=Role.INTAKE,
                                 password="Clerk@2026x", must_change_password=False)
            with db.write() as session:
                cases.register_case(session, login_as(db, "clerk", "Clerk@2026x"), new_case_input(db,
                                                                                                  received_at=TODAY))
        db.dispose()
        before = _dump(township_path)
        with pytest.raises(PacketRefused) as refused:
            enrol(db, Actor.system("test"), enrolment)
        assert refusal in refused.value.message
        db.dispose()
        assert _dump(township_path) == before
    finally:
        db.dispose()


def test_only_an_administrator_writes_or_applies_and_the_county_is_not_enrolled(
        county: Database, enrolment: Path, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        write_enrolment(county, login_as(county, "head"), "甘州梁家墩调", out=tmp_path / "x.zip")
    with pytest.raises(InvalidInput, match="是县级中心本身"):
        write_enrolment(county, login_as(county, "admin"), "甘矛调", out=tmp_path / "x.zip")
    with pytest.raises(InvalidInput, match=r"没有案号前缀为“无此调”的中心.*甘州区党寨镇综治中心（甘州党寨调）"):
        write_enrolment(county, login_as(county, "admin"), "无此调", out=tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    with pytest.raises(PermissionDenied):
        enrol(county, login_as(county, "head"), enrolment)


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(source) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def _manifest(change: Callable[[dict[str, object]], None]) -> Callable[[dict[str, bytes]], None]:
    def apply(members: dict[str, bytes]) -> None:
        data = json.loads(members["manifest.json"])
        change(data)
        members["manifest.json"] = json.dumps(data, ensure_ascii=False).encode()
    return apply


def _content(change: Callable[[dict[str, object]], None]) -> Callable[[dict[str, bytes]], None]:
    """Change enrolment.json and list its new size and SHA-256 (a forger's file, consistent)."""
    import hashlib

    def apply(members: dict[str, bytes]) -> None:
        data = json.loads(members["enrolment.json"])
        change(data)
        body = json.dumps(data, ensure_ascii=False).encode()
        members["enrolment.json"] = body
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = [{"path": "enrolment.json", "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}]
        members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    return apply


def _set(key: str, value: object) -> Callable[[dict[str, object]], None]:
    return lambda data: data.__setitem__(key, value)


def _first_center(key: str, value: object) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        chain = data["centers"]
        assert isinstance(chain, list)
        chain[-1][key] = value
    return change


@pytest.mark.parametrize(("change", "refusal"), [
    pytest.param(_manifest(_set("format", "mediation-desk/crossing-packet")), f"format 应为“{FORMAT}”",
                 id="another-format"),
    pytest.param(_manifest(_set("schema_version", 3)), "不支持的入驻文件版本 3", id="newer-version"),
    pytest.param(_manifest(_set("enrolment_id", "x")), "enrolment_id 应为小写的 UUID", id="bad-id"),
    pytest.param(lambda m: m.__setitem__("extra.txt", b"x"), "超过 2 个的上限", id="extra-member"),
    pytest.param(lambda m: m.__setitem__("enrolment.json", m["enrolment.json"].replace("梁家墩".encode(),
                                                                                       "梁家敦".encode())),
                 "SHA-256 校验值与清单不符", id="changed-content"),
    pytest.param(_content(_first_center("prefix", "甘州（梁家墩）调")), "不是有效的案号前缀", id="bad-prefix"),
    pytest.param(_content(_first_center("level", "village")), "层级无效", id="wrong-level"),
    pytest.param(_content(_first_center("parent", "别的前缀")), "应为上一级中心的案号前缀", id="wrong-parent"),
    pytest.param(_content(_first_center("name", "x" * 81)), "超过 80 个字符", id="long-name"),
    pytest.param(_content(_set("dispute_types", [{"name": "邻里", "is_private": "no", "sort_order": 1}])),
                 "is_private 或 sort_order 无效", id="bad-type"),
    pytest.param(_content(_set("centers", [])), "应列出县级中心", id="no-centers"),
    pytest.param(_content(_set("numbers", [{"year": 2026, "last": 0}])), "年份或案号序号无效", id="bad-number"),
    pytest.param(_content(_set("numbers", [{"year": 2026, "last": 3}, {"year": 2026, "last": 9}])),
                 "年份或案号序号无效", id="year-twice"),
])
def test_hostile_files_are_refused_in_chinese(enrolment: Path, tmp_path: Path,
                                              change: Callable[[dict[str, bytes]], None], refusal: str) -> None:
    hostile = _rewrite(enrolment, tmp_path / "hostile.zip", change)
    with pytest.raises(PacketRefused) as refused:
        read_enrolment(hostile)
    assert refusal in refused.value.message


def _renamed(old: str, new: str) -> Callable[[dict[str, bytes]], None]:
    def apply(members: dict[str, bytes]) -> None:
        members[new] = members.pop(old)
    return apply


@pytest.mark.parametrize(("change", "refusal"), [
    pytest.param(lambda m: m.__setitem__("extra.txt", b"x"), "入驻文件含有 3 个文件", id="too-many-members"),
    pytest.param(_renamed("enrolment.json", "../x.json"), "入驻文件中的文件名“../x.json”含有“..”",
                 id="escaping-name"),
    pytest.param(_renamed("manifest.json", "清单.json"), "入驻文件中的文件名", id="unlisted-name"),
    pytest.param(_renamed("manifest.json", "other.json"), "入驻文件中缺少 manifest.json", id="no-manifest"),
    pytest.param(lambda m: m.__setitem__("manifest.json", b'{"a": NaN}'), "入驻文件已损坏或不是本程序生成的",
                 id="json-constant"),
    pytest.param(lambda m: m.__setitem__("manifest.json", b"[" * 200 + b"]" * 200), "入驻文件已损坏或不是本程序生成的",
                 id="json-deep"),
    pytest.param(lambda m: m.__setitem__("manifest.json", b'{"a": 1'), "入驻文件已损坏或不是本程序生成的",
                 id="json-broken"),
])
def test_the_shared_zip_checks_call_an_enrolment_file_an_enrolment_file(
        enrolment: Path, tmp_path: Path, change: Callable[[dict[str, bytes]], None], refusal: str) -> None:
    """The ZIP and JSON checks are the transfer packet's; their refusals name the file the
    administrator chose (入驻文件), never a 材料包 they never saw."""
    hostile = _rewrite(enrolment, tmp_path / "hostile.zip", change)
    with pytest.raises(PacketRefused) as refused:
        read_enrolment(hostile)
    assert refusal in refused.value.message and "材料包" not in refused.value.message


def test_a_truncated_or_missing_enrolment_file_is_named_as_one(enrolment: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(enrolment.read_bytes()[: enrolment.stat().st_size // 2])
    for path, said in ((truncated, "不是完整的 ZIP 入驻文件"), (tmp_path / "absent.zip", "找不到入驻文件“")):
        with pytest.raises(PacketRefused) as refused:
            read_enrolment(path)
        assert said in refused.value.message and "材料包" not in refused.value.message


def test_not_a_zip_on_the_command_line_is_one_chinese_line(township_path: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    run = _cli(monkeypatch, capsys)
    before = _dump(township_path)
    for content in (b"", b"PK\x03\x04 truncated", "入驻".encode()):
        bad = tmp_path / "bad.zip"
        bad.write_bytes(content)
        code, said, err = run(f"sqlite:///{township_path}", "centers", "enrol", str(bad))
        assert code == 2 and said == "" and err.startswith("错误：") and "Traceback" not in err
        assert len(err.splitlines()) == 1
    assert _dump(township_path) == before


@pytest.fixture(scope="module")
def module_enrolment(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("enrolment")
    shutil.copyfile(sqlite_template, folder / "county.sqlite3")
    db = Database(f"sqlite:///{folder / 'county.sqlite3'}")
    try:
        with db.write() as session:
            demo.seed(session, 2, today=TODAY, township_cases=1)
        write_enrolment(db, login_as(db, "admin"), "甘州梁家墩调", out=folder / "in.zip")
    finally:
        db.dispose()
    return folder / "in.zip"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_flipped_byte_is_refused_or_reads_the_same_file(module_enrolment: Path, tmp_path: Path,
                                                            data: st.DataObject) -> None:
    original = read_enrolment(module_enrolment)
    raw = bytearray(module_enrolment.read_bytes())
    position = data.draw(st.integers(0, len(raw) - 1))
    raw[position] ^= data.draw(st.integers(1, 255))
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(raw))
    try:
        read = read_enrolment(flipped)
    except PacketRefused as refused:
        assert refused.message
    else:  # a byte nobody reads (a time stamp): the same centers and types
        assert read == original


def test_the_county_on_its_server_writes_the_file_and_a_server_refuses_to_apply_one(
        db: Database, township_path: Path, tmp_path: Path) -> None:
    """The county's database on each backend (PostgreSQL: the county's server) writes the file; the
    township's SQLite file takes it. A server's centers are never set from a file."""
    with db.write() as session:
        demo.seed(session, 2, today=TODAY, township_cases=1)
    admin = login_as(db, "admin")
    written = write_enrolment(db, admin, "甘州党寨调", out=tmp_path / "党寨.zip")
    assert [c.prefix for c in written.enrolment.centers] == ["甘矛调", "甘州党寨调"]
    assert written.enrolment.numbers and len(written.enrolment.dispute_types) == 17
    township = Database(f"sqlite:///{township_path}")
    try:
        assert enrol(township, Actor.system("test"), written.path).created == ("甘州区党寨镇综治中心",)
        assert [c[2] for c in _centers(township)] == ["甘矛调", "甘州党寨调"]
    finally:
        township.dispose()
    if not db.is_sqlite:
        with pytest.raises(InvalidInput, match="用于离线乡镇工作台的 SQLite 数据库"):
            enrol(db, admin, written.path)


def test_the_login_less_setup_is_refused_once_an_account_exists(enrolment: Path, township_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(f"sqlite:///{township_path}")
    try:
        with db.write() as session:
            auth.create_user(session, Actor.system("test"), username="zhao", display_name="赵磊", role=Role.ADMIN,
                             password="Town@2026xx", must_change_password=False)
        before = _dump(township_path)
        with pytest.raises(PermissionDenied, match="已经有用户账户"):
            enrol(db, Actor.system("enrolment"), enrolment, no_accounts=True)
        assert _dump(township_path) == before
    finally:
        db.dispose()
    # On the command line: a login, as an administrator.
    run = _cli(monkeypatch, capsys)
    url = f"sqlite:///{township_path}"
    code, _said, err = run(url, "centers", "enrol", str(enrolment))
    assert code == 2 and "此命令需要登录" in err
    code, said, err = run(url, "centers", "enrol", str(enrolment), "--as", "zhao", "--password-stdin",
                          stdin="Town@2026xx\n")
    assert code == 0, err
    assert said.startswith("已应用入驻文件")


# --------------------------------------------------------------------------- the township's profile


def _keep_ljd_profile(county: Database, phone: str = "0936-8561234") -> None:
    from mediation_desk.readmodels.center import CenterProfile
    from mediation_desk.services import center

    with county.write() as session:
        center.set_profile(session, login_as(county, "ljd_head"),
                           CenterProfile("甘州区梁家墩镇政府院内", phone, "梁家墩镇人民调解委员会"))


def _version_and_content(path: Path) -> tuple[int, dict[str, object]]:
    with zipfile.ZipFile(path) as zf:
        return (json.loads(zf.read("manifest.json"))["schema_version"], json.loads(zf.read("enrolment.json")))


def test_a_file_without_a_profile_stays_version_1(enrolment: Path) -> None:
    version, content = _version_and_content(enrolment)
    assert version == 1 and "profile" not in content  # a desk of before reads it
    assert read_enrolment(enrolment).profile is None


def test_the_township_profile_travels_in_the_file_and_fills_only_what_the_desk_has_not_kept(
        county: Database, township_path: Path, tmp_path: Path) -> None:
    from mediation_desk.models import CenterFeedback
    from mediation_desk.readmodels.center import CenterProfile
    from mediation_desk.services import center

    _keep_ljd_profile(county)
    out = tmp_path / "with-profile.zip"
    write_enrolment(county, login_as(county, "admin"), "甘州梁家墩调", out=out)
    version, content = _version_and_content(out)
    assert version == 2
    assert content["profile"] == {"address": "甘州区梁家墩镇政府院内", "phone": "0936-8561234",
                                  "committee": "梁家墩镇人民调解委员会"}
    township = Database(f"sqlite:///{township_path}")
    try:
        done = enrol(township, Actor.system("enrolment"), out, no_accounts=True)
        assert done.profile_set == ("地址", "电话", "人民调解委员会名称") and done.profile_kept == ()
        assert done.message.endswith(f"按县级填写{LJD}文书上的地址、电话、人民调解委员会名称。")
        with township.read() as session:
            ljd = session.scalars(select(Center.id).where(Center.prefix == "甘州梁家墩调")).one()
            printed = center.center_issuer(session, ljd)
            assert (printed.address, printed.phone, printed.committee) == (
                "甘州区梁家墩镇政府院内", "0936-8561234", "梁家墩镇人民调解委员会")
            assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "center.profile")).all() \
                == ["center.profile"]
        # The township changes its phone on its own desk; the county's next file does not undo it.
        with township.write() as session:
            session.get_one(CenterFeedback, ljd).phone = "0936-8560000"
        township.dispose()
        before = _dump(township_path)
        again = enrol(township, Actor.system("enrolment"), out, no_accounts=True)
        assert not again.changed and again.profile_kept == ("电话",)
        assert "本库已填写的电话与县级不同，保留本库的。" in again.message
        township.dispose()
        assert _dump(township_path) == before
        with township.read() as session:
            assert center.profile(session, ljd) == CenterProfile("甘州区梁家墩镇政府院内", "0936-8560000",
                                                                 "梁家墩镇人民调解委员会")
    finally:
        township.dispose()


GOOD_PROFILE = {"address": "甘州区梁家墩镇政府院内", "phone": "0936-8561234", "committee": ""}


@pytest.mark.parametrize(("version", "profile", "refusal"), [
    pytest.param(1, GOOD_PROFILE, "enrolment.json", id="profile-in-a-version-1-file"),
    pytest.param(2, {**GOOD_PROFILE, "phone": "梁家墩镇政府"}, "profile.phone 无效：联系电话“梁家墩镇政府”不是电话号码",
                 id="not-a-phone"),
    pytest.param(2, {**GOOD_PROFILE, "committee": "梁家墩镇"}, "应以“委员会”结尾", id="not-a-committee"),
    pytest.param(2, {**GOOD_PROFILE, "address": 7}, "profile.address 应为不含控制字符的字符串", id="not-text"),
    pytest.param(2, {**GOOD_PROFILE, "address": "院内\u0000"}, "profile.address 应为不含控制字符的字符串",
                 id="control-character"),
    pytest.param(2, {**GOOD_PROFILE, "email": "a@b.cn"}, "入驻文件的 profile", id="unknown-key"),
    pytest.param(2, {"address": "", "phone": "", "committee": ""}, "各项均为空", id="all-blank"),
    pytest.param(2, {**GOOD_PROFILE, "address": "址" * 201}, "地址最长 200 个字符", id="long-address"),
    pytest.param(2, ["甘州区"], "入驻文件的 profile", id="not-an-object"),
])
def test_a_hostile_profile_is_refused_in_chinese(enrolment: Path, tmp_path: Path, version: int, profile: object,
                                                refusal: str) -> None:
    def change(members: dict[str, bytes]) -> None:
        _content(_set("profile", profile))(members)
        _manifest(_set("schema_version", version))(members)

    hostile = _rewrite(enrolment, tmp_path / "hostile.zip", change)
    with pytest.raises(PacketRefused) as refused:
        read_enrolment(hostile)
    assert refusal in refused.value.message, refused.value.message


def test_centers_profile_on_the_command_line(county: Database, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """``centers profile``: shown without options; set by the head of the center for its own
    center only; a phone that is not a phone refused naming the field, nothing written."""
    run = _cli(monkeypatch, capsys)
    url = county.url.render_as_string(hide_password=False)
    login = ("--as", "ljd_head", "--password-stdin")
    code, said, err = run(url, "centers", "profile", *login, stdin=f"{demo.DEMO_PASSWORD}\n")
    assert code == 0, err
    assert said == (f"本中心（{LJD}）文书上的信息：\n  地址：（未填写：文书上留一条线，手写）\n"
                    "  电话：（未填写：文书上留一条线，手写）\n"
                    "  人民调解委员会：甘州区梁家墩镇人民调解委员会（未填写，按中心名称）\n")
    code, said, err = run(url, "centers", "profile", "--phone", "梁家墩镇政府", *login, stdin=f"{demo.DEMO_PASSWORD}\n")
    assert code != 0 and "Traceback" not in err and "联系电话“梁家墩镇政府”不是电话号码" in err
    code, said, err = run(url, "centers", "profile", "--phone", "0936-8561234", "--committee", "梁家墩镇人民调解委员会",
                          *login, stdin=f"{demo.DEMO_PASSWORD}\n")
    assert code == 0, err
    assert said.startswith(f"已保存（{LJD}）文书上的信息：\n  地址：（未填写")
    assert "  电话：0936-8561234\n  人民调解委员会：梁家墩镇人民调解委员会\n" in said
    code, said, err = run(url, "centers", "profile", "--address", "别处", "--as", "ljd_clerk", "--password-stdin",
                          stdin=f"{demo.DEMO_PASSWORD}\n")
    assert code != 0 and "只有中心主任或系统管理员" in err
    with county.read() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "center.profile")).all()
    assert [e.detail["phone"] for e in logged] == ["0936-8561234"]
