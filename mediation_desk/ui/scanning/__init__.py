"""Scanned documents: the scan dialog, the documents section and its page editor, long jobs, the draft's page
store, and filing signed paper that comes back.
"""
