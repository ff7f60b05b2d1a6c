"""Errors a user can act on: each names the file, the line (when known) and the reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass


class ChatmonError(Exception):
    """Base class for errors shown to users as one line, never as a traceback."""


class InputError(ChatmonError):
    """A file (or one line of it) that cannot be read as what it claims to be."""

    def __init__(self, file: str, reason: str, line: int | None = None):
        self.file = str(file)
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"

    def to_rejection(self) -> "Rejection":
        return Rejection(file=self.file, reason=self.reason, line=self.line)


class UsageError(ChatmonError):
    """Wrong options or arguments (CLI exit status 2)."""


@dataclass(frozen=True)
class Rejection:
    """One input file (or line) that was left out of a batch, and why."""

    file: str
    reason: str
    line: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"
