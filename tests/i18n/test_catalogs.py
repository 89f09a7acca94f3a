"""Every shipped language is complete: each message in the code has a real, non-fuzzy translation."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from i18n.catalogs import TRANSLATIONS
from i18n.locales import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [locale for locale in SUPPORTED_LOCALES if locale != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@lru_cache(maxsize=1)
def source_messages() -> frozenset[str]:
    """Every message the code and templates ask to translate, extracted the way `coordina i18n extract` does."""
    with open(ROOT / "i18n" / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


def catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=locale)


def test_the_code_has_messages_to_translate():
    assert len(source_messages()) > 100


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(locale) if m.id}
    missing = sorted(source_messages() - set(entries))
    assert not missing, f"{locale}: not in the catalog (run `coordina i18n extract`): {missing[:10]}"
    untranslated = sorted(i for i in source_messages() if not (entries[i].string if isinstance(entries[i].string, str) else all(entries[i].string)))
    assert not untranslated, f"{locale}: untranslated: {untranslated[:10]}"
    fuzzy = sorted(i for i in source_messages() if entries[i].fuzzy)
    assert not fuzzy, f"{locale}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", SHIPPED)
def test_translations_keep_every_placeholder(locale):
    for message in catalog(locale):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for translation in strings:
            assert sorted(PLACEHOLDER.findall(translation)) == wanted, f"{locale}: {ids[0]!r} -> {translation!r}"
