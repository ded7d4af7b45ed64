"""File names for downloads, in any script, as RFC 6266 says to send them.

`Content-Disposition: attachment; filename="customers-2026-01-05.xlsx";
filename*=UTF-8''%E5%AE%A2%E6%88%B7-2026-01-05.xlsx`: browsers use the UTF-8 name
(RFC 5987/8187 encoding); a client that cannot read it falls back to the ASCII one.
"""

import re
import unicodedata
from datetime import date
from urllib.parse import quote

# Characters no file system or browser takes in a name, control characters, and the header's
# own separator (a naive parser would split the name at a semicolon).
_UNSAFE = re.compile(r'[\\/:*?"<>|;\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
MAX_STEM_CHARS = 120


def file_stem(text: str) -> str:
    """`text` fit for a file name: no path separators, quotes or control characters."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", _UNSAFE.sub("_", text)).strip(" ._")
    return text[:MAX_STEM_CHARS].rstrip(" ._")


def file_name(stem: str, day: date, extension: str) -> str:
    return f"{file_stem(stem) or 'export'}-{day.isoformat()}.{extension}"


def _quotable(name: str) -> bool:
    return name.isascii() and all(ch.isprintable() and ch not in '"\\' for ch in name)


def content_disposition(name: str, ascii_name: str) -> str:
    """An attachment named `name`, with `ascii_name` for clients that need ASCII."""
    fallback = ascii_name if _quotable(ascii_name) else "export"
    if _quotable(name):
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
