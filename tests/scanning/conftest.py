"""Fixtures for scanning: SANE's ``test`` backend in a private configuration."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from mediation_desk.scanning import backends

SYSTEM_TEST_CONF = Path("/etc/sane.d/test.conf")
SETUP_HINT = ("apt-get install sane-utils libsane1 libsane-dev gcc python3-dev, "
              "then .venv/bin/pip install python-sane")


def _missing(reason: str) -> NoReturn:
    # The test setup installs SANE, so on CI a missing piece is a failure, not a skip.
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; the test setup should have installed it ({SETUP_HINT})")
    pytest.skip(f"{reason} ({SETUP_HINT})")


@pytest.fixture(scope="session")
def sane_config_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A SANE configuration that enables only the built-in ``test`` backend.

    Debian ships ``test`` commented out in /etc/sane.d/dll.conf. ``SANE_CONFIG_DIR`` must be set
    before ``sane.init()``, which the first ``SaneScanner`` calls; without a trailing colon SANE
    reads only this folder, so no real or network scanner is probed.
    """
    try:
        importlib.import_module("sane")
    except ImportError as exc:
        _missing(f"python-sane or libsane is not installed: {exc}")
    if not SYSTEM_TEST_CONF.exists():
        _missing(f"{SYSTEM_TEST_CONF} is missing: libsane1 is not installed")
    folder = tmp_path_factory.mktemp("sane.d")
    (folder / "dll.conf").write_text("test\n", encoding="ascii")
    shutil.copyfile(SYSTEM_TEST_CONF, folder / "test.conf")
    previous = os.environ.get("SANE_CONFIG_DIR")
    os.environ["SANE_CONFIG_DIR"] = str(folder)
    backends.shutdown_sane()  # a SANE initialised earlier with another configuration
    yield folder
    backends.shutdown_sane()
    if previous is None:
        os.environ.pop("SANE_CONFIG_DIR", None)
    else:
        os.environ["SANE_CONFIG_DIR"] = previous


@pytest.fixture
def sane_scanner(sane_config_dir: Path) -> backends.SaneScanner:
    return backends.SaneScanner()
