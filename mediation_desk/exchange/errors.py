"""Why a packet is refused or an export stopped; messages are for the user, in Chinese."""

from __future__ import annotations

from ..services.errors import ServiceError


class PacketRefused(ServiceError):
    """The packet is not imported: what is wrong with it is the message. Nothing was written."""


class PacketCancelled(ServiceError):
    """The user stopped the export or import; no file and no row was left behind."""
