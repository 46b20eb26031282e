"""The main window as a counter PC shows it: 1366×768, less a taskbar (the window may ask for no
more than this), active so that shortcuts and focus behave as on a real desk."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mediation_desk.services.actor import Actor
from mediation_desk.ui.shell.main_window import MainWindow

from .conftest import Runner

CENTER = "张掖市甘州区矛盾纠纷调处中心"
SCREEN_WIDTH, USABLE_HEIGHT = 1366, 740


def open_window(runner: Runner, actor: Actor, qtbot: QtBot, center: str = CENTER) -> MainWindow:
    window = MainWindow(runner, actor, center)
    qtbot.addWidget(window)
    window.resize(SCREEN_WIDTH, USABLE_HEIGHT)
    window.show()
    # Shortcuts and focus need an active window, as on a real desk.
    with qtbot.waitActive(window):
        window.activateWindow()
    return window
