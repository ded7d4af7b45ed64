"""The platforms' signatures, checked against values derived here independently: HMAC-SHA256
built by hand from its definition (RFC 2104) rather than with the `hmac` module the code
uses, plus DingTalk's published example (timestamp 1700000000000, secret "secret"). Then
the signed requests as a real server receives them."""

import base64
import hashlib
from datetime import UTC, datetime
from urllib.parse import quote_plus

import pytest

from guishu.notifications.webhooks import dingtalk_sign, feishu_sign
from tests.notifications.conftest import NOW, collisions, deliver, make_channel

pytestmark = pytest.mark.db_facing


def hmac_sha256_by_hand(key: bytes, message: bytes) -> bytes:
    """H((K ^ opad) || H((K ^ ipad) || m)), with K padded to SHA-256's 64-byte block."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in key) + inner).digest()


def test_the_dingtalk_signature_keys_the_hmac_with_the_secret():
    # DingTalk: sign the string "timestamp\nsecret" with the secret as the key.
    expected = base64.b64encode(hmac_sha256_by_hand(b"secret", b"1700000000000\nsecret")).decode()
    assert dingtalk_sign(1700000000000, "secret") == expected
    # The same example as published with an open-source DingTalk client, URL-encoded.
    assert quote_plus(expected) == "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"


def test_the_feishu_signature_keys_the_hmac_with_the_string_to_sign_over_nothing():
    key = b"1599360473\nSECgxh8dhI4b8ZRAJdMYBEDie"
    expected = base64.b64encode(hmac_sha256_by_hand(key, b"")).decode()
    assert feishu_sign(1599360473, "SECgxh8dhI4b8ZRAJdMYBEDie") == expected
    # Not DingTalk's scheme with a seconds timestamp: the key and the message differ.
    assert expected != dingtalk_sign(1599360473, "SECgxh8dhI4b8ZRAJdMYBEDie")


def test_a_signed_dingtalk_message_carries_timestamp_and_sign_in_its_address(cast, webhook_server):
    make_channel(webhook_server, platform="dingtalk", secret="SECtopsecret")
    collisions(cast, 1)
    deliver()
    [posted] = webhook_server.received
    stamp = int(NOW.timestamp() * 1000)
    assert posted.path == "/robot/send"
    assert posted.query["access_token"] == ["t0ken"]
    assert posted.query["timestamp"] == [str(stamp)]
    string_to_sign = f"{stamp}\nSECtopsecret".encode()
    # parse_qs has undone the URL-encoding: what arrives is the bare base64.
    expected = base64.b64encode(hmac_sha256_by_hand(b"SECtopsecret", string_to_sign)).decode()
    assert posted.query["sign"] == [expected]
    assert posted.body["msgtype"] == "markdown"
    assert posted.headers["Content-Type"] == "application/json; charset=utf-8"


def test_a_signed_feishu_message_carries_timestamp_and_sign_in_its_body(cast, webhook_server):
    webhook_server.answer((200, {"code": 0, "msg": "success", "data": {}}))
    make_channel(webhook_server, platform="feishu", secret="feishu-secret")
    collisions(cast, 1)
    assert deliver().outcomes == {"sent": 1}
    [posted] = webhook_server.received
    stamp = int(NOW.timestamp())
    assert posted.query == {"access_token": ["t0ken"]}  # nothing added to the address
    assert posted.body["timestamp"] == str(stamp)
    key = f"{stamp}\nfeishu-secret".encode()
    assert posted.body["sign"] == base64.b64encode(hmac_sha256_by_hand(key, b"")).decode()
    assert posted.body["msg_type"] == "text"
    assert posted.body["content"]["text"].startswith("Guishu: 1 notification\n- Collision on")


def test_an_unsigned_message_carries_no_signature(cast, webhook_server):
    make_channel(webhook_server, platform="dingtalk")
    collisions(cast, 1)
    deliver()
    [posted] = webhook_server.received
    assert "sign" not in posted.query and "timestamp" not in posted.query


def test_a_feishu_refusal_in_the_body_is_a_failure(cast, webhook_server):
    webhook_server.answer(
        (200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"})
    )
    make_channel(webhook_server, platform="feishu", secret="wrong")
    collisions(cast, 1)
    assert deliver(datetime(2026, 11, 20, tzinfo=UTC)).outcomes == {"retrying": 1}
