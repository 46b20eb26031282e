"""The installer sources: the PyInstaller spec names data files that exist, the NSIS script
compiles (when makensis is installed), the desktop entry validates, and the slow real build."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "mediation-desk.spec"


def spec_data_files() -> list[tuple[Path, str]]:
    """The OWN_DATA list of the spec, evaluated with the spec's ROOT/RESOURCES/PACKAGE names."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "OWN_DATA" for t in node.targets):
            names = {"ROOT": ROOT, "RESOURCES": ROOT / "resources", "PACKAGE": ROOT / "mediation_desk"}
            value = eval(compile(ast.Expression(node.value), str(SPEC), "eval"), {}, names)
            return [(Path(src), dest) for src, dest in value]
    raise AssertionError("OWN_DATA not found in the spec")


def test_spec_lists_data_files_that_exist() -> None:
    files = spec_data_files()
    missing = [str(src) for src, _ in files if not src.exists() and src.suffix != ".qm"]
    assert not missing, missing
    names = {src.name for src, _ in files}
    # What the app reads as files at run time, each in the bundle.
    assert {"NotoSansCJKsc-Regular.ttf", "NotoSerifCJKsc-Regular.ttf", "MediationDeskRareHan.ttf.xz",
            "mediation_desk_zh_CN.qm", "script.py.mako", "env.py", "versions", "manifest.schema.json",
            "mediation-desk.png"} <= names
    fonts = {p.name for p in (ROOT / "resources" / "fonts").iterdir() if p.suffix in (".ttf", ".xz", ".otf")}
    assert fonts <= names, fonts - names
    for src, dest in files:
        if src.is_relative_to(ROOT / "mediation_desk"):
            # Where db.MIGRATIONS_DIR and exchange's schema loader look: beside the package modules.
            assert dest == str(src.parent.relative_to(ROOT)) or (src.is_dir() and dest == str(src.relative_to(ROOT)))
        else:
            assert dest == str(src.parent.relative_to(ROOT))


def test_spec_names_the_dynamic_imports() -> None:
    text = SPEC.read_text(encoding="utf-8")
    for name in ("keyring.backends", "sqlalchemy.dialects.postgresql.psycopg", "sqlalchemy.dialects.sqlite",
                 "PySide6.QtPdf", "PySide6.QtCharts", "PySide6.QtPrintSupport", "zxingcpp", "img2pdf",
                 "pypdf", "openpyxl", "_argon2_cffi_bindings", "chinese_calendar", "alembic.ddl"):
        assert f'"{name}"' in text, name


def test_spec_compiles_as_python() -> None:
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis is not installed (apt-get install nsis)")
def test_nsis_script_compiles(tmp_path: Path) -> None:
    dist = tmp_path / "dist" / "mediation-desk"
    (dist / "_internal").mkdir(parents=True)
    (dist / "mediation-desk.exe").write_bytes(b"MZ dummy one-folder build for the script check")
    (dist / "_internal" / "base_library.zip").write_bytes(b"PK")
    out = tmp_path / "mediation-desk-0.1.0-setup.exe"
    result = subprocess.run(
        ["makensis", "-WX", "-V2", f"-DDIST_DIR={dist}", f"-DOUTFILE={out}", "-DVERSION=0.1.0",
         str(INSTALLER / "mediation-desk.nsi")],
        capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.stat().st_size > 10_000


def test_nsis_script_keeps_the_data_folder() -> None:
    text = (INSTALLER / "mediation-desk.nsi").read_text(encoding="utf-8")
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert "RequestExecutionLevel admin" in text and "$PROGRAMFILES64" in text
    assert "$SMPROGRAMS" in text and "$DESKTOP" in text
    assert "CurrentVersion\\Uninstall" in text
    uninstall = text[text.index('Section "Uninstall"'):]
    removals = [line.strip() for line in uninstall.splitlines() if line.strip().startswith(("RMDir", "Delete"))]
    assert removals and not [line for line in removals if "APPDATA" in line or "PROFILE" in line], removals
    assert all("$INSTDIR" in line or "$SMPROGRAMS" in line or "$DESKTOP" in line or "Reg" in line
               for line in removals), removals


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)")
def test_desktop_entry_validates() -> None:
    entry = INSTALLER / "linux" / "mediation-desk.desktop"
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    text = entry.read_text(encoding="utf-8")
    assert "Name=矛调工作台" in text and "Categories=Office;" in text and "Icon=mediation-desk" in text


def test_deb_maintainer_scripts_never_touch_home() -> None:
    for name in ("postinst", "postrm"):
        text = (INSTALLER / "linux" / name).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert "/home" not in code and "$HOME" not in code and ".local/share" not in code


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("MEDIATION_DESK_BUILD_INSTALLER") != "1",
                    reason="builds the frozen app and the .deb (minutes): set MEDIATION_DESK_BUILD_INSTALLER=1")
def test_build_linux_makes_a_deb_that_passes_its_self_test() -> None:
    result = subprocess.run([str(INSTALLER / "build-linux")], capture_output=True, text=True, check=False,
                            timeout=3600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-4000:]
    deb = Path(result.stdout.strip().splitlines()[-1])
    assert deb.suffix == ".deb" and deb.exists()
    info = subprocess.run(["dpkg-deb", "--field", str(deb), "Depends"], capture_output=True, text=True, check=True)
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1", "libsane1"):
        assert package in info.stdout
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/mediation-desk/mediation-desk", "./usr/bin/mediation-desk",
                 "./usr/share/applications/mediation-desk.desktop",
                 "./opt/mediation-desk/_internal/resources/i18n/mediation_desk_zh_CN.qm",
                 "./opt/mediation-desk/_internal/mediation_desk/migrations/script.py.mako"):
        assert path in listing, path
