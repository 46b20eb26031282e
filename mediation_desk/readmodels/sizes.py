"""A file's size in a message or a column: one way of writing it for the whole desk (a backup's
size in 备份, the space a copy needs, a scanned file over its limit, an attachment in the transfer
packet's list)."""

from __future__ import annotations

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


def size_text(size: int) -> str:
    """"7.2 GB", "380.0 MB", "12 KB", "512 字节": one decimal from a megabyte up (a limit of 50 MB
    reads "50.0 MB" beside a file of "50.3 MB"), whole kilobytes below."""
    if size >= GB:
        return f"{size / GB:.1f} GB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= KB:
        return f"{size / KB:.0f} KB"
    return f"{max(size, 0)} 字节"
