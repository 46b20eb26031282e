"""A SQLite file is opened only on a local disk: every remote and every FUSE filesystem is refused,
and so is every URI form of the path that could step around the check (issue 17, item 7).

The mount tables are crafted as the kernel writes /proc/mounts; the refusal leaves nothing behind."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from sqlalchemy import text

from mediation_desk import cli
from mediation_desk.db import Database, DatabaseError, NetworkDatabaseRefused, network_filesystem_of, resolve_url

#: What a desk meets in practice: GNOME's SMB and FTP mounts, smbnetfs, curlftpfs, sshfs, rclone, WSL's
#: Windows drives, a VM's shared folder, Coda/AFS, the NTFS USB disk driver (FUSE, trusted by setting).
REMOTE = ["fuse.gvfsd-fuse", "fuse.smbnetfs", "fuse.curlftpfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse",
          "fuseblk", "coda", "drvfs", "9p", "v9fs", "afs", "nfs", "nfs4", "cifs", "smb3", "smbfs", "vboxsf", "ceph",
          "glusterfs", "virtiofs", "davfs", "NFS4"]
LOCAL = ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "f2fs", "vfat", "exfat", "ntfs3", "ext3"]


def mount_table(tmp_path: Path, folder: Path, fs_type: str) -> Path:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\nsource {folder} {fs_type} rw 0 0\n")
    return mounts


@pytest.mark.parametrize("fs_type", REMOTE)
def test_a_database_on_a_remote_or_fuse_filesystem_is_refused(tmp_path: Path, fs_type: str) -> None:
    share = tmp_path / "share"
    share.mkdir()
    mounts = mount_table(tmp_path, share, fs_type)
    target = share / "cases.sqlite3"
    with pytest.raises(NetworkDatabaseRefused) as refused:
        Database(f"sqlite:///{target}", mounts_file=str(mounts))
    assert f"网络文件系统（{fs_type}）" in str(refused.value)
    assert list(share.iterdir()) == []


@pytest.mark.parametrize("fs_type", LOCAL)
def test_a_local_disk_is_accepted(tmp_path: Path, fs_type: str) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    mounts = mount_table(tmp_path, folder, fs_type)
    assert network_filesystem_of(folder / "cases.sqlite3", str(mounts)) is None


def test_a_trusted_local_fuse_disk_is_allowed_but_no_network_type_can_be_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    mounts = mount_table(tmp_path, folder, "fuseblk")
    assert network_filesystem_of(folder, str(mounts)) == "fuseblk"
    assert network_filesystem_of(folder, str(mounts), trusted=frozenset({"fuseblk"})) is None
    database = Database(f"sqlite:///{folder / 'cases.sqlite3'}", mounts_file=str(mounts),
                        trusted_filesystems=frozenset({"fuseblk"}))
    database.dispose()
    for fs_type in ("cifs", "nfs4", "9p", "coda"):
        mounts = mount_table(tmp_path, folder, fs_type)
        assert network_filesystem_of(folder, str(mounts), trusted=frozenset({fs_type})) == fs_type


def test_the_innermost_and_latest_mount_decides(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/vda1 / ext4 rw 0 0\n"
        "//nas/share /mnt/center cifs rw 0 0\n"
        "tmpfs /mnt/center/local tmpfs rw 0 0\n"
        "/dev/sdb1 /media/usb ext4 rw 0 0\n"
        "gvfsd-fuse /media/usb fuse.gvfsd-fuse rw 0 0\n"  # mounted over the disk: this one is seen
        "server:/x /srv/with\\040space\\011tab\\134back nfs4 rw 0 0\n"
    )
    assert network_filesystem_of(Path("/mnt/center/local/x.sqlite3"), str(mounts)) is None
    assert network_filesystem_of(Path("/mnt/center/x.sqlite3"), str(mounts)) == "cifs"
    assert network_filesystem_of(Path("/media/usb/x.sqlite3"), str(mounts)) == "fuse.gvfsd-fuse"
    assert network_filesystem_of(Path("/srv/with space\ttab\\back/x.sqlite3"), str(mounts)) == "nfs4"


def test_an_unreadable_mount_table_refuses_rather_than_guesses(tmp_path: Path) -> None:
    target = tmp_path / "cases.sqlite3"
    with pytest.raises(NetworkDatabaseRefused) as refused:
        Database(f"sqlite:///{target}", mounts_file=str(tmp_path / "no-such-mounts"))
    assert "挂载表" in str(refused.value)
    assert not target.exists()


@pytest.mark.parametrize("tail", [
    "file:{path}?uri=true",
    "file:{path}",
    "{path}?uri=true",
    "{path}?vfs=unix-none",
    "{path}?nolock=1",
    "{path}?mode=memory&cache=shared",
    "{path}?immutable=1",
    ":memory:",
])
def test_uri_forms_of_the_path_are_refused(tmp_path: Path, tail: str) -> None:
    target = tmp_path / "cases.sqlite3"
    url = "sqlite:///" + tail.format(path=target)
    with pytest.raises(DatabaseError) as refused:
        Database(url)
    assert "普通的文件路径" in str(refused.value)
    with pytest.raises(DatabaseError):
        resolve_url(url)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_refuses_a_uri_in_chinese(tmp_path: Path) -> None:
    target = tmp_path / "cases.sqlite3"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(["--database", f"sqlite:///file:{target}?uri=true", "db", "check"])
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 2
    assert code == 2
    assert "普通的文件路径" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not target.exists()


@examples(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_property_any_mount_table_gives_a_type_or_none(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    mounts = tmp_path_factory.mktemp("mounts") / "mounts"
    mounts.write_text(text, encoding="utf-8")
    found = network_filesystem_of(Path("/srv/data/cases.sqlite3"), str(mounts))
    assert found is None or isinstance(found, str)


def test_a_new_database_is_private_and_an_old_world_readable_one_is_narrowed(tmp_path: Path) -> None:
    folder = tmp_path / "new-folder"
    database = Database(f"sqlite:///{folder / 'cases.sqlite3'}")
    try:
        with database.write() as session:
            session.execute(text("CREATE TABLE t (x)"))
            session.execute(text("INSERT INTO t VALUES ('张三 620702199001011234')"))
        modes = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}
    finally:
        database.dispose()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert modes["cases.sqlite3"] == 0o600
    assert all(mode == 0o600 for mode in modes.values()), modes  # the -wal and -shm files too
    old = tmp_path / "old.sqlite3"
    old.touch()
    old.chmod(0o644)
    Database(f"sqlite:///{old}").dispose()
    assert old.stat().st_mode & 0o777 == 0o600
