"""The operation runner: lanes, callbacks on the GUI thread, 'what changed', errors."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session

from mediation_desk.changes import Changes, noted
from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.services import calendar, caselist, cases, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.services.errors import InvalidInput
from mediation_desk.ui.common.tasks import Admission, Lane, TaskFailure, TaskHandle, TaskRunner

from ..conftest import login_as
from .conftest import Runner, register_case

pytestmark = pytest.mark.gui


def test_write_reports_result_then_changes(runner: Runner) -> None:
    events: list[object] = []
    runner.changed.connect(events.append)
    runner.run_write(lambda session: 42, on_success=events.append, changes=Changes.cases)
    assert events == [42, Changes.cases(42)]


def test_empty_changes_are_not_announced(runner: Runner) -> None:
    announced: list[Changes] = []
    runner.changed.connect(announced.append)
    runner.run_write(lambda session: None, changes=Changes())
    runner.run_read(lambda session: None)
    assert announced == []


def test_a_write_broadcasts_what_its_services_noted(runner: Runner, demo_sqlite_db: Database) -> None:
    """No ``changes=``: the runner broadcasts exactly what the service functions noted."""
    clerk = login_as(demo_sqlite_db, "clerk")
    case_id = register_case(demo_sqlite_db, clerk)
    events: list[object] = []
    runner.changed.connect(events.append)

    def accept(session: Session) -> Changes:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        return noted(session)

    runner.run_write(accept, on_success=events.append)
    assert events == [Changes.cases(case_id, list_changed=True), Changes.cases(case_id, list_changed=True)]


def test_a_failed_write_broadcasts_nothing_it_noted(runner: Runner, demo_sqlite_db: Database) -> None:
    clerk = login_as(demo_sqlite_db, "clerk")
    case_id = register_case(demo_sqlite_db, clerk)
    announced: list[Changes] = []
    failures: list[TaskFailure] = []
    runner.changed.connect(announced.append)

    def accept_then_refuse(session: Session) -> None:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        assert noted(session) == Changes.cases(case_id, list_changed=True)
        raise InvalidInput("note", "请填写理由。")

    runner.run_write(accept_then_refuse, on_error=failures.append)
    assert [f.message for f in failures] == ["请填写理由。"] and announced == []
    with demo_sqlite_db.read() as session:
        assert cases.case_detail(session, clerk, case_id).state is CaseState.REGISTERED  # rolled back


def test_a_job_broadcasts_what_the_writes_it_committed_noted(runner: Runner, demo_sqlite_db: Database) -> None:
    """A job that runs its own transactions (a packet import): each committed write's notes, merged."""
    clerk = login_as(demo_sqlite_db, "clerk")
    announced: list[Changes] = []
    runner.changed.connect(announced.append)

    def two_writes() -> int:
        case_id = register_case(demo_sqlite_db, clerk)
        with demo_sqlite_db.write() as session:
            calendar.set_entry(session, Actor.system("test"), date(2031, 1, 1), is_workday=False, name="元旦")
        return case_id

    results: list[int] = []
    runner.run_job(two_writes, on_success=results.append)
    assert announced == [Changes(case_ids=frozenset(results), case_list=True, settings=True)]
    runner.run_job(lambda: None)  # no write: nothing to say
    assert len(announced) == 1


def test_service_error_goes_to_on_error_with_its_message(runner: Runner) -> None:
    failures: list[TaskFailure] = []
    announced: list[Changes] = []
    runner.changed.connect(announced.append)

    def refuse(session: Session) -> None:
        raise InvalidInput("note", "请填写不予受理的理由。")

    runner.run_write(refuse, on_success=lambda _r: pytest.fail("refused work succeeded"), on_error=failures.append,
                     changes=Changes(case_list=True))
    assert [(f.message, f.expected, f.field) for f in failures] == [("请填写不予受理的理由。", True, "note")]
    assert announced == []


def test_unexpected_error_is_logged_and_shown(runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    failures: list[TaskFailure] = []

    def broken(session: Session) -> None:
        raise KeyError("boom")

    with caplog.at_level(logging.ERROR, logger="mediation_desk.ui.common.tasks"):
        runner.run_read(broken, on_error=failures.append)
    assert len(failures) == 1 and not failures[0].expected
    assert "KeyError" in failures[0].message
    assert any(record.exc_info and record.exc_info[0] is KeyError for record in caplog.records)


def test_unhandled_failure_is_emitted(runner: Runner) -> None:
    def refuse(session: Session) -> None:
        raise InvalidInput("x", "不行。")

    runner.run_write(refuse)
    assert [f.message for f in runner.unhandled] == ["不行。"]
    runner.unhandled.clear()


def test_a_bug_in_a_callback_is_reported_not_swallowed(runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    def bad_callback(_result: object) -> None:
        raise ValueError("callback bug")

    with caplog.at_level(logging.ERROR, logger="mediation_desk.ui.common.tasks"):
        runner.run_read(lambda session: 1, on_success=bad_callback)
    assert ["ValueError" in f.message for f in runner.unhandled] == [True]
    runner.unhandled.clear()


def test_an_answer_for_a_deleted_widget_reaches_nobody(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """A read asked for by a widget that is deleted before it answers (a window signed out while
    its lists were read): neither its bound method nor a function closing over it is called, and no
    failure ("already deleted", or the job's own when it has no handler) is raised to the window
    that is on screen now. A live widget's answer, and a live widget's unhandled failure, still come."""
    import functools

    import shiboken6
    from PySide6.QtWidgets import QLabel

    task_runner = TaskRunner(demo_sqlite_db)
    failures: list[TaskFailure] = []
    task_runner.failed.connect(failures.append)
    gate = threading.Event()
    gone, kept = QLabel(), QLabel()
    qtbot.addWidget(kept)
    try:
        task_runner.run_job(lambda: gate.wait(10), lane=Lane.READ)
        task_runner.run_read(lambda session: "bound", on_success=gone.setText)
        task_runner.run_read(lambda session: "closure", on_success=lambda text: gone.setText(f"{text}."))
        task_runner.run_read(lambda session: "partial", on_success=functools.partial(QLabel.setText, gone))
        task_runner.run_read(lambda session: 1 // 0, on_error=lambda failure: gone.setText(failure.message))
        # A failing read with no handler of its own: its failure was the deleted widget's to show.
        task_runner.run_read(lambda session: str(1 // 0), on_success=gone.setText)
        task_runner.run_read(lambda session: "still here", on_success=kept.setText)
        shiboken6.delete(gone)
        gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0)
        assert failures == []
        assert kept.text() == "still here"
        task_runner.run_read(lambda session: str(1 // 0), on_success=kept.setText)
        qtbot.waitUntil(lambda: task_runner.pending == 0)
        assert [type(f.error).__name__ for f in failures] == ["ZeroDivisionError"]
    finally:
        task_runner.shutdown(dispose=False)


def test_the_answers_of_a_session_that_ended_ask_for_nothing_more(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """注销 while a window's reads run: their answers still come (what a callback does itself
    stands), but a read or write such an answer asks for is dropped — a desk's cards read answering
    after the head signed out gave the day's cards in the head's name. The next session's answers
    ask as before."""
    task_runner = TaskRunner(demo_sqlite_db)
    gate = threading.Event()
    answered: list[str] = []
    ran: list[str] = []
    asked: list[TaskHandle] = []

    def asking(label: str) -> Callable[[int], None]:
        def answer(_value: object) -> None:
            answered.append(label)
            asked.append(task_runner.run_job(lambda: ran.append(label), lane=Lane.WRITE))
        return answer

    try:
        task_runner.run_job(lambda: gate.wait(10), lane=Lane.READ)
        task_runner.run_read(lambda session: 1, on_success=asking("read"))
        task_runner.run_read(lambda session: 1 // 0, on_error=lambda failure: asking("failed read")(0))
        task_runner.end_session()
        task_runner.run_read(lambda session: 1, on_success=asking("next session"))
        gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0)
        assert answered == ["read", "failed read", "next session"]
        assert ran == ["next session"]
        assert [handle.cancelled for handle in asked] == [True, True, False]
    finally:
        task_runner.shutdown(dispose=False)


def test_cancelled_task_does_not_run(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    task_runner = TaskRunner(demo_sqlite_db)
    gate = threading.Event()
    ran: list[str] = []
    try:
        task_runner.run_job(lambda: gate.wait(10), lane=Lane.READ)
        handle = task_runner.run_read(lambda session: ran.append("ran"),
                                      on_success=lambda _r: ran.append("called back"))
        handle.cancel()
        gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0)
        assert ran == []
    finally:
        task_runner.shutdown(dispose=False)


def test_threaded_lanes(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The real lanes: work runs on worker threads, callbacks and 'changed' on the GUI thread,
    and a read is not held up by a write that is still running."""
    clerk = login_as(demo_sqlite_db, "clerk")
    case_id = register_case(demo_sqlite_db, clerk)
    task_runner = TaskRunner(demo_sqlite_db)
    gui_thread = threading.get_ident()
    threads: dict[str, int] = {}
    results: dict[str, object] = {}
    changes: list[Changes] = []
    task_runner.changed.connect(changes.append)
    release_write = threading.Event()

    def slow_write(session: Session) -> None:
        threads["write"] = threading.get_ident()
        assert release_write.wait(10), "the read never ran while the write waited"
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)

    def count(session: Session) -> int:
        threads["read"] = threading.get_ident()
        return caselist.count_cases(session, clerk, CaseQuery())

    def counted(total: int) -> None:
        results["count"] = total
        results["count_thread"] = threading.get_ident()
        release_write.set()

    try:
        def written(_result: None) -> None:
            results["written"] = threading.get_ident()

        task_runner.run_write(slow_write, on_success=written, changes=Changes.cases(case_id, list_changed=True))
        task_runner.run_read(count, on_success=counted)
        qtbot.waitUntil(lambda: "written" in results and bool(changes), timeout=10_000)
    finally:
        release_write.set()
        task_runner.shutdown(dispose=False)
    assert results["count"] == 121
    assert results["count_thread"] == gui_thread == results["written"]
    assert gui_thread not in (threads["read"], threads["write"])
    assert threads["read"] != threads["write"]
    assert changes == [Changes.cases(case_id, list_changed=True)]
    with demo_sqlite_db.read() as session:
        assert cases.case_detail(session, clerk, case_id).state is CaseState.ACCEPTED


class _Held:
    """Stands for what a job's function holds (a panel, through a bound method)."""


def test_a_job_is_dropped_on_the_gui_thread_not_on_its_lane(threaded: Runner, qtbot: QtBot) -> None:
    """The lane's work item is dropped on the lane's thread after the job ran: had it kept the job,
    what the job's function held would be deleted there when the job had its last reference (a Qt
    object, off the GUI thread). The job goes back to the GUI thread with its outcome: answered,
    failed (its traceback holds the job's frames) or cancelled before it started."""
    dropped_on: dict[str, str] = {}
    answers: list[object] = []
    gate = threading.Event()

    def submit(name: str, outcome: str) -> TaskHandle:
        held = _Held()
        weakref.finalize(held, lambda: dropped_on.setdefault(name, threading.current_thread().name))

        def job(session: Session) -> str:
            assert isinstance(held, _Held)
            if outcome == "refused":
                raise InvalidInput("title", "请填写标题")
            return name

        return threaded.run_read(job, on_success=answers.append,
                                 on_error=lambda failure: answers.append(failure.message))

    threaded.run_job(lambda: gate.wait(10), lane=Lane.READ)  # the lane busy until the three are queued
    submit("answered", "answered")
    submit("refused", "refused")
    submit("cancelled", "answered").cancel()
    gate.set()
    qtbot.waitUntil(lambda: threaded.running == 0)
    qtbot.waitUntil(lambda: len(dropped_on) == 3, timeout=1000)
    assert answers == ["answered", "请填写标题"]
    main = threading.main_thread().name
    assert dropped_on == {"answered": main, "refused": main, "cancelled": main}


def test_shutdown_drops_later_tasks(demo_sqlite_db: Database) -> None:
    task_runner = TaskRunner(demo_sqlite_db)
    task_runner.shutdown(dispose=False)
    handle = task_runner.run_read(lambda session: pytest.fail("ran after shutdown"))
    assert handle.cancelled


def test_a_report_does_not_hold_up_an_interactive_read(db: Database, qtbot: QtBot) -> None:
    """A report that is still reading (its transaction open, waiting on a gate) does not stop a
    list read: the list read answers while the report waits, and the report then finishes."""
    task_runner = TaskRunner(db)
    gate = threading.Event()
    order: list[str] = []
    threads: dict[str, int] = {}

    def report(session: Session) -> str:
        threads["report"] = threading.get_ident()
        session.execute(text("SELECT count(*) FROM dispute_case")).scalar_one()  # a read under way
        assert gate.wait(10), "the list read never answered while the report was reading"
        return "report"

    def listing(session: Session) -> int:
        threads["list"] = threading.get_ident()
        return int(session.execute(text("SELECT count(*) FROM dispute_case")).scalar_one())

    def listed(total: int) -> None:
        order.append(f"list {total}")
        gate.set()

    try:
        report_handle = task_runner.run_slow_read(report, on_success=order.append)
        qtbot.waitUntil(lambda: report_handle.started, timeout=10_000)
        task_runner.run_read(listing, on_success=listed)
        qtbot.waitUntil(lambda: task_runner.pending == 0, timeout=20_000)
    finally:
        gate.set()
        task_runner.shutdown(dispose=False)
    assert order == ["list 0", "report"]
    assert threads["list"] != threads["report"]


def test_a_count_lets_the_interactive_reads_go_first_and_waits_for_no_report(db: Database, qtbot: QtBot) -> None:
    """A count nobody waits on (``run_count``) starts only once the case page asked for before it
    has been read, not beside it; a slow read runs beside the page; a count never waits for a
    report running on the slow lane; with no read under way it starts at once."""
    task_runner = TaskRunner(db)
    gate = threading.Event()
    report_gate = threading.Event()
    order: list[str] = []

    def page(session: Session) -> str:
        assert gate.wait(10), "the page was never let go"
        order.append("page read")
        return "page"

    def counting(name: str) -> Callable[[Session], str]:
        def count(session: Session) -> str:
            order.append(f"{name} read")
            return name
        return count

    def report(session: Session) -> str:
        assert report_gate.wait(10), "the report was never let go"
        order.append("report read")
        return "report"

    try:
        page_handle = task_runner.run_read(page, on_success=order.append)
        qtbot.waitUntil(lambda: page_handle.started, timeout=10_000)
        polite = task_runner.run_count(counting("count"), on_success=order.append)
        qtbot.wait(100)
        assert polite.started and not polite.done and order == []  # its turn came, it waits
        gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0, timeout=20_000)
        assert order.index("page read") < order.index("count read")
        order.clear()

        gate.clear()
        page_handle = task_runner.run_read(page, on_success=order.append)
        qtbot.waitUntil(lambda: page_handle.started, timeout=10_000)
        task_runner.run_slow_read(counting("slow"), on_success=order.append)
        qtbot.waitUntil(lambda: order == ["slow read", "slow"], timeout=10_000)
        gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0, timeout=20_000)
        order.clear()

        # A year's report holds the slow lane: the list's count still comes at once.
        long_report = task_runner.run_slow_read(report, on_success=order.append)
        qtbot.waitUntil(lambda: long_report.started, timeout=10_000)
        beside = task_runner.run_count(counting("beside"), on_success=order.append)
        qtbot.waitUntil(lambda: beside.done, timeout=5_000)
        assert order == ["beside read", "beside"] and not long_report.done
        report_gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0, timeout=20_000)
        order.clear()

        alone = task_runner.run_count(counting("alone"), on_success=order.append)
        qtbot.waitUntil(lambda: alone.done, timeout=1_000)  # well within the wait's limit
    finally:
        gate.set()
        report_gate.set()
        task_runner.shutdown(dispose=False)


def test_slow_jobs_run_on_the_slow_lane(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """A read-only job sent to the slow lane (an export, a rendering) leaves the read lane free
    as well, and the read lanes are told apart from the write lane."""
    task_runner = TaskRunner(demo_sqlite_db)
    gate = threading.Event()
    order: list[str] = []
    def export() -> str:
        assert gate.wait(10), "the case page never answered while the export ran"
        return "export"

    def shown(page: str) -> None:
        order.append(page)
        gate.set()

    try:
        task_runner.run_job(export, on_success=order.append, lane=Lane.SLOW)
        task_runner.run_read(lambda session: "case page", on_success=shown)
        qtbot.waitUntil(lambda: task_runner.pending == 0, timeout=20_000)
    finally:
        gate.set()
        task_runner.shutdown(dispose=False)
    assert order == ["case page", "export"]
    assert Lane.READ.reads and Lane.SLOW.reads and not Lane.WRITE.reads
    with pytest.raises(ValueError, match="run_write"):
        task_runner.run_read(lambda session: None, lane=Lane.WRITE)


def test_held_jobs_wait_for_release_and_run_in_order(runner: Runner) -> None:
    """Start-up holds what the main window asks for while the password is checked."""
    done: list[object] = []
    idle: list[bool] = []
    runner.idle.connect(lambda: idle.append(True))
    runner.hold()
    runner.run_read(lambda session: "read", on_success=done.append)
    runner.run_write(lambda session: "write", on_success=done.append)
    runner.run_job(lambda: "job", on_success=done.append, lane=Lane.SLOW)
    assert done == [] and runner.holding and runner.pending == 3 and idle == []
    runner.release()
    assert done == ["read", "write", "job"] and not runner.holding and runner.pending == 0
    assert idle  # the last answer left the runner idle
    runner.run_read(lambda session: "later", on_success=done.append)  # no longer held
    assert done[-1] == "later"


def test_dropped_jobs_never_run_nor_call_back(runner: Runner) -> None:
    ran: list[str] = []
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)
    runner.hold()
    def note(what: str) -> Callable[[Session], None]:
        return lambda session: ran.append(what)

    handles = [runner.run_read(note("read"), on_success=lambda _r: ran.append("answered"),
                               on_error=lambda failure: ran.append(failure.message)),
               runner.run_write(note("write"), on_success=lambda _r: ran.append("answered"))]
    runner.drop()
    assert ran == [] and all(handle.cancelled for handle in handles)
    assert not runner.holding and runner.pending == 0 and busy == [True, False]


@pytest.mark.parametrize("synchronous", [False, True])
def test_the_held_reads_run_and_an_unheld_job_goes_ahead_of_the_held_writes(
        demo_sqlite_db: Database, qtbot: QtBot, synchronous: bool) -> None:
    """A signed-in session whose sign-in is written after its first rows (``ui.app.Startup``): its
    reads run at once (``admit_reads``, a synchronous runner too), its writes wait, the runner is
    idle with only those left, and the sign-in's own write (``unheld``) runs before them."""
    task_runner = TaskRunner(demo_sqlite_db, synchronous=synchronous)
    ran: list[str] = []
    idle: list[int] = []
    task_runner.idle.connect(lambda: idle.append(task_runner.pending))
    try:
        task_runner.hold()
        task_runner.run_read(lambda session: ran.append("read"))
        task_runner.run_write(lambda session: ran.append("session's write"))
        assert ran == [] and task_runner.running == 0 and task_runner.pending == 2
        task_runner.admit_reads()
        qtbot.waitUntil(lambda: ran == ["read"])
        task_runner.run_read(lambda session: ran.append("later read"))
        qtbot.waitUntil(lambda: ran == ["read", "later read"])
        assert task_runner.holding and idle and idle[-1] == 1  # idle but for the held write
        task_runner.run_job(lambda: ran.append("sign-in"), unheld=True)
        task_runner.release()
        qtbot.waitUntil(lambda: len(ran) == 4)
        assert ran == ["read", "later read", "sign-in", "session's write"] and not task_runner.holding
    finally:
        task_runner.shutdown(dispose=False)


def test_an_admission_lets_the_held_reads_run_from_the_checking_thread_and_keeps_the_writes(
        demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """Start-up admits the reads of the window made during the check the moment the write lane
    has verified the password (``TaskRunner.admit``): reads run then, before release(); writes
    still wait for it; a drop after all takes back the answers of the reads let through."""
    task_runner = TaskRunner(demo_sqlite_db)
    ran: list[str] = []
    answered: list[str] = []
    try:
        admission = Admission()
        task_runner.hold(admission)
        task_runner.run_read(lambda session: ran.append("read"), on_success=lambda _r: answered.append("read"))
        task_runner.run_write(lambda session: ran.append("write"), on_success=lambda _r: answered.append("write"))
        checker = threading.Thread(target=task_runner.admit, args=(admission,))
        checker.start()
        checker.join()
        qtbot.waitUntil(lambda: answered == ["read"])
        task_runner.run_read(lambda session: ran.append("later read"), on_success=lambda _r: answered.append("later"))
        qtbot.waitUntil(lambda: answered == ["read", "later"])
        assert ran == ["read", "later read"] and task_runner.holding  # the write waits for release()
        task_runner.release()
        qtbot.waitUntil(lambda: answered == ["read", "later", "write"])
        assert not task_runner.holding

        # Admitted, then dropped (the sign-in failed after the check): the read ran, nobody hears of it.
        second = Admission()
        task_runner.hold(second)
        gate = threading.Event()
        task_runner.run_read(lambda session: gate.wait(10), on_success=lambda _r: answered.append("dropped read"))
        task_runner.run_write(lambda session: ran.append("dropped write"))
        task_runner.admit(second)
        task_runner.drop()
        gate.set()
        qtbot.waitUntil(lambda: task_runner.pending == 0)
        task_runner.run_read(lambda session: None, on_success=lambda _r: answered.append("after"))
        qtbot.waitUntil(lambda: answered[-1] == "after")
        assert "dropped read" not in answered and "dropped write" not in ran

        # Admitted before the hold (the check was quicker than the window): reads are not held.
        third = Admission()
        task_runner.admit(third)
        task_runner.hold(third)
        task_runner.run_read(lambda session: None, on_success=lambda _r: answered.append("unheld"))
        qtbot.waitUntil(lambda: answered[-1] == "unheld")
        task_runner.release()
        # A stale admission (another sign-in's) lets nothing through.
        task_runner.hold(Admission())
        task_runner.admit(third)
        task_runner.run_read(lambda session: None, on_success=lambda _r: answered.append("held"))
        assert task_runner.pending == 1 and answered[-1] == "unheld"
        task_runner.drop()
    finally:
        task_runner.shutdown(dispose=False)


def test_the_reads_an_admission_let_through_are_known_until_answered(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """Start-up shows the signed-in window once the reads its admission let through have answered
    (``Startup._show_signed_in``): the runner says which are unanswered, and tells each answer."""
    task_runner = TaskRunner(demo_sqlite_db)
    answers: list[str] = []
    task_runner.answered.connect(lambda: answers.append("answered"))
    gate = threading.Event()
    try:
        assert task_runner.admitted_unanswered() == []  # no sign-in under way
        admission = Admission()
        task_runner.hold(admission)
        task_runner.run_read(lambda session: gate.wait(10), on_success=lambda _r: answers.append("first read"))
        task_runner.run_write(lambda session: None)
        assert task_runner.admitted_unanswered() == []  # held, not let through yet
        task_runner.admit(admission)
        first = task_runner.admitted_unanswered()
        assert len(first) == 1 and first[0].lane is Lane.READ and task_runner.unanswered(first)
        task_runner.run_read(lambda session: None)  # a later read, let through too: not among ``first``
        assert len(task_runner.admitted_unanswered()) == 2
        gate.set()
        qtbot.waitUntil(lambda: not task_runner.unanswered(first))
        assert answers[:2] == ["first read", "answered"]  # told after the callbacks
        task_runner.release()
        qtbot.waitUntil(lambda: task_runner.pending == 0)
        assert task_runner.admitted_unanswered() == []
    finally:
        gate.set()
        task_runner.shutdown(dispose=False)
