"""Keeping an uploaded file, and reading it back as numbered rows of text cells.

The file is kept as uploaded under GUISHU_VAR_DIR/imports/, named by its SHA-256, so nothing a
user sent is lost by a failed import and the same file is recognised when it comes again.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from guishu.tabular import Limits, Row, TableError, read_table

# An import judges every row against the database in memory: 100,000 rows is what one import
# takes (about a minute); larger lists are split into several files.
IMPORT_LIMITS = Limits(max_rows=100_000)
STORE = "imports"


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to GUISHU_VAR_DIR
    sha256: str
    size: int


def file_store(*, filename: str, data: bytes) -> StoredFile:
    """Writes the bytes once per content (a second upload of one file reuses the first)."""
    sha256 = hashlib.sha256(data).hexdigest()
    extension = Path(filename).suffix.lower()[:10]
    relative = Path(STORE) / sha256[:2] / f"{sha256}{extension}"
    target = Path(settings.VAR_DIR) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(target)  # atomic: a reader never sees half a file
    return StoredFile(path=str(relative), sha256=sha256, size=len(data))


def file_path(stored_path: str) -> Path:
    return Path(settings.VAR_DIR) / stored_path


@dataclass
class Sheet:
    """The header row and the data rows of a stored file, read lazily (TableError while
    iterating when a row breaks a limit)."""

    headers: list[str]
    rows: Iterator[Row]


def sheet_read(*, stored_path: str, filename: str) -> Sheet:
    path = file_path(stored_path)
    if not path.is_file():
        message = _("%(name)s is no longer stored; upload it again.") % {"name": filename}
        raise TableError(message, code="missing")
    return sheet_of(path.read_bytes(), filename=filename)


def sheet_of(data: bytes, *, filename: str) -> Sheet:
    """The file's header row and its rows, within the import limits (TableError if not)."""
    table = read_table(data, filename=filename, limits=IMPORT_LIMITS)
    return Sheet(headers=list(table.headers), rows=table.records)
