"""Compile the Qt Linguist translations: every ``resources/i18n/*.ts`` into a ``.qm`` beside it.

The setup runs this after installing the app; the ``.qm`` files are build output (git-ignored).
Usage::

    python tools/build_translations.py [--out-dir DIR] [--strict]

``--out-dir`` writes the ``.qm`` files elsewhere (the tests build into a temporary folder);
``--strict`` also fails when a catalog still has unfinished translations. Exits non-zero when
``lrelease`` is missing or fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N_DIR = ROOT / "resources" / "i18n"
_UNFINISHED = re.compile(r"(\d+) unfinished")


class BuildError(RuntimeError):
    pass


def find_lrelease() -> str:
    """``pyside6-lrelease`` of the running interpreter's environment, else one on PATH."""
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        candidate = here / name
        if candidate.exists():
            return str(candidate)
    for name in ("pyside6-lrelease", "lrelease-qt6", "lrelease"):
        found = shutil.which(name)
        if found:
            return found
    raise BuildError("lrelease not found: install PySide6 (it ships pyside6-lrelease) or Qt's linguist tools")


def build(ts_files: list[Path], out_dir: Path | None = None, *, strict: bool = False) -> list[Path]:
    """Compile each .ts; returns the .qm files written."""
    if not ts_files:
        raise BuildError(f"no .ts files found in {I18N_DIR}")
    lrelease = find_lrelease()
    written = []
    for ts in ts_files:
        target = (out_dir or ts.parent) / ts.with_suffix(".qm").name
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside it and moved in place: a running app keeps the old file mapped (Qt's
        # translator maps it), and lrelease writing over it turned that app's next texts to
        # English or ended it; a new file under the old name leaves the mapped one intact.
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            result = subprocess.run([lrelease, str(ts), "-qm", str(partial)], capture_output=True, text=True,
                                    check=False)
            output = (result.stdout + result.stderr).strip()
            if result.returncode != 0 or not partial.exists():
                raise BuildError(f"lrelease failed for {ts.name} (exit {result.returncode}):\n{output}")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        unfinished = sum(int(n) for n in _UNFINISHED.findall(output))
        if strict and unfinished:
            raise BuildError(f"{ts.name} has {unfinished} unfinished translation(s)")
        print(f"{ts.name} -> {target} ({output.splitlines()[-1] if output else 'ok'})")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out-dir", type=Path, help="write the .qm files here, not beside the .ts files")
    parser.add_argument("--strict", action="store_true", help="fail when a translation is unfinished")
    args = parser.parse_args(argv)
    try:
        build(sorted(I18N_DIR.glob("*.ts")), args.out_dir, strict=args.strict)
    except BuildError as exc:
        print(f"build_translations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
