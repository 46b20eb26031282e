from .helpers_db import other_sqlite

__all__ = ["other_sqlite"]
