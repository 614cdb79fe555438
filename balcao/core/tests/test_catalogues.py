"""The message catalogues ship what the interface promises.

pt_PT must translate every text to itself (the manual's words win over Django's own
Portuguese), and English must have no empty or fuzzy (guessed) entry.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def entries(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            key = line.split(" ", 1)[0] if not line.startswith('"') else current
            current = key
            fields[key] = fields.get(key, "") + "".join(QUOTED.findall(line))
        if fields.get("msgid"):
            yield fields, flags


def test_portuguese_catalogue_is_the_identity():
    different = [
        f["msgid"]
        for f, _ in entries("pt_PT")
        if "msgid_plural" not in f and f.get("msgstr") != f["msgid"]
    ]
    assert different == []


def test_english_catalogue_has_no_empty_or_guessed_entry():
    bad = [
        f["msgid"]
        for f, flags in entries("en")
        if "fuzzy" in flags or ("msgid_plural" not in f and not f.get("msgstr"))
    ]
    assert bad == []


@pytest.mark.parametrize(("language", "text"), [("pt-pt", "Password"), ("en", "Password")])
def test_the_manuals_word_for_password_is_kept(language, text):
    with translation.override(language):
        assert translation.gettext("Password") == text
