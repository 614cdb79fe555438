"""Refresh the message catalogues after `makemessages`.

The msgids are Portuguese of Portugal (the manual's words). Django ships its own
Portuguese translations, some of which differ from the manual ("Palavra-passe" for
"Password"); so the pt_PT catalogue translates every msgid to itself, which makes the
manual's wording win. English translations are kept as translators wrote them.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r'(msgid (?:"(?:[^"\\]|\\.)*"\n?)+)(msgstr (?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)


def identity_catalogue(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    count = 0

    def fill(match):
        nonlocal count
        msgid, msgstr = match.group(1), match.group(2)
        # The header is the only entry whose msgid is empty.
        if msgid != 'msgid ""\n' and msgstr.strip() == 'msgstr ""':
            count += 1
            return msgid + "msgstr" + msgid[len("msgid") :].rstrip("\n") + "\n"
        return match.group(0)

    # Plural entries (msgid_plural / msgstr[n]) are left to makemessages' defaults.
    text = ENTRY.sub(fill, text)
    text = text.replace("#, fuzzy\n", "")
    path.write_text(text, encoding="utf-8")
    return count


if __name__ == "__main__":
    po = ROOT / "locale" / "pt_PT" / "LC_MESSAGES" / "django.po"
    if not po.exists():
        sys.exit("run makemessages first")
    print(f"pt_PT: {identity_catalogue(po)} entries filled")
