"""Looking inside a workbook's container before any parser sees its content.

An .xlsx is a zip of XML parts; an .xls is an OLE compound file holding a BIFF "Workbook"
stream. Both can carry macros, both can be encrypted, and a zip can be a bomb. Each check here
reads only the container's directory and a few bytes, so a hostile file is refused in
milliseconds, before openpyxl or xlrd starts work.
"""

import io
import struct
import zipfile
from collections.abc import Iterable

import olefile
from django.utils.translation import gettext as _

from guishu.tabular.limits import Limits, TableError, megabytes

# Extensions refused whatever the content: macro-enabled workbooks, templates and add-ins.
MACRO_EXTENSIONS = frozenset({".xlsm", ".xltm", ".xlam", ".xla", ".xlm"})
BINARY_EXTENSIONS = frozenset({".xlsb"})
OPENDOCUMENT_EXTENSIONS = frozenset({".ods", ".fods"})
READABLE_EXTENSIONS = frozenset({".csv", ".xlsx", ".xls"})

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Small parts legitimately compress far better than a sheet does (a style sheet of repeated
# tags); the ratio is only held against parts larger than this, as Apache POI does.
_RATIO_GRACE_BYTES = 100 * 1024
# Where a DOCTYPE or ENTITY declaration would have to stand: before the root element.
_PROLOG_BYTES = 64 * 1024
_XML_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_OLE_MACRO_STORAGES = frozenset({"_vba_project_cur", "_vba_project", "vba", "macros"})
_OLE_ENCRYPTED_STREAMS = frozenset({"encryptedpackage", "encryptioninfo"})

# BIFF record types in the workbook globals (MS-XLS 2.3).
_BIFF_EOF = 0x000A
_BIFF_FILEPASS = 0x002F
_BIFF_BOUNDSHEET = 0x0085
# BOUNDSHEET sheet types that hold code: an Excel 4.0 macro sheet and a Visual Basic module.
_CODE_SHEET_TYPES = frozenset({0x01, 0x06})


def refuse_by_extension(extension: str, name: str) -> None:
    """Refuses what the file's name alone says we will not read."""
    if extension in MACRO_EXTENSIONS:
        raise TableError(macro_message(name), code="macros")
    if extension in BINARY_EXTENSIONS:
        raise TableError(
            _(
                "%(name)s is an Excel binary workbook (.xlsb), which cannot be read. Save it "
                "as an Excel workbook (.xlsx) or as CSV and upload it again."
            )
            % {"name": name},
            code="unsupported_format",
        )
    if extension in OPENDOCUMENT_EXTENSIONS:
        raise TableError(
            _(
                "%(name)s is an OpenDocument spreadsheet (.ods), which cannot be read. Save "
                "it as an Excel workbook (.xlsx) or as CSV and upload it again."
            )
            % {"name": name},
            code="unsupported_format",
        )
    if extension not in READABLE_EXTENSIONS:
        raise TableError(
            _("%(name)s: unsupported format %(extension)s; use .xlsx, .xls or .csv.")
            % {"name": name, "extension": extension or _("(none)")},
            code="unsupported_format",
        )


def macro_message(name: str) -> str:
    return _(
        "%(name)s contains macros (VBA code), which are refused for safety. Save it as an "
        "Excel workbook (.xlsx) or as CSV, without macros, and upload it again."
    ) % {"name": name}


def encrypted_message(name: str) -> str:
    return _(
        "%(name)s is protected with a password. Open it, remove the password (File → "
        "Info → Protect Workbook), save it and upload it again."
    ) % {"name": name}


def inspect_zip(data: bytes, name: str, limits: Limits) -> None:
    """Refuses a zip that is not a plain .xlsx: invalid, encrypted, a bomb, carrying macros,
    declaring XML entities, or another kind of document."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise TableError(
            _("%(name)s is not a readable .xlsx file (a damaged zip archive).") % {"name": name},
            code="corrupt",
        ) from error
    with archive:
        _check_bomb(infos, name, limits)
        names = {info.filename.lower() for info in infos}
        if any(info.flag_bits & 0x1 for info in infos):
            raise TableError(encrypted_message(name), code="encrypted")
        if any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names):
            raise TableError(macro_message(name), code="macros")
        _check_document_kind(archive, names, name)
        _check_xml_prologs(archive, infos, name)


def _check_bomb(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    # zipfile stops inflating an entry at its declared size and then fails its CRC check, so
    # the sizes in the directory bound what reading can produce: checking them is enough.
    if len(infos) > limits.max_zip_entries:
        raise TableError(
            _(
                "%(name)s holds %(count)s parts; the limit is %(limit)s. It is not an "
                "ordinary spreadsheet."
            )
            % {"name": name, "count": f"{len(infos):,}", "limit": f"{limits.max_zip_entries:,}"},
            code="zip_bomb",
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise TableError(
            _("%(name)s unpacks to %(size)s; the limit is %(limit)s.")
            % {
                "name": name,
                "size": megabytes(total),
                "limit": megabytes(limits.max_unzipped_bytes),
            },
            code="zip_bomb",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_GRACE_BYTES and ratio > limits.max_zip_ratio:
            raise TableError(
                _(
                    "%(name)s looks like a zip bomb: its part %(part)s is compressed "
                    "%(ratio)s times; the limit is %(limit)s times."
                )
                % {
                    "name": name,
                    "part": info.filename,
                    "ratio": f"{ratio:,.0f}",
                    "limit": f"{limits.max_zip_ratio:,}",
                },
                code="zip_bomb",
            )


def _check_document_kind(archive: zipfile.ZipFile, names: set[str], name: str) -> None:
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:200]:
        refuse_by_extension(".ods", name)
    if "xl/workbook.bin" in names:
        refuse_by_extension(".xlsb", name)
    if not any(n.startswith("xl/") for n in names) or "[content_types].xml" not in names:
        raise TableError(
            _("%(name)s is a zip archive but not an Excel workbook.") % {"name": name},
            code="unsupported_format",
        )


def _check_xml_prologs(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """No part of a real workbook declares a DTD; one that does is an entity-expansion or
    external-entity attack. openpyxl also parses through defusedxml, which refuses them; this
    check answers first and does not depend on how openpyxl is configured."""
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            prolog = part.read(_PROLOG_BYTES)
        if any(marker in prolog for marker in _XML_DECLARATIONS):
            raise TableError(xml_attack_message(name), code="xml_attack")


def xml_attack_message(name: str) -> str:
    return _(
        "%(name)s contains XML entity or DTD declarations (a known attack on XML parsers), "
        "which are refused for safety."
    ) % {"name": name}


def inspect_ole(data: bytes, name: str) -> None:
    """Refuses an OLE file that is not a plain .xls: an encrypted .xlsx (Office wraps those
    in OLE), a workbook carrying VBA or Excel 4.0 macro sheets, a password-protected workbook,
    or another kind of document (a .doc renamed)."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            entries = ole.listdir(streams=True, storages=True)
            parts = {part.lower() for path in entries for part in path}
            if parts & _OLE_ENCRYPTED_STREAMS:
                raise TableError(encrypted_message(name), code="encrypted")
            if parts & _OLE_MACRO_STORAGES:
                raise TableError(macro_message(name), code="macros")
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                raise TableError(
                    _("%(name)s is an Office file but not an Excel workbook.") % {"name": name},
                    code="unsupported_format",
                )
            workbook = ole.openstream(stream).read()
    except TableError:
        raise
    except Exception as error:  # olefile raises many kinds on a damaged file
        raise TableError(
            _("%(name)s is not a readable .xls file (a damaged Office file).") % {"name": name},
            code="corrupt",
        ) from error
    for record, body in _biff_globals(workbook):
        if record == _BIFF_FILEPASS:
            raise TableError(encrypted_message(name), code="encrypted")
        if record == _BIFF_BOUNDSHEET and len(body) >= 6 and body[5] in _CODE_SHEET_TYPES:
            raise TableError(macro_message(name), code="macros")


def _biff_globals(stream: bytes) -> Iterable[tuple[int, bytes]]:
    """The records of the workbook globals: from the first BOF to its EOF."""
    offset = 0
    while offset + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, offset)
        yield record, stream[offset + 4 : offset + 4 + length]
        if record == _BIFF_EOF:
            return
        offset += 4 + length
