"""The interface text: every message exists in both languages, with the same placeholders."""

import string

from bot.i18n import LANGUAGES, _catalog


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_is_in_every_language_with_the_same_placeholders() -> None:
    french = _catalog("fr")
    for lang in LANGUAGES:
        catalog = _catalog(lang)
        assert sorted(set(french) - set(catalog)) == [], f"missing in {lang}"
        assert sorted(set(catalog) - set(french)) == [], f"only in {lang}"
        for key, template in catalog.items():
            assert _fields(template) == _fields(french[key]), f"{lang}:{key} placeholders differ"
