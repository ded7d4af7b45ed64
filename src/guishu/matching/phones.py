"""Phone numbers (and WhatsApp IDs, which are phone numbers) in E.164 form.

Business rule: one phone number identifies one customer however it was typed, so
"+86 138-0013-8000", "0086 13800138000" and "13800138000" (typed in China) are one key,
"+8613800138000". A number written without a country code is read in the customer's country;
when that is unknown it is read as Chinese, because most Guishu users sell from China.
"""

import re
import unicodedata

import phonenumbers

DEFAULT_REGION = "CN"

# Chinese spellings of "extension" ("010-12345678转123"); libphonenumber only knows the Latin ones.
_CHINESE_EXTENSION = re.compile("转|轉|分机|分機")

# Ways WhatsApp IDs are pasted: a click-to-chat link or a "whatsapp:" URI.
_WHATSAPP_PREFIXES = ("https://wa.me/", "http://wa.me/", "wa.me/", "whatsapp:")


def _region(default_region: str | None) -> str:
    """The region to read national numbers in; an unknown or unsupported region means CN."""
    if default_region:
        region = default_region.strip().upper()
        if region in phonenumbers.SUPPORTED_REGIONS:
            return region
    return DEFAULT_REGION


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    # E.164 has no room for an extension, so extensions drop out here: the switchboard
    # number is what identifies the company.
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str, default_region: str | None = None) -> str | None:
    """The number in E.164 form ("+8613800138000"), or None when it is not a possible number.

    ``default_region`` (ISO 3166 alpha-2) is the country for numbers without a country code;
    None, or a code libphonenumber does not know, means CN. Extensions are dropped.
    """
    text = _CHINESE_EXTENSION.split(raw, maxsplit=1)[0]
    compact = "".join(char for char in unicodedata.normalize("NFKC", text) if char.isdigit())
    if compact.startswith("00") and not text.lstrip().startswith("+"):
        # "00" dials abroad from China and most of the world; read "0061 412 ..." typed for
        # an Australian customer (whose own prefix is 0011) as +61, when that is a number.
        abroad = _parse("+" + compact[2:], DEFAULT_REGION)
        if abroad is not None and phonenumbers.is_valid_number(abroad):
            return _e164(abroad)
    number = _parse(text, _region(default_region))
    if number is None or not phonenumbers.is_possible_number(number):
        return None
    return _e164(number)


def normalise_whatsapp_id(raw: str, default_region: str | None = None) -> str | None:
    """A WhatsApp ID as an E.164 phone number, or None when it is not one.

    WhatsApp IDs are international numbers written without "+" ("14155550132"), so they are
    first read that way; read as a Chinese national number the same digits would be a different
    phone. Reps also type local numbers into the WhatsApp field, so when the international
    reading is not a valid number the text is read like any other phone number.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    for prefix in _WHATSAPP_PREFIXES:
        if text.casefold().startswith(prefix):
            # Click-to-chat links may carry "?text=..." after the number.
            text = text[len(prefix) :].partition("?")[0]
            break
    if text[:1].isdigit() and not text.startswith("0"):
        # The international reading is a guess, so it must be a valid number, not only a
        # possible one.
        number = _parse("+" + text, DEFAULT_REGION)
        if number is not None and phonenumbers.is_valid_number(number):
            return _e164(number)
    return normalise_phone(text, default_region)
