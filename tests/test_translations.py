"""The English catalogue is complete, and every Swedish text in the code can be found by makemessages."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "people",
    "initiatives",
    "council",
    "accounting",
    "payments",
    "outcomes",
    "imports",
    "reports",
    "public_record",
    "archive",
    "dgr",
]


def _entries():
    text = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    header = 'msgid ""\nmsgstr ""\n"Project'
    return [entry for entry in text.split("\n\n") if "msgid" in entry and header not in entry]


def test_every_swedish_text_has_an_english_translation():
    fuzzy = [entry for entry in _entries() if "#, fuzzy" in entry]
    empty = [entry for entry in _entries() if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, re.M)]
    assert not fuzzy, fuzzy[:3]
    assert not empty, empty[:3]


def test_translation_functions_keep_names_that_makemessages_knows():
    # xgettext finds _(), gettext(), gettext_lazy() … by name: under another alias (say `_lazy`) a text is
    # never extracted and stays Swedish in the English interface.
    alias = re.compile(r"from django\.utils\.translation import .*\b(\w+) as (?!_\b)(\w+)")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for match in alias.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
