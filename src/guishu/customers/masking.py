"""Masking contact details a viewer may not see: enough to recognise, not enough to use.

"+8613800138000" -> "+86138****8000"; "li.wei@acme.com" -> "l***@acme.com";
"acme-tools.com" -> "ac***.com"; anything else keeps its first character.
"""

import re

_PHONE = re.compile(r"^\+?[\d\s()-]{7,}$")


def mask_phone(value: str) -> str:
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:6]}{'*' * (len(digits) - 10) if len(digits) > 10 else '****'}{digits[-4:]}"


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{mask_domain(domain) if domain else ''}"


def mask_domain(value: str) -> str:
    label, dot, rest = value.partition(".")
    return f"{label[:2]}***{dot}{rest}"


def mask_value(value: str) -> str:
    """Masks a phone, e-mail, domain or any other identifying text."""
    value = value.strip()
    if "@" in value:
        return mask_email(value)
    if _PHONE.match(value):
        return mask_phone(value)
    if "." in value and " " not in value:
        return mask_domain(value)
    return f"{value[:1]}***" if value else value
