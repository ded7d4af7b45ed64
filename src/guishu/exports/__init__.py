"""Exports: any list a user can see, as .xlsx or .csv, with the API's visibility and masking.

- `writers`: rows to CSV (UTF-8 with BOM, CRLF, quoted) and XLSX (openpyxl write-only), with
  formula injection neutralised (`cells`); plain Python.
- `customers`, `records`, `cases`: the lists as sheets, read through the same selectors and
  masked by the same rules as the API (customers; a customer's activities and orders;
  collisions and disputes).
- `responses`: a sheet as a download (streamed CSV, spooled XLSX), named per RFC 6266.

The API's endpoints are in guishu.api.exports; docs/exports.md explains them to users.
"""
