"""Read-only reports for leadership: one module per report, each a selector taking the viewer
and a period (and filters) and returning plain dataclasses. See docs/reports.md."""
