"""The REST API, /api/v1/: thin endpoints over the same services and selectors as the pages."""
