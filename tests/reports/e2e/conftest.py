"""The browser fixtures of tests/e2e, for the report pages' end-to-end tests."""

from tests.e2e.conftest import (  # noqa: F401
    browser,
    login,
    page,
    pytest_runtest_makereport,
    shot,
)
