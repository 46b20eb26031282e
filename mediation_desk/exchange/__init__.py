"""Transfer packets in and out: one ZIP with a versioned ``manifest.json`` and every file of a
case, built for a court or a department and imported at the other end (docs/transfer-packet.md).

No Qt here: the command line and the app call the same functions.
"""
