"""Nothing under src/guishu/web needs 'unsafe-inline': no inline <script> or <style>, no
style="" or on…="" attributes, no javascript: URLs, and no script that writes inline styles.
These read files only (no database)."""

import re
from pathlib import Path

import pytest

import guishu.web

WEB = Path(guishu.web.__file__).parent
TEMPLATES = sorted((WEB / "templates").rglob("*.html"))
# Our scripts. The vendored libraries (static/vendor: htmx, ECharts) are configured not to
# evaluate strings or inline styles (base.html's htmx-config), and the CSP refuses it anyway:
# the browser tests fail on any console error, a CSP refusal included.
SCRIPTS = sorted(p for p in (WEB / "static").rglob("*.js") if "vendor" not in p.parts)
# Template comments are never rendered, so they may name what they avoid.
COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)

IN_MARKUP = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")"),
    "style element": re.compile(r"<style\b"),
    "style attribute": re.compile(r"\sstyle\s*="),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
IN_SCRIPTS = {
    "style attribute": re.compile(r"setAttribute\(\s*[\"']style|\bstyle\s*=\s*[\"']|cssText"),
    "event handler attribute": re.compile(r"setAttribute\(\s*[\"']on", re.IGNORECASE),
    "eval": re.compile(r"\beval\(|new Function\("),
}


def test_the_files_are_found():
    assert len(TEMPLATES) >= 7 and len(SCRIPTS) >= 2


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(WEB)))
def test_templates_have_no_inline_code(path: Path):
    text = COMMENTS.sub("", path.read_text(encoding="utf-8"))
    found = [what for what, pattern in IN_MARKUP.items() if pattern.search(text)]
    assert not found


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(WEB)))
def test_scripts_write_no_inline_styles(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in IN_SCRIPTS.items() if pattern.search(text)]
    assert not found


@pytest.mark.parametrize(
    ("markup", "what"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<p style="color: red">', "style attribute"),
        ('<button onclick="go()">', "event handler attribute"),
        ("<style>p { color: red }</style>", "style element"),
        ('<a href="javascript:go()">', "javascript: URL"),
    ],
)
def test_the_patterns_catch_what_they_look_for(markup: str, what: str):
    assert IN_MARKUP[what].search(markup)
    assert not IN_MARKUP["inline script"].search('<script src="/static/x.js" defer></script>')
