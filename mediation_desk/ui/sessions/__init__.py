"""Mediation sessions and rooms: the calendar, the scheduling dialog, the rooms, the desk\x27s list."""
