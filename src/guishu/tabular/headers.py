"""Which column holds which field, and each row read as typed values.

Business rule: headers are recognised automatically in English and Chinese, and the user has
the last word. A company's saved mapping {header text: field or None} overrides the automatic
guess for the headers it names, so a sheet exported every month from the same system maps
itself after the first time; None means "ignore this column".
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from guishu.tabular.columns import ColumnMap
from guishu.tabular.fields import FIELDS, KINDS, REQUIRED, Field, ValueContext
from guishu.tabular.reading import Row, column_letter
from guishu.tabular.values import CellError
from guishu.tabular.vocabulary import KIND_FOR_CHANNEL, fold, kind_and_channel

_BRACKETED = re.compile(r"[(\[（【〔][^)\]）】〕]*[)\]）】〕]")
_TRAILING_NUMBER = re.compile(r"\d+$")


def header_keys(header: str) -> list[str]:
    """The folded forms a header is looked up by, most specific first: as written, without
    bracketed notes ("时长（分钟）" → "时长"), without a trailing number ("电话2" → "电话")."""
    keys = [fold(header)]
    unbracketed = fold(_BRACKETED.sub("", header))
    if unbracketed:
        keys.append(unbracketed)
    for key in list(keys):
        numberless = _TRAILING_NUMBER.sub("", key)
        if numberless:
            keys.append(numberless)
    return list(dict.fromkeys(key for key in keys if key))


def _lookup(kind: str) -> dict[str, str]:
    return {fold(alias): f.name for f in FIELDS[kind] for alias in (f.name, *f.aliases)}


def fields_for(kind: str) -> dict[str, Field]:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of sheet {kind!r}; expected one of {KINDS}")
    return {f.name: f for f in FIELDS[kind]}


@dataclass(frozen=True)
class HeaderMapping:
    """For each column (by position): the field it fills, or None when it is ignored, and
    where that choice came from: "saved" (the company's mapping), "user" (adjusted now),
    "auto" (recognised), "unknown" (not recognised), "duplicate" (a second column for a field
    that takes one value; the first column wins)."""

    kind: str
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    origins: tuple[str, ...]

    @property
    def columns(self) -> dict[int, str | None]:
        return dict(enumerate(self.fields))

    @property
    def unknown(self) -> tuple[str, ...]:
        """Headers nothing recognised, to show the user ("ignored: 编号, 序号")."""
        return tuple(h for h, o in zip(self.headers, self.origins, strict=True) if o == "unknown")

    @property
    def ignored(self) -> tuple[int, ...]:
        """Columns whose cells are not read, whatever the reason."""
        return tuple(i for i, name in enumerate(self.fields) if name is None)

    @property
    def missing(self) -> tuple[tuple[str, ...], ...]:
        """Required groups no column fills: ("name",), or ("customer", "customer_id", ...)."""
        present = set(self.fields)
        return tuple(group for group in REQUIRED[self.kind] if not present & set(group))

    def adjust(self, changes: Mapping[int, str | None]) -> "HeaderMapping":
        """The mapping with the user's choices for some columns ({position: field or None})."""
        known = fields_for(self.kind)
        chosen = list(self.fields)
        origins = list(self.origins)
        for index, name in changes.items():
            if name is not None and name not in known:
                raise ValueError(f"{name!r} is not a field of {self.kind}")
            chosen[index], origins[index] = name, "user"
        return _settle(self.kind, self.headers, chosen, origins)

    def remember(self) -> dict[str, str | None]:
        """What to save for the company: {header text: field or None} for every named column."""
        return {h: f for h, f in zip(self.headers, self.fields, strict=True) if h.strip()}

    def column_map(self) -> ColumnMap:
        """The same mapping as a ColumnMap (field → positions), for simple readers."""
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(self.fields):
            if name is not None:
                positions.setdefault(name, []).append(index)
        ignored = tuple(self.headers[i] for i in self.ignored)
        return ColumnMap(positions={k: tuple(v) for k, v in positions.items()}, ignored=ignored)


def propose_mapping(
    headers: Sequence[str], kind: str, saved: Mapping[str, str | None] | None = None
) -> HeaderMapping:
    """The mapping for a sheet's headers: the company's saved choices first (matched by header
    text, ignoring case, width and spacing), then the aliases. Saved choices naming a field
    this kind does not have (a mapping saved by an older version) are skipped."""
    known = fields_for(kind)
    lookup = _lookup(kind)
    remembered = {fold(header): name for header, name in (saved or {}).items() if fold(header)}
    chosen: list[str | None] = []
    origins: list[str] = []
    for header in headers:
        key = fold(header)
        if key in remembered and (remembered[key] is None or remembered[key] in known):
            chosen.append(remembered[key])
            origins.append("saved")
            continue
        name = next((lookup[k] for k in header_keys(header) if k in lookup), None)
        chosen.append(name)
        origins.append("auto" if name else "unknown")
    return _settle(kind, tuple(headers), chosen, origins)


def _settle(
    kind: str, headers: tuple[str, ...], chosen: list[str | None], origins: list[str]
) -> HeaderMapping:
    """A field that takes one value keeps its first column; later ones are ignored."""
    known = fields_for(kind)
    # A choice the user or the company made beats a guess for the same field.
    order = sorted(range(len(chosen)), key=lambda i: (origins[i] not in ("user", "saved"), i))
    taken: set[str] = set()
    fields = list(chosen)
    final = list(origins)
    for index in order:
        name = fields[index]
        if name is None or known[name].multiple:
            continue
        if name in taken:
            fields[index], final[index] = None, "duplicate"
        taken.add(name)
    return HeaderMapping(kind, headers, tuple(fields), tuple(final))


@dataclass(frozen=True)
class CellIssue:
    """Why one cell could not be read: "Row 7, column 电话: “138” is not a phone number."."""

    row: int
    column: int
    header: str
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.header or column_letter(self.column),
            "reason": self.reason,
        }


@dataclass
class ParsedRow:
    """A row's values by field (blank cells left out; multiple fields as lists) and the
    cells that could not be read. A row with issues should not be imported half-read."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    issues: list[CellIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def parse_row(row: Row, mapping: HeaderMapping, context: ValueContext | None = None) -> ParsedRow:
    """Every mapped cell of a row read as its field's type, with an issue for each cell that
    cannot be, and one for cells to the right of the last header (a shifted CSV row)."""
    context = context or ValueContext()
    known = fields_for(mapping.kind)
    parsed = ParsedRow(number=row.number)
    for index, name in enumerate(mapping.fields):
        text = row.cells[index] if index < len(row.cells) else ""
        if name is None or not text.strip():
            continue
        spec = known[name]
        try:
            value = spec.parse(text, context)
        except CellError as error:
            parsed.issues.append(
                CellIssue(row.number, index, mapping.headers[index], name, text, str(error))
            )
            continue
        if value is None or value == []:
            continue
        if spec.multiple:
            merged = parsed.values.setdefault(name, [])
            merged.extend(v for v in value if v not in merged)
        else:
            parsed.values[name] = value
    if row.overflow:
        parsed.issues.append(
            CellIssue(
                row.number,
                len(mapping.headers),
                "",
                "",
                ", ".join(row.overflow),
                _(
                    "the row has more cells than the header (%(cells)s); is there a separator "
                    "inside a value that is not quoted?"
                )
                % {"cells": ", ".join(row.overflow)},
            )
        )
    if mapping.kind == "activities":
        _complete_activity(row, mapping, parsed)
    _require(mapping, parsed, known)
    return parsed


def _require(mapping: HeaderMapping, parsed: ParsedRow, known: dict[str, Field]) -> None:
    """An issue for each required group that is mapped but blank in this row (a group that
    no column fills is the mapping's problem, reported once by HeaderMapping.missing)."""
    troubled = {issue.field for issue in parsed.issues}
    for group in REQUIRED[mapping.kind]:
        columns = [i for i, name in enumerate(mapping.fields) if name in group]
        # Either column may name an activity's kind, but the kind itself is what is needed.
        needed = ("kind",) if group == ("kind", "channel") else group
        if not columns or troubled & set(group) or any(n in parsed.values for n in needed):
            continue
        first = columns[0]
        parsed.issues.append(
            CellIssue(
                parsed.number,
                first,
                mapping.headers[first],
                group[0],
                "",
                _("%(field)s is empty.") % {"field": str(known[group[0]].label).capitalize()},
            )
        )


def _complete_activity(row: Row, mapping: HeaderMapping, parsed: ParsedRow) -> None:
    """One column often says both: "电话" is a call by phone, "拜访" a visit in person, and a
    "跟进方式" column often holds kinds ("报价"). Fill the kind from the channel cell, and the
    channel from the kind cell, when only one of them says it."""
    cells = {
        name: row.cells[i] for i, name in enumerate(mapping.fields) if name in ("kind", "channel")
    }
    if "kind" not in parsed.values:
        implied, _channel = kind_and_channel(cells.get("channel", ""))
        kind = implied or KIND_FOR_CHANNEL.get(parsed.values.get("channel", ""))
        if kind:
            parsed.values["kind"] = kind
    if "channel" not in parsed.values:
        _kind, implied = kind_and_channel(cells.get("kind", ""))
        if implied:
            parsed.values["channel"] = implied


__all__ = [
    "CellIssue",
    "HeaderMapping",
    "ParsedRow",
    "ValueContext",
    "header_keys",
    "parse_row",
    "propose_mapping",
]
