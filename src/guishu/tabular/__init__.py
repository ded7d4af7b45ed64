"""Reading and writing the spreadsheets sales teams live in: .csv (any encoding Excel writes
on Chinese or Western Windows) and .xlsx. Plain Python: used by commands and imports alike."""

from guishu.tabular.columns import ColumnMap, map_columns
from guishu.tabular.countries import country_code
from guishu.tabular.reading import Table, TableError, read_table

__all__ = ["ColumnMap", "Table", "TableError", "country_code", "map_columns", "read_table"]
