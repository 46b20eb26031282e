"""PDF documents the center prints and files (reportlab, embedded CJK font; no Qt).

Import the document modules themselves (``documents.receipt``): importing reportlab costs
about half a second, which the app spends only when a document is first made.
"""
