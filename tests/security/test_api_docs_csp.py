"""The API docs page (Redoc) runs under the Content Security Policy: our override of
drf_spectacular/redoc.html has no inline script or style, every script it loads is from our
own origin and carries the request's nonce, and the nonce it hands Redoc (for the styles Redoc
injects) is the one the policy allows."""

from html.parser import HTMLParser

import pytest
from django.conf import settings

pytestmark = pytest.mark.db_facing


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += data.strip()


@pytest.fixture
def docs(cast, client):  # type: ignore[no-untyped-def]
    client.force_login(cast.alice)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = Elements()
    page.feed(response.content.decode())
    return response, page


def policy_of(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    parts = (p.split() for p in response["Content-Security-Policy"].split(";") if p.strip())
    return {name: values for name, *values in parts}


def test_every_script_is_our_own_and_carries_the_nonce(docs):
    response, page = docs
    nonces = [v for v in policy_of(response)["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    scripts = [attrs for tag, attrs in page.found if tag == "script"]
    sources = [attrs.get("src") for attrs in scripts if attrs.get("type") != "application/json"]
    assert sources == [
        settings.STATIC_URL + "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js",
        settings.STATIC_URL + "guishu/api-docs.js",
    ]
    assert all(attrs.get("nonce") == nonce for attrs in scripts if attrs.get("src"))
    assert page.inline_script == ""


def test_the_styles_redoc_injects_are_allowed_by_the_nonce(docs):
    response, _page = docs
    script_nonce = [v for v in policy_of(response)["script-src"] if v.startswith("'nonce-")]
    assert script_nonce and script_nonce[0] in policy_of(response)["style-src"]


def test_the_page_has_no_inline_style_and_loads_nothing_from_elsewhere(docs):
    _response, page = docs
    assert not [tag for tag, _attrs in page.found if tag == "style"]
    assert not [tag for tag, attrs in page.found if "style" in attrs]
    for tag, attrs in page.found:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value.startswith(("http:", "https:", "//")), (tag, value)


def test_redoc_may_build_its_search_worker(docs):
    response, _page = docs
    assert "blob:" in policy_of(response)["worker-src"]
