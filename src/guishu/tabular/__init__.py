"""Reading the spreadsheets sales teams live in: .xlsx, .xls (older Excel and WPS) and .csv in
any encoding Excel writes on Chinese or Western Windows; recognising their columns in English or
Chinese; and reading their cells as typed values. Used by commands and imports alike.

See docs/spreadsheets.md for the formats, limits, header aliases and value formats.
"""

from guishu.tabular.columns import ColumnMap, map_columns
from guishu.tabular.countries import country_code
from guishu.tabular.limits import DEFAULT_LIMITS, Limits, TableError
from guishu.tabular.reading import Row, Table, column_letter, read_table

__all__ = [
    "DEFAULT_LIMITS",
    "ColumnMap",
    "Limits",
    "Row",
    "Table",
    "TableError",
    "column_letter",
    "country_code",
    "map_columns",
    "read_table",
]
