"""What a file may be before we read it, and the one error every refusal raises.

Business rule: a file a user uploads is untrusted. It may be too large for the server, a
compressed "bomb" that inflates to gigabytes, XML that expands itself, or a workbook carrying
macros; each is refused before its content is parsed, with a message that names the limit and
what the file had, so the user knows what to change.
"""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The defaults suit an upload through the web; a command-line tool may pass larger ones."""

    max_bytes: int = 50 * MB
    max_rows: int = 200_000
    max_columns: int = 200
    max_cell_chars: int = 10_000
    # An .xlsx is a zip of XML parts: what they inflate to, in total and per compressed byte.
    max_unzipped_bytes: int = 512 * MB
    max_zip_ratio: int = 100
    max_zip_entries: int = 10_000


DEFAULT_LIMITS = Limits()


class TableError(ValueError):
    """A file that cannot be read as a table, with a message a user can act on.

    `code` is stable for programs ("too_large", "macros", ...; see docs/spreadsheets.md); the
    message is translated and is what the user sees.
    """

    def __init__(self, message: str, *, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


def megabytes(size: int) -> str:
    """A byte count as people write it in a limit: "50 MB", "50.3 MB"."""
    value = size / MB
    return f"{value:,.0f} MB" if value >= 10 or value.is_integer() else f"{value:,.1f} MB"
