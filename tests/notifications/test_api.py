"""The API: your inbox (and only yours), marking read, and the administrators' channels,
whose webhook address and secret go in and never come out."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Channel, Notification
from tests.notifications.conftest import NOW, collisions

pytestmark = pytest.mark.db_facing

DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=9f8e7d6c5b4a39281706"


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def inbox_of_alice(cast, count: int, name: str = "Mueller Industrietechnik GmbH"):  # type: ignore[no-untyped-def]
    collisions(cast, count, name=name)
    notifications_fanout(now=NOW)
    return list(Notification.objects.filter(recipient=cast.alice).order_by("pk"))


def test_the_inbox_lists_your_own_newest_first_and_filters_unread(cast):
    first, second, third = inbox_of_alice(cast, 3)
    Notification.objects.filter(pk=first.pk).update(created_at=NOW.replace(hour=1))
    Notification.objects.filter(pk=third.pk).update(read_at=timezone.now())
    alice = client(cast.alice)
    body = alice.get("/api/v1/notifications/").json()
    assert [row["id"] for row in body["results"]] == [third.pk, second.pk, first.pk]
    assert body["results"][0]["kind"] == "collision"
    assert body["results"][0]["customer"]["name"] == "Mueller Industrietechnik GmbH"
    assert body["results"][0]["customer"]["id"] == third.customer_id  # hers: she may see it
    unread = alice.get("/api/v1/notifications/?unread=true").json()
    assert [row["id"] for row in unread["results"]] == [second.pk, first.pk]
    assert client(cast.bob).get("/api/v1/notifications/").json()["count"] == 0


def test_a_bad_unread_value_is_refused(cast):
    response = client(cast.alice).get("/api/v1/notifications/?unread=yes")
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"


def test_marking_read_is_yours_alone_and_read_all_marks_the_rest(cast):
    first, *_ = inbox_of_alice(cast, 3)
    assert client(cast.bob).post(f"/api/v1/notifications/{first.pk}/read/").status_code == 404
    assert client(cast.carol).post(f"/api/v1/notifications/{first.pk}/read/").status_code == 404
    alice = client(cast.alice)
    read = alice.post(f"/api/v1/notifications/{first.pk}/read/").json()
    assert read["id"] == first.pk and read["read_at"] is not None
    again = alice.post(f"/api/v1/notifications/{first.pk}/read/").json()
    assert again["read_at"] == read["read_at"]  # read once, when first read
    assert alice.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert alice.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_an_admin_adds_a_signed_channel_whose_address_and_secret_never_come_back(cast):
    admin = client(cast.admin)
    created = admin.post(
        "/api/v1/notification-channels/",
        {
            "name": "East group",
            "platform": "dingtalk",
            "url": DINGTALK,
            "secret": "SECabcdef0123456789",
            "team": cast.east.pk,
            "kinds": ["collision", "claimed", "collision"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["url_hint"] == "https://oapi.dingtalk.com/…1706"
    assert body["signed"] is True and body["kinds"] == ["claimed", "collision"]
    channel = Channel.objects.get()
    assert (channel.url, channel.secret) == (DINGTALK, "SECabcdef0123456789")
    listed = admin.get("/api/v1/notification-channels/")
    detail = admin.get(f"/api/v1/notification-channels/{channel.pk}/")
    patched = admin.patch(
        f"/api/v1/notification-channels/{channel.pk}/", {"name": "East"}, format="json"
    )
    for response in (created, listed, detail, patched):
        assert "9f8e7d6c5b4a39281706" not in response.content.decode()
        assert "SECabcdef" not in response.content.decode()
    cleared = admin.patch(
        f"/api/v1/notification-channels/{channel.pk}/", {"secret": ""}, format="json"
    )
    assert cleared.json()["signed"] is False
    assert admin.delete(f"/api/v1/notification-channels/{channel.pk}/").status_code == 204
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({"platform": "dingtalk", "url": "http://oapi.dingtalk.com/robot/send"}, "url"),
        ({"platform": "dingtalk", "url": "https://10.0.0.7/robot/send"}, "url"),
        ({"platform": "wecom", "url": DINGTALK}, "url"),
        ({"platform": "feishu", "url": "https://open.feishu.cn:99999/x"}, "url"),
        (
            {
                "platform": "wecom",
                "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                "secret": "s",
            },
            "secret",
        ),
        ({"platform": "feishu", "url": DINGTALK, "owner": 1}, "owner"),
    ],
)
def test_a_channel_must_point_at_its_platform_over_https(cast, fields, refused):
    response = client(cast.admin).post(
        "/api/v1/notification-channels/", {"name": "x", **fields}, format="json"
    )
    assert response.status_code == 400
    assert refused in response.json()["errors"]
    assert not Channel.objects.exists()


def test_another_host_can_be_allowed_by_the_administrator(cast, settings):
    settings.GUISHU_NOTIFICATIONS_WEBHOOK_HOSTS = ["lark.example.cn"]
    response = client(cast.admin).post(
        "/api/v1/notification-channels/",
        {"name": "Lark", "platform": "feishu", "url": "https://lark.example.cn/open-apis/bot/v2"},
        format="json",
    )
    assert response.status_code == 201


def test_the_inbox_costs_the_same_queries_for_one_or_fifty(cast):
    inbox_of_alice(cast, 1)
    alice = client(cast.alice)
    alice.get("/api/v1/notifications/")  # sessions, throttles and caches settle
    with CaptureQueriesContext(connection) as one:
        alice.get("/api/v1/notifications/")
    Notification.objects.all().delete()
    inbox_of_alice(cast, 50, name="Shenzhen Hengda Motors")
    with CaptureQueriesContext(connection) as fifty:
        assert len(alice.get("/api/v1/notifications/").json()["results"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries) <= 5
