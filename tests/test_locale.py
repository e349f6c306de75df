"""The English catalogue is complete and its compiled .mo matches the .po (both are kept in git, so that
``make demo`` needs no gettext).  After editing the .po run ``manage.py compilemessages``."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

# Independent of the suite's database: `make test` runs it once, in the SQLite pass (tests/conftest.py).
pytestmark = pytest.mark.once

LC = Path(__file__).resolve().parent.parent / "zhuanban" / "locale" / "en" / "LC_MESSAGES"
PO, MO = LC / "django.po", LC / "django.mo"


def _entries(path: Path) -> list[dict]:
    """A small .po reader (no polib): one dict per entry with msgctxt/msgid/msgid_plural/msgstr[...] and flags."""
    entries: list[dict] = []
    cur: dict = {}
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in cur:
                entries.append(cur)
            cur, key = {}, None
        elif line.startswith("#,"):
            cur.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            cur["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            cur[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            cur[key] = ast.literal_eval(value)
    return entries


def _messages() -> list[dict]:
    return [e for e in _entries(PO) if e["msgid"]]  # skip the header


def test_every_message_is_translated_and_none_is_fuzzy_or_obsolete():
    entries = _messages()
    assert len(entries) > 300
    header = [e for e in _entries(PO) if not e["msgid"]]
    assert header and "fuzzy" not in header[0].get("flags", set())
    untranslated = [e["msgid"] for e in entries
                    if not all(v.strip() for k, v in e.items() if k.startswith("msgstr"))]
    assert untranslated == []
    assert [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())] == []
    assert [e["msgid"] for e in entries if e.get("obsolete")] == []


def test_the_compiled_catalogue_matches_the_po():
    assert MO.exists(), "run: manage.py compilemessages"
    with MO.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    stale = []
    for e in _messages():
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            forms = sorted(k for k in e if k.startswith("msgstr["))
            if [catalog.get((key, i)) for i in range(len(forms))] != [e[k] for k in forms]:
                stale.append(e["msgid"])
        elif catalog.get(key) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "the .mo is older than the .po; run: manage.py compilemessages"


def test_django_translates_with_english_active():
    with translation.override("en"):
        assert translation.gettext("工作专班平台") == "Task Force Platform"
        assert translation.pgettext("directory section", "人员") == "People"
        assert translation.ngettext("%(n)s 人", "%(n)s 人", 2) % {"n": 2} == "2 people"
    with translation.override("zh-hans"):
        assert translation.gettext("工作专班平台") == "工作专班平台"
