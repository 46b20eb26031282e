"""A local FUSE disk the desk trusts to hold its SQLite file.

The database refuses every remote or FUSE filesystem (``db.network_filesystem_of``): most FUSE
daemons are remote (gvfs SMB mounts, smbnetfs, curlftpfs, sshfs, rclone) or lock by their own
rules. A desk whose disk is a local FUSE filesystem it trusts (``fuse.mergerfs``, an encrypted
``fuse.gocryptfs`` home …) names its type in the desk settings. Only the center's administrator or
head may change the list, each change is written to the audit log with the list before and after,
and no type of ``db.NETWORK_FILESYSTEMS`` (nfs, cifs, coda, drvfs, gvfs …) can be trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mediation_desk import settings

from ..db import NETWORK_FILESYSTEMS, Database
from . import audit, permissions
from .actor import Actor
from .errors import InvalidInput

#: What a filesystem type of /proc/mounts looks like (``fuse``, ``fuseblk``, ``fuse.name``).
_TYPE = re.compile(r"fuse(blk)?(\.[a-z0-9_+-]{1,40})?")


def parse(names: Iterable[str]) -> frozenset[str]:
    """The types named (split on spaces and commas, lower case), each checked: a FUSE type that is
    not a known network filesystem; ``InvalidInput`` naming the first one that is not."""
    found: set[str] = set()
    for raw in names:
        for name in re.split(r"[\s,，]+", raw.strip().lower()):
            if not name:
                continue
            helper = name.removeprefix("fuse.")
            if name in NETWORK_FILESYSTEMS or helper in NETWORK_FILESYSTEMS or helper in {
                    "gvfsd-fuse", "smbnetfs", "curlftpfs", "sshfs", "rclone", "s3fs", "davfs2", "gcsfuse"}:
                raise InvalidInput("trusted_filesystems",
                                   f"可信文件系统类型“{name}”是网络文件系统：多台电脑共用一个 SQLite 文件"
                                   "会损坏数据，不能设为可信。")
            if not _TYPE.fullmatch(name):
                raise InvalidInput("trusted_filesystems",
                                   f"可信文件系统类型“{name}”不是 FUSE 文件系统类型：只能填写 /proc/mounts 第三列中"
                                   "以 fuse 开头的类型，例如 fuse.mergerfs；本地磁盘（ext4、xfs 等）无需设置。")
            found.add(name)
    return frozenset(found)


def set_trusted(db: Database, actor: Actor, names: Iterable[str]) -> frozenset[str]:
    """Replace the desk's trusted FUSE types (administrator or head), audited; returns the new list."""
    permissions.require_role(actor, permissions.OVERSIGHT_ROLES, "修改本机可信的文件系统")
    chosen = parse(names)
    before = settings.trusted_filesystems()
    if chosen == before:
        return chosen
    with db.write() as session:
        audit.record(session, actor, "trust_filesystems", "desk", None,
                     {"before": sorted(before), "after": sorted(chosen)},
                     station=audit.workstation(), result="ok")
    # Written after the audit entry is committed: a change the log does not show never takes effect.
    settings.save_trusted_filesystems(chosen)
    return chosen
