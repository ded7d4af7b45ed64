"""Hostile and odd files, built at run time from small real ones so that nothing large or
dangerous is committed: zip bombs, XML entity attacks, macros, encryption, lying names."""

import io
import struct
import zipfile
from pathlib import Path

import olefile
from openpyxl import Workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spreadsheets"

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
)


def xlsx_bytes(rows: list[list[object]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows or [["客户名称", "电话"], ["苏州恒达", "13800138000"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a zip with some parts replaced or added."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_prolog(prolog: str, *, part: str = "xl/worksheets/sheet1.xml", padding: int = 0) -> bytes:
    """An .xlsx whose `part` declares entities and uses one; `padding` puts a comment of that
    many bytes before the declarations, so that only the XML parser can see them."""
    data = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read(part).decode()
    if body.startswith("<?xml"):
        body = body.split("?>", 1)[1]
    reference = "&lol9;" if "lol" in prolog else "&xxe;"
    if "苏州恒达" in body:
        body = body.replace("苏州恒达", reference, 1)
    else:  # the workbook part: an entity in an attribute is expanded as well
        body = body.replace('name="Sheet"', f'name="{reference}"', 1)
    comment = f"<!--{'x' * padding}-->\n" if padding else ""
    head, doctype = prolog.split("\n", 1)
    return rezip(data, replace={part: (head + "\n" + comment + doctype + body).encode()})


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def declaring_size(data: bytes, part: str, size: int) -> bytes:
    """A zip whose directory claims `part` inflates to `size` bytes (the classic bomb's lie,
    without the gigabytes)."""
    patched = bytearray(data)
    name = part.encode()
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if bytes(patched[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", patched, central + 24, size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def xls_bytes() -> bytes:
    return (FIXTURES / "crm-libreoffice.xls").read_bytes()


def renaming_ole_entry(data: bytes, old: str, new: str) -> bytes:
    """An OLE file with one directory entry renamed: a stream named like a VBA project, an
    encryption header or a Word document, which is all the checks look at."""
    patched = bytearray(data)
    at = patched.find((old + "\x00").encode("utf-16-le"))
    assert at != -1 and len(new) < 32
    encoded = (new + "\x00").encode("utf-16-le")
    patched[at : at + 64] = encoded + b"\x00" * (64 - len(encoded))
    struct.pack_into("<H", patched, at + 64, len(encoded))
    return bytes(patched)


def patching_workbook_stream(
    data: bytes, record: int, *, new_type: int | None = None, byte: tuple[int, int] | None = None
) -> bytes:
    """An .xls whose BIFF globals have one record changed in place: its type replaced by
    `new_type`, or the byte at (offset, value) of its body set."""
    ole = olefile.OleFileIO(io.BytesIO(data), write_mode=True)
    buffer = ole.fp
    stream = bytearray(ole.openstream("Workbook").read())
    offset = 0
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        if kind == record:
            if new_type is not None:
                struct.pack_into("<H", stream, offset, new_type)
            if byte is not None:
                stream[offset + 4 + byte[0]] = byte[1]
            break
        offset += 4 + length
    else:
        raise AssertionError(f"no record {record:#06x}")
    ole.write_stream("Workbook", bytes(stream))
    buffer.seek(0)
    result: bytes = buffer.read()
    ole.close()
    return result
