"""Drives the citizen window from the clerk's intake form: a registration started (the form was
first changed) shows the matter as it is typed; a registration finished (the case was saved) asks
for the rating, which is written on the write lane with the case and the clerk (services/ratings.py).
Without a second screen nothing is shown: the clerk records a paper or phone rating with the
dialog (:mod:`mediation_desk.ui.counter.rating_dialog`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication, QScreen

from mediation_desk import settings
from mediation_desk.services import center, ratings
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.counter.citizen import CitizenWindow, place_on_screen, second_screen, type_size

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.ratings import RatingFacts
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.attachments import Registered
    from mediation_desk.ui.intake.form import IntakeForm


class CounterScreen(QObject):
    """The counter's second screen, when there is one (``window`` is None otherwise)."""

    def __init__(self, runner: TaskRunner, actor: Actor, form: IntakeForm, *,
                 screen: QScreen | Literal["auto"] | None = "auto", thanks_ms: int | None = None) -> None:
        """``screen``: where the citizen window goes; "auto" is the desk's second screen if any."""
        super().__init__(form)
        self._runner = runner
        self._actor = actor
        self.window: CitizenWindow | None = None
        self.screen = (second_screen(QGuiApplication.screens(), QGuiApplication.primaryScreen())
                       if isinstance(screen, str) else screen)
        if self.screen is None:
            return
        # A window of its own, destroyed with the form.
        self.window = CitizenWindow(actor.display_name, form, thanks_ms=thanks_ms,
                                    point_size=type_size(self.screen))
        place_on_screen(self.window, self.screen)
        form.registration_started.connect(lambda: self._window().show_registering(form.title.text()))
        form.title.textChanged.connect(lambda text: self._window().set_title(text))
        form.registration_finished.connect(self._finished)
        self.window.submitted.connect(self._submit)

        def name(session: Session) -> str:
            return str(center.get(session, settings.CENTER_NAME) or "")

        runner.run_read(name, self.window.set_center_name)

    def _window(self) -> CitizenWindow:
        assert self.window is not None
        return self.window

    def _finished(self, registered: Registered, title: str) -> None:
        self._window().ask_rating(registered.case_id, registered.number, title)

    def _submit(self, level: str, reasons: list[str]) -> None:
        window = self._window()
        case_id, actor = window.case_id, self._actor
        if case_id is None:
            return

        def work(session: Session) -> RatingFacts:
            return ratings.record(session, actor, case_id, level, channel="screen", reasons=reasons)

        self._runner.run_write(work, lambda _facts: window.show_thanks(), self._failed)

    def _failed(self, failure: TaskFailure) -> None:
        self._window().show_failure(failure.message)
