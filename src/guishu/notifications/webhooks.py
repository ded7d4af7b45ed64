"""Group-chat bots: the message each platform takes, its signature, and the HTTP call.

- WeCom (企业微信) group bot: `{"msgtype": "markdown", "markdown": {"content": …}}` posted to
  its webhook (the `key` in the address is the credential; WeCom does not sign).
- DingTalk (钉钉) custom robot: `{"msgtype": "markdown", "markdown": {"title", "text"}}`;
  with "加签", `timestamp` (milliseconds) and `sign` = URL-encoded
  base64(HMAC-SHA256(key=secret, message=f"{timestamp}\\n{secret}")) join the query.
- Feishu (飞书) custom bot: `{"msg_type": "text", "content": {"text": …}}`; with "签名校验",
  `timestamp` (seconds) and `sign` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}",
  message=b"")) join the body. Note the key: Feishu keys the HMAC with the string to sign.

All answer HTTP 200 with an error code in the body when they refuse, so the body decides.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from guishu.notifications import conf
from guishu.notifications.models import Channel

Platform = Channel.Platform

# Bytes a message may take: WeCom's markdown content is capped at 4096; DingTalk's and
# Feishu's requests at about 20 KB, of which we use less to leave room for the envelope.
MESSAGE_LIMITS = {Platform.WECOM: 4096, Platform.DINGTALK: 18_000, Platform.FEISHU: 18_000}

# Markdown and mention syntax typed into a customer's name must not become a link, a heading
# or an @all in a group chat: those characters are shown as their full-width look-alikes.
MARKDOWN_SAFE = str.maketrans("*_[]`<>#", "＊＿［］｀＜＞＃")


@dataclass(frozen=True)
class Reply:
    ok: bool
    http_status: int | None
    error: str = ""


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """DingTalk's signature, before URL-encoding."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(timestamp_s: int, secret: str) -> str:
    """Feishu's signature: the string to sign is the HMAC key, the message is empty."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def compose(platform: str, title: str, lines: list[str]) -> dict[str, Any]:
    """The platform's message (unsigned) listing `lines` under `title`."""
    if platform == Platform.FEISHU:
        text = "\n".join([title, *(f"- {line}" for line in lines)])
        return {"msg_type": "text", "content": {"text": text}}
    safe = [line.translate(MARKDOWN_SAFE) for line in lines]
    if platform == Platform.DINGTALK:
        text = "\n".join([f"#### {title}", "", *(f"- {line}" for line in safe)])
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    content = "\n".join([f"**{title}**", *(f"> {line}" for line in safe)])
    return {"msgtype": "markdown", "markdown": {"content": content}}


def fitting(platform: str, title: str, lines: list[str]) -> int:
    """How many of `lines` (at least one) fit in one message."""
    limit = MESSAGE_LIMITS[Platform(platform)]
    count = len(lines)
    while count > 1 and len(_encoded(compose(platform, title, lines[:count]))) > limit:
        count -= 1
    return count


def post(channel: Channel, message: dict[str, Any], *, now: datetime) -> Reply:
    """Signs (when the channel has a secret) and posts one message; never raises for what
    the network or the platform does."""
    url, body = channel.url, dict(message)
    if channel.secret and channel.platform == Platform.DINGTALK:
        stamp = int(now.timestamp() * 1000)
        signature = urllib.parse.quote_plus(dingtalk_sign(stamp, channel.secret))
        url += ("&" if "?" in url else "?") + f"timestamp={stamp}&sign={signature}"
    elif channel.secret and channel.platform == Platform.FEISHU:
        stamp = int(now.timestamp())
        body |= {"timestamp": str(stamp), "sign": feishu_sign(stamp, channel.secret)}
    return _judge(channel.platform, *_post_json(url, body))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is misconfigured; following it could post our message (and
    the signature) somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


def _encoded(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _post_json(url: str, body: dict[str, Any]) -> tuple[int | None, bytes, str]:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return None, b"", _("Not a web address.")
    request = urllib.request.Request(  # noqa: S310  (the scheme is checked above)
        url,
        data=_encoded(body),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Guishu"},
    )
    try:
        with _OPENER.open(request, timeout=conf.http_timeout()) as response:  # nosec B310
            return int(response.status), response.read(64 * 1024), ""
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(2000), f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, b"", str(getattr(error, "reason", error))


def _judge(platform: str, status: int | None, raw: bytes, error: str) -> Reply:
    if error or status is None or not 200 <= status < 300:
        return Reply(False, status, error or f"HTTP {status}")
    try:
        answer = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return Reply(False, status, _("Unexpected answer: %(text)s") % {"text": repr(raw[:200])})
    if platform == Platform.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
        text = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, text = answer.get("errcode"), answer.get("errmsg", "")
    if code == 0:
        return Reply(True, status)
    return Reply(False, status, f"{code}: {text}")


def url_problem(platform: str, url: str) -> str | None:
    """Why `url` cannot be this platform's webhook, or None: it must be HTTPS and on the
    platform's own host (or one added in GUISHU_NOTIFICATIONS_WEBHOOK_HOSTS)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        return _("Give a valid web address.")
    if parts.scheme != "https" or not host:
        return _("The address must start with https://.")
    if host not in (*conf.PLATFORM_HOSTS.get(platform, ()), *conf.extra_webhook_hosts()):
        return _("This is not a webhook address of the chosen platform.")
    return None
