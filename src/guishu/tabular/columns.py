"""Recognising columns by their headers, in English or Chinese, case-insensitively."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _fold(header: str) -> str:
    return header.strip().casefold().replace(" ", "").replace("_", "")


@dataclass(frozen=True)
class ColumnMap:
    """Field name -> the column positions holding it (a phone may sit in two columns)."""

    positions: Mapping[str, tuple[int, ...]]
    ignored: tuple[str, ...]

    def values(self, row: Sequence[str], field: str) -> list[str]:
        return [row[i].strip() for i in self.positions.get(field, ()) if row[i].strip()]

    def first(self, row: Sequence[str], field: str) -> str:
        found = self.values(row, field)
        return found[0] if found else ""


def map_columns(headers: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> ColumnMap:
    """Maps each header to the field whose aliases include it; others are ignored."""
    lookup = {_fold(alias): field for field, names in aliases.items() for alias in names}
    positions: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        field = lookup.get(_fold(header))
        if field is None:
            ignored.append(header)
        else:
            positions.setdefault(field, []).append(index)
    return ColumnMap(positions={k: tuple(v) for k, v in positions.items()}, ignored=tuple(ignored))
