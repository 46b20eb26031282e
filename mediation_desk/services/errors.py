"""Errors the services raise. Each message is for the user: Chinese, naming what is wrong."""

from __future__ import annotations

from ..errors import ServiceError


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class TransitionNotAllowed(ServiceError):
    pass


class InvalidInput(ServiceError):
    """Bad input; ``field`` names the form field the message belongs next to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SettingError(ServiceError):
    """A center setting whose stored value is not of its type, or a key nobody declared
    (``settings.CENTER_SETTINGS``); ``key`` names it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class Conflict(ServiceError):
    """Someone else saved the same thing first; nothing was overwritten."""


class NeedsConfirmation(ServiceError):
    """The input is valid but something about it deserves a second look (a session on a rest
    day, past the case's deadline): ``warnings`` lists each in Chinese; the caller asks the person
    and repeats the call with its ``confirmed`` flag set."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("\n".join(warnings))
        self.warnings = warnings


class AuthenticationFailed(ServiceError):
    pass


class AccountLocked(AuthenticationFailed):
    pass


__all__ = [
    "AccountLocked", "AuthenticationFailed", "Conflict", "InvalidInput", "NeedsConfirmation", "NotFound",
    "PermissionDenied", "ServiceError", "SettingError", "TransitionNotAllowed",
]
