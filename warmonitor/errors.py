"""Errors a user can fix. The command line prints them as one line and exits with their status."""
from __future__ import annotations

# Exit statuses: 0 done (possibly with per-article warnings), 1 nothing could be read or written,
# 2 a bad command line or a bad option file.
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A problem the user can fix (a missing file, a malformed line); never shown as a traceback."""

    def __init__(self, message: str, status: int = EXIT_NOTHING_READ):
        super().__init__(message)
        self.status = status
