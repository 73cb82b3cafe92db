"""The one exception the extractor raises: input it cannot read, with a Vietnamese message."""

from __future__ import annotations


class ExtractError(Exception):
    """The file cannot be read as a plan; ``message`` says why, in Vietnamese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
