"""Small argument helpers shared by the command groups."""
from __future__ import annotations

import argparse
import getpass


def positive_int(text: str) -> int:
    """argparse type for counts and limits: a clear message instead of a traceback."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def current_user() -> str:
    """Who runs the command, for audit trails; "cli" where the login name is unknown."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


class CommandFailed(Exception):
    """A command cannot go on: `str()` is the one-line message, `code` the
    exit status (2 for unusable input, 1 for a refusal)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code
