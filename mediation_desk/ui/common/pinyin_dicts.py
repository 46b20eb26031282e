"""pypinyin's two dictionaries read in small pieces, so that loading them on a worker does not
freeze the window.

pypinyin reads each of its dictionaries with one ``json.loads`` of the whole file (the phrases:
2.5 MB, ~47,000 words; the characters: 0.8 MB). That is one call into C, and it holds Python's
lock throughout: the GUI thread could not run for its length (a 262 ms freeze measured while the
login dialog waited for the password, where the app warms the type-ahead's pinyin: 181–257 ms
against 54–66 ms read in pieces, the same CPU, at load 3.6). Here the same files are read as pieces
of ~32 KB each (a piece ends before a top-level key), each parsed by ``json.loads``, the lock given
up between pieces; the two modules pypinyin would have made are put in ``sys.modules`` with the very
dictionaries, and pypinyin imported after them takes them as its own.

Anything unexpected — a pypinyin that no longer keeps its dictionaries in these files, a file that
is not a flat JSON object — leaves pypinyin to load them itself, as before.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import sys
import threading
import types
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: About how many characters of the file one ``json.loads`` parses (≈1 ms each here).
PIECE_CHARS = 32_768

#: The comma ending one top-level entry, before the next key (only a key is followed by ": ").
_NEXT_KEY = re.compile(r',\s*(?="(?:[^"\\]|\\.)*"\s*:)')

#: pypinyin's modules that hold a dictionary: (module, its attribute, its file, keys as ints).
_DICTIONARIES = (("pypinyin.phrases_dict", "phrases_dict", "phrases_dict.json", False),
                 ("pypinyin.pinyin_dict", "pinyin_dict", "pinyin_dict.json", True))

_lock = threading.Lock()
_state = {"done": False}


def parse_in_pieces(text: str, piece_chars: int = PIECE_CHARS) -> dict[str, Any]:
    """The JSON object ``text`` (one level of keys; values of any kind but objects), parsed piece by
    piece; equal to ``json.loads(text)``. ``ValueError`` when it is not such an object.

    A piece ends at a comma followed by what looks like a key; a comma inside a string may look
    so too, but a piece ending there ends inside that string and does not parse: the piece then
    runs on to the next such comma."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise ValueError("not a JSON object")
    body = body[1:-1]
    result: dict[str, Any] = {}
    start, end_of_body = 0, len(body)
    while start < end_of_body:
        found = _NEXT_KEY.search(body, min(start + piece_chars, end_of_body))
        while True:
            end = found.start() if found else end_of_body
            try:
                piece = json.loads("{" + body[start:end] + "}")
                break
            except ValueError:
                if found is None:
                    raise
                found = _NEXT_KEY.search(body, found.end())
        if not isinstance(piece, dict):
            raise ValueError("not a JSON object")
        result.update(piece)
        start = found.end() if found else end_of_body
    return result


def load() -> None:
    """Read pypinyin's dictionaries in pieces before pypinyin is first imported (once; a second
    caller waits for the first). Does nothing when pypinyin is already loaded."""
    with _lock:
        if _state["done"]:
            return
        _state["done"] = True
        if "pypinyin.constants" in sys.modules:
            return
        spec = importlib.util.find_spec("pypinyin")
        if spec is None or spec.origin is None:
            return
        folder = Path(spec.origin).parent
        modules: list[types.ModuleType] = []
        try:
            for name, attribute, file_name, int_keys in _DICTIONARIES:
                entries: dict[Any, Any] = parse_in_pieces((folder / file_name).read_text(encoding="utf-8"))
                if int_keys:
                    entries = {int(key): value for key, value in entries.items()}
                module = types.ModuleType(name)
                setattr(module, attribute, entries)
                modules.append(module)
        except (OSError, ValueError) as exc:
            log.info("pypinyin's dictionaries are left to pypinyin: %s", exc)
            return
        for module in modules:
            sys.modules.setdefault(module.__name__, module)
