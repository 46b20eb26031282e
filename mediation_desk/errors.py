"""The root of every refusal the program explains to a person: :class:`ServiceError`.

It sits below the services, so that the layers under them (``scanning``) raise errors the
operation runner shows as refusals, without importing the services. The services' own kinds
(``NotFound``, ``InvalidInput`` …) are in :mod:`mediation_desk.services.errors`.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refused request. ``str(error)`` is the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


__all__ = ["ServiceError"]
