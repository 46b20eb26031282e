"""Scanning at the counter: scanners, file import, a watched scan-to-folder, pages and PDFs.

Domain code: no Qt. The scan dialog drives it from a worker thread and shows what it returns.

- ``backends``  — the ``Scanner`` protocol and its SANE, WIA and TWAIN implementations
- ``folder``    — ``FolderWatcher``: files a networked scanner drops into a folder
- ``files``     — safe import of JPEG, PNG, TIFF and PDF files
- ``pages``     — ``Page`` and ``ScannedDocument``: reorder, rotate, delete, thumbnails
- ``assemble``  — pages to one deterministic PDF
- ``sniff``     — what a file really is, from its first bytes (cheap; used by the services too)

This module imports none of them, so ``import mediation_desk.scanning.sniff`` stays cheap.
"""
