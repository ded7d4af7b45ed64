"""The browser tests stay in this folder (see conftest.py): no other conftest borrows its
fixtures, which would start a second session-wide Playwright."""

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_other_folder_borrows_the_browser_fixtures():
    borrowers = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("conftest.py")
        if path.parent.name != "e2e" and "tests.e2e" in path.read_text(encoding="utf-8")
    ]
    assert not borrowers
