"""The reading tests compare messages in English: each test runs with English active (the
site's default language is Simplified Chinese, whose catalogue translates them)."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield
