"""The Chinese catalogue is complete: every message translated (none fuzzy), every placeholder
kept, every rule-trace template of the engine present, and the compiled .mo file current.

These read files only; no database, so they are not marked db_facing.
"""

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import guishu

PACKAGE = Path(guishu.__file__).parent
LOCALE = PACKAGE / "locale"
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN = LOCALE / "en" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` entries are skipped)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(target, int):
                entry.msgstr[target] += text
            else:
                setattr(entry, target, getattr(entry, target) + text)
        else:
            keyword, _, literal = line.partition(" ")
            text = ast.literal_eval(literal)
            if keyword.startswith("msgstr"):
                target = int(keyword[7:-1]) if "[" in keyword else 0
                entry.msgstr[target] = text
            else:
                target = keyword
                setattr(entry, keyword, text)
    return entries


ZH_ENTRIES = read_po(ZH)
ZH_MESSAGES = [entry for entry in ZH_ENTRIES if entry.msgid]


def placeholders(text: str) -> dict[str, list[str]]:
    """str.format fields ({owner}), %-style named ones (%(count)s) and bare %s/%d, sorted."""
    return {
        "format": sorted(re.findall(r"(?<!\{)\{(\w*)\}(?!\})", text)),
        "named": sorted(re.findall(r"%\((\w+)\)[sdif]", text)),
        "positional": sorted(re.findall(r"(?<!%)%[sdif]", text)),
    }


def test_the_header_declares_the_language_and_is_not_fuzzy():
    header = next(entry for entry in ZH_ENTRIES if entry.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: zh_Hans" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]


def test_the_catalogue_is_not_empty():
    assert len(ZH_MESSAGES) > 100


@pytest.mark.parametrize("entry", ZH_MESSAGES, ids=lambda entry: entry.msgid[:60])
def test_every_message_has_a_chinese_translation_keeping_its_placeholders(entry: Entry):
    assert "fuzzy" not in entry.flags
    assert entry.msgstr and all(entry.msgstr.values()), "untranslated"
    source = entry.msgid_plural or entry.msgid
    for translation in entry.msgstr.values():
        assert placeholders(translation) == placeholders(source)


def test_chinese_and_english_catalogues_hold_the_same_messages():
    assert {e.key for e in read_po(EN) if e.msgid} == {e.key for e in ZH_MESSAGES}


def test_the_compiled_catalogue_matches_the_po_file():
    with (ZH.with_suffix(".mo")).open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    for entry in ZH_MESSAGES:
        if entry.msgid_plural is None:
            assert catalog.get(entry.key) == entry.msgstr[0], entry.msgid
        else:
            for n, text in entry.msgstr.items():
                assert catalog.get((entry.key, n)) == text, entry.msgid


def trace_templates() -> Iterator[tuple[str, str]]:
    """Every string the code marks with `N_(...)` / `gettext_noop(...)`: the trace templates,
    which are translated only when shown, so a missing one would silently read in English."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("N_", "gettext_noop")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield str(path.relative_to(PACKAGE)), node.args[0].value


def test_every_trace_template_is_in_the_chinese_catalogue():
    templates = list(trace_templates())
    assert len(templates) > 30  # the engine's templates were found at all
    known = {entry.msgid for entry in ZH_MESSAGES}
    missing = [f"{where}: {text}" for where, text in templates if text not in known]
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)
