"""The administrator's screens: users, organisation, calendar and limits, backups, the audit log."""
