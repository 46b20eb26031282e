"""Interface language: Qt Linguist translators, fonts, and the display names of domain enums.

Source strings are English; ``resources/i18n/mediation_desk_zh_CN.ts`` holds the Chinese, which is
the default. Enum members carry a Chinese ``.label`` for documents; on screen they are translated
here from a context named after the enum (``CaseState`` …) so that English shows English. The zh_CN
translations of these contexts are kept identical to the labels (a test compares them).

This module imports no SQLAlchemy: the login dialog uses it before the database layer is loaded.
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from mediation_desk import paths

log = logging.getLogger(__name__)

CATALOG = "mediation_desk"
#: Qt's own strings its qtbase catalogue leaves untranslated (resources/i18n/qt_extra_*.ts).
QT_EXTRA_CATALOG = "qt_extra"
#: The interface languages offered in the settings menu, each named in its own language.
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
#: The family name inside resources/fonts/NotoSansCJKsc-Regular.ttf.
CJK_FAMILY = "Noto Sans CJK SC"
MIN_POINT_SIZE = 10.0



def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for lupdate in ``context``, to be translated when shown. (Qt's own is typed
    as returning ``object``; lupdate only looks at the call's name, so this typed one works.)"""
    return source


# (enum class name, stored value) -> English source text. Keyed by names rather than the enum
# classes so this module does not import the models (and with them SQLAlchemy).
_ENUM_SOURCES: dict[str, dict[str, str]] = {
    "CaseState": {
        "registered": QT_TRANSLATE_NOOP("CaseState", "Registered"),
        "accepted": QT_TRANSLATE_NOOP("CaseState", "Accepted"),
        "rejected": QT_TRANSLATE_NOOP("CaseState", "Not accepted"),
        "diverted": QT_TRANSLATE_NOOP("CaseState", "Diverted"),
        "assigned": QT_TRANSLATE_NOOP("CaseState", "Assigned"),
        "in_mediation": QT_TRANSLATE_NOOP("CaseState", "In mediation"),
        "succeeded": QT_TRANSLATE_NOOP("CaseState", "Mediation succeeded"),
        "failed": QT_TRANSLATE_NOOP("CaseState", "Mediation failed"),
        "transferred": QT_TRANSLATE_NOOP("CaseState", "Transferred"),
        "withdrawn": QT_TRANSLATE_NOOP("CaseState", "Withdrawn"),
        "closure_review": QT_TRANSLATE_NOOP("CaseState", "Closure review"),
        "closed": QT_TRANSLATE_NOOP("CaseState", "Closed"),
    },
    "ClockStage": {
        "acceptance": QT_TRANSLATE_NOOP("ClockStage", "Decision to accept"),
        "mediation": QT_TRANSLATE_NOOP("ClockStage", "Mediation period"),
        "hotline_consultation": QT_TRANSLATE_NOOP("ClockStage", "Hotline consultation reply"),
        "hotline_request": QT_TRANSLATE_NOOP("ClockStage", "Hotline request"),
        "judicial_confirmation": QT_TRANSLATE_NOOP("ClockStage", "Judicial confirmation application"),
        "return_visit": QT_TRANSLATE_NOOP("ClockStage", "First return visit"),
    },
    "DiversionBody": {
        "village_committee": QT_TRANSLATE_NOOP("DiversionBody", "Village (community) people's mediation committee"),
        "court_pre_litigation": QT_TRANSLATE_NOOP("DiversionBody", "People's court pre-litigation mediation"),
        "petition_office": QT_TRANSLATE_NOOP("DiversionBody", "Petition office"),
        "department": QT_TRANSLATE_NOOP("DiversionBody", "Government department"),
    },
    "RecusalOutcome": {
        "proceed": QT_TRANSLATE_NOOP("RecusalOutcome", "No need to recuse"),
        "recused": QT_TRANSLATE_NOOP("RecusalOutcome", "Recuse"),
    },
    "Role": {
        "intake": QT_TRANSLATE_NOOP("Role", "Intake clerk"),
        "mediator": QT_TRANSLATE_NOOP("Role", "Mediator"),
        "head": QT_TRANSLATE_NOOP("Role", "Center head"),
        "admin": QT_TRANSLATE_NOOP("Role", "Administrator"),
    },
    "PartyRole": {
        "applicant": QT_TRANSLATE_NOOP("PartyRole", "Applicant"),
        "respondent": QT_TRANSLATE_NOOP("PartyRole", "Respondent"),
        "third_party": QT_TRANSLATE_NOOP("PartyRole", "Third party"),
    },
    "PartyKind": {
        "person": QT_TRANSLATE_NOOP("PartyKind", "Natural person"),
        "legal_person": QT_TRANSLATE_NOOP("PartyKind", "Legal person"),
        "organisation": QT_TRANSLATE_NOOP("PartyKind", "Unincorporated organisation"),
    },
    "Gender": {
        "male": QT_TRANSLATE_NOOP("Gender", "Male"),
        "female": QT_TRANSLATE_NOOP("Gender", "Female"),
    },
    "IdDocumentType": {
        "resident_id": QT_TRANSLATE_NOOP("IdDocumentType", "Resident ID card"),
        "hk_macao_permit": QT_TRANSLATE_NOOP("IdDocumentType", "Travel permit for Hong Kong/Macao residents"),
        "taiwan_permit": QT_TRANSLATE_NOOP("IdDocumentType", "Travel permit for Taiwan residents"),
        "passport": QT_TRANSLATE_NOOP("IdDocumentType", "Passport"),
        "other": QT_TRANSLATE_NOOP("IdDocumentType", "Other document"),
    },
    "SourceChannel": {
        "visit": QT_TRANSLATE_NOOP("SourceChannel", "Walk-in visit"),
        "phone": QT_TRANSLATE_NOOP("SourceChannel", "Phone call"),
        "letter": QT_TRANSLATE_NOOP("SourceChannel", "Letter"),
        "online": QT_TRANSLATE_NOOP("SourceChannel", "Online"),
        "grid_report": QT_TRANSLATE_NOOP("SourceChannel", "Grid worker report"),
        "police_transfer": QT_TRANSLATE_NOOP("SourceChannel", "Police transfer"),
        "court_delegated": QT_TRANSLATE_NOOP("SourceChannel", "Delegated or entrusted by a court"),
        "petition_transfer": QT_TRANSLATE_NOOP("SourceChannel", "Petition office transfer"),
        "department_transfer": QT_TRANSLATE_NOOP("SourceChannel", "Department transfer"),
        "active_screening": QT_TRANSLATE_NOOP("SourceChannel", "Active screening"),
    },
    "RiskLevel": {
        "red": QT_TRANSLATE_NOOP("RiskLevel", "Red"),
        "orange": QT_TRANSLATE_NOOP("RiskLevel", "Orange"),
        "yellow": QT_TRANSLATE_NOOP("RiskLevel", "Yellow"),
        "blue": QT_TRANSLATE_NOOP("RiskLevel", "Blue"),
    },
    "EventKind": {
        "registered": QT_TRANSLATE_NOOP("EventKind", "Registered"),
        "transition": QT_TRANSLATE_NOOP("EventKind", "State change"),
        "note": QT_TRANSLATE_NOOP("EventKind", "Note"),
        "record": QT_TRANSLATE_NOOP("EventKind", "Record"),
        "document": QT_TRANSLATE_NOOP("EventKind", "Document"),
        "supervision": QT_TRANSLATE_NOOP("EventKind", "Supervision"),
        "return_visit": QT_TRANSLATE_NOOP("EventKind", "Return visit"),
    },
}

# Workflow actions (services.workflow.Action values): the button text and, where the workflow
# demands a note, what the note must say. The zh_CN texts equal the workflow's own labels.
_ACTION_SOURCES: dict[str, str] = {
    "accept": QT_TRANSLATE_NOOP("Action", "Accept"),
    "reject": QT_TRANSLATE_NOOP("Action", "Do not accept"),
    "divert": QT_TRANSLATE_NOOP("Action", "Divert"),
    "assign": QT_TRANSLATE_NOOP("Action", "Assign"),
    "start_mediation": QT_TRANSLATE_NOOP("Action", "Start mediation"),
    "succeed": QT_TRANSLATE_NOOP("Action", "Mediation succeeded"),
    "fail": QT_TRANSLATE_NOOP("Action", "Mediation failed"),
    "withdraw": QT_TRANSLATE_NOOP("Action", "Withdraw"),
    "transfer": QT_TRANSLATE_NOOP("Action", "Transfer to court or department"),
    "submit_for_review": QT_TRANSLATE_NOOP("Action", "Submit for closure review"),
    "approve_closure": QT_TRANSLATE_NOOP("Action", "Approve closure"),
    "send_back": QT_TRANSLATE_NOOP("Action", "Send back for rework"),
    "reopen": QT_TRANSLATE_NOOP("Action", "Reopen mediation"),
}
_PROMPT_SOURCES: dict[str, str] = {
    "reject": QT_TRANSLATE_NOOP("ActionPrompt", "Reason for not accepting"),
    "divert": QT_TRANSLATE_NOOP("ActionPrompt", "Where it is diverted to, and why"),
    "fail": QT_TRANSLATE_NOOP("ActionPrompt", "Why mediation failed"),
    "withdraw": QT_TRANSLATE_NOOP("ActionPrompt", "How the case was withdrawn"),
    "transfer": QT_TRANSLATE_NOOP("ActionPrompt", "Where it is transferred to"),
    "send_back": QT_TRANSLATE_NOOP("ActionPrompt", "Reason for sending it back"),
    "reopen": QT_TRANSLATE_NOOP("ActionPrompt", "Why mediation is reopened"),
}


def enum_text(member: Enum) -> str:
    """The on-screen name of an enum member in the interface language."""
    source = _ENUM_SOURCES.get(type(member).__name__, {}).get(str(member.value))
    if source is None:
        # A member added to the domain after this table: its Chinese label beats a raw value.
        return str(getattr(member, "label", member.value))
    return QCoreApplication.translate(type(member).__name__, source)


def action_text(action: str, fallback: str) -> str:
    """The button text of a workflow action; ``fallback`` is the service's (Chinese) label."""
    source = _ACTION_SOURCES.get(action)
    return QCoreApplication.translate("Action", source) if source else fallback


def action_prompt(action: str, fallback: str) -> str:
    source = _PROMPT_SOURCES.get(action)
    return QCoreApplication.translate("ActionPrompt", source) if source else fallback


def enum_sources() -> dict[str, dict[str, str]]:
    """The English source text of every enum member the UI names (for the translation tests)."""
    return {name: dict(values) for name, values in _ENUM_SOURCES.items()}


def action_sources() -> tuple[dict[str, str], dict[str, str]]:
    return dict(_ACTION_SOURCES), dict(_PROMPT_SOURCES)


def install_translators(app: QCoreApplication, language: str,
                        directory: Path | None = None) -> list[QTranslator]:
    """Load the app's catalog and Qt's own (dialog buttons, context menus) for ``language``.

    Returns the installed translators, which the caller must keep alive. English needs none: the
    source strings are English. A missing catalog is logged and leaves the English text visible
    rather than stopping the desk.
    """
    if language not in LANGUAGES or language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(language))
    folder = directory or paths.translations_dir()
    installed: list[QTranslator] = []
    own = QTranslator(app)
    if own.load(f"{CATALOG}_{language}", str(folder)):
        app.installTranslator(own)
        installed.append(own)
    else:
        log.warning("No compiled translation %s_%s.qm in %s; run tools/build_translations.py",
                    CATALOG, language, folder)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    else:
        log.warning("Qt's own translation qtbase_%s.qm is missing: its dialogs stay in English", language)
    # What Qt's catalogue lacks (the file dialog's "&Look in:", "Files of &type:", "Folder" …),
    # installed last so it is asked first; it holds only Qt's own contexts.
    extra = QTranslator(app)
    if extra.load(f"{QT_EXTRA_CATALOG}_{language}", str(folder)):
        app.installTranslator(extra)
        installed.append(extra)
    return installed


def register_fonts(app: QApplication) -> str | None:
    """Register the shipped fonts and make the CJK one the application font.

    Without it every Chinese character is a box on machines with no CJK system font, so the app
    never relies on system fonts. Returns the family set, or None when the font is missing.
    """
    families: list[str] = []
    folder = paths.fonts_dir()
    for path in sorted(folder.glob("*.tt[fc]")) + sorted(folder.glob("*.otf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("Qt could not load the font %s", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if not families:
        log.warning("No font found in %s; Chinese text may show as boxes", folder)
        return None
    family = CJK_FAMILY if CJK_FAMILY in families else families[0]
    font = QFont(app.font())
    font.setFamilies([family])
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)
    return family
