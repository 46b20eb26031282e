"""What a runner's job holds: the Qt objects a job's function reaches.

``TaskRunner`` runs each job's function on a lane's worker thread. The executor's work item kept
the job — the function, its closure, its bound ``self``, a partial's arguments — and was dropped
on that thread: a panel, model or dialog reachable from it whose other references were gone (a
test's parentless widget, a panel closed while its read ran) had its last reference go there, and
Qt deleted it off the GUI thread while that thread may still deliver events to it (a full test
run's worker crashed so). The runner now takes the job back to the GUI thread to drop it
(``TaskRunner._run_on_worker``); beyond that, a job holds no Qt object at all: it needs none (it
reads the database), and a job that reaches a panel uses it from two threads.

``job_holdings`` walks what a job keeps alive the way Python does — closures, bound methods,
``functools.partial``, default arguments, plain containers and the attributes of our own plain
objects — and names every ``QObject`` it reaches and the path to it (``closure cell 'fn' of
TaskRunner.run_read.<locals>.job → __self__ of DeskPanel.load → ….DeskPanel 'deskPanel'``). The
fixture ``jobs_hold_no_qt_object`` (tests/ui/conftest.py) runs it on every job every runner is
given in every interface test."""

from __future__ import annotations

import collections
import datetime
import decimal
import enum
import functools
import pathlib
import types
from collections.abc import Iterator

import shiboken6
from PySide6.QtCore import QObject, SignalInstance

from mediation_desk.db import Database

#: How deep the walk goes. The holdings found in the interface tests were at most four steps from
#: the runner's own ``job`` (its ``fn`` → the panel's closure → a relay it closed over → the relay).
MAX_DEPTH = 8

#: What the walk does not enter (it would find nothing there, or nothing that can hold a Qt object).
_LEAVES: tuple[type, ...] = (
    str, bytes, bytearray, int, float, complex, bool, type(None), range, enum.Enum, type, types.ModuleType,
    types.CodeType, datetime.date, datetime.time, datetime.timedelta, decimal.Decimal, pathlib.PurePath,
    # A signal does not keep its object alive (PySide holds its source weakly): a job may hold a
    # panel's signal's emit to report progress and still not hold the panel.
    SignalInstance,
    # The database outlives every window and holds plain values, engines and pools (nothing below
    # mediation_desk.ui imports PySide6, DESIGN.md §4): large to walk, and nothing to find.
    Database,
)

#: Our own modules: the attributes of their plain objects (a dataclass of a form's values, a
#: helper a closure holds) are walked; a third party's objects are not.
_OWN_MODULES = ("mediation_desk.", "tests.")


def _own_object(value: object) -> bool:
    module = type(value).__module__ or ""
    return module.startswith(_OWN_MODULES) and not _is_sqlalchemy(value)


def _is_sqlalchemy(value: object) -> bool:
    # A mapped row (its class is ours, its state SQLAlchemy's): its session, engine and
    # relationships hold nothing of the UI, and walking them would cost more than every job.
    return hasattr(type(value), "__mapper__") or (type(value).__module__ or "").startswith("sqlalchemy")


def _describe(value: object) -> str:
    kind = type(value)
    name = value.objectName() if isinstance(value, QObject) and shiboken6.isValid(value) else ""
    return f"{kind.__module__}.{kind.__qualname__}" + (f" '{name}'" if name else "")


def _function_name(value: object) -> str:
    return getattr(value, "__qualname__", None) or type(value).__qualname__


def _inner(value: object) -> Iterator[tuple[str, object]]:
    """What ``value`` keeps alive, each with how: the steps of a holding's path."""
    if isinstance(value, functools.partial):
        yield "partial's function", value.func
        for index, arg in enumerate(value.args):
            yield f"partial's argument {index}", arg
        for key, arg in value.keywords.items():
            yield f"partial's argument {key}=", arg
        return
    if isinstance(value, types.MethodType):
        yield f"__self__ of {_function_name(value)}", value.__self__
        yield "its function", value.__func__
        return
    if isinstance(value, types.FunctionType):
        names = value.__code__.co_freevars
        for name, cell in zip(names, value.__closure__ or (), strict=True):
            try:
                contents = cell.cell_contents
            except ValueError:  # a cell not filled yet
                continue
            yield f"closure cell '{name}' of {_function_name(value)}", contents
        for index, default in enumerate(value.__defaults__ or ()):
            yield f"default argument {index} of {_function_name(value)}", default
        for key, default in (value.__kwdefaults__ or {}).items():
            yield f"default argument {key}= of {_function_name(value)}", default
        return
    if isinstance(value, types.BuiltinMethodType):  # a bound built-in: ``rows.append``
        holder = getattr(value, "__self__", None)
        if holder is not None and not isinstance(holder, types.ModuleType):
            yield f"__self__ of {_function_name(value)}", holder
        return
    if isinstance(value, dict | types.MappingProxyType):
        for key, item in value.items():
            yield f"[{key!r}]", item
        return
    if isinstance(value, list | tuple | set | frozenset | collections.deque):
        for index, item in enumerate(value):
            yield f"[{index}]", item
        return
    if _own_object(value):
        for key, item in getattr(value, "__dict__", {}).items():
            yield f".{key}", item
        for kind in type(value).__mro__:
            for key in getattr(kind, "__slots__", ()):
                if key not in ("__dict__", "__weakref__") and hasattr(value, key):
                    yield f".{key}", getattr(value, key)


def job_holdings(job: object, allowed: tuple[object, ...] = ()) -> list[str]:
    """The paths by which ``job`` reaches a ``QObject`` other than those ``allowed``, each ending
    with the object's class (``closure cell 'self' of Panel.reload.<locals>.work → ….Panel``)."""
    found: list[str] = []
    seen: set[int] = set()
    stack: list[tuple[object, tuple[str, ...]]] = [(job, ())]
    while stack:
        value, path = stack.pop()
        if id(value) in seen or isinstance(value, _LEAVES):
            continue
        seen.add(id(value))
        if isinstance(value, QObject):
            if not any(value is allowance for allowance in allowed):
                found.append(" → ".join((*path, _describe(value))))
            continue
        if len(path) >= MAX_DEPTH or _is_sqlalchemy(value):
            continue
        stack.extend((item, (*path, step)) for step, item in _inner(value))
    return sorted(found)
