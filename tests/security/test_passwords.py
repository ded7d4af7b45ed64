"""Passwords: Django's four validators, with a minimum length of 10. Pure checks, no database."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from guishu.accounts.models import User


def refusals(password: str, user: User | None = None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as refused:
        return {error.code for error in refused.error_list}
    return set()


def test_djangos_four_validators_are_in_force_with_a_minimum_of_ten():
    names = [entry["NAME"].rsplit(".", 1)[1] for entry in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 10}


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Vq7#kLp2z", "password_too_short"),  # nine characters
        ("password123", "password_too_common"),
        ("73920461855", "password_entirely_numeric"),
    ],
)
def test_a_weak_password_is_refused(password: str, reason: str):
    assert reason in refusals(password)


def test_a_password_like_the_username_is_refused():
    user = User(username="wanglei2024", email="wanglei@example.com")
    assert "password_too_similar" in refusals("wanglei2024", user)


def test_a_long_unusual_password_is_accepted():
    assert refusals("Vq7#kLp2zR") == set()  # ten characters
