"""Join and invite codes never start with `j-` or `i-`: typed alone, such a code would read as a prefix and a code
two letters short, and could never be redeemed."""

from __future__ import annotations

import itertools

from bot.services.classes import INVITE_PREFIX, JOIN_PREFIX, new_code


def drawing(*texts: str):  # noqa: ANN201
    """A random source that draws `texts` in turn (the I/O boundary: what secrets.token_urlsafe would return)."""
    drawn = itertools.cycle(texts)
    return lambda _nbytes: next(drawn)


def test_a_code_drawn_with_a_reserved_prefix_is_drawn_again():
    ok = "A" * 22
    for unlucky in ("j-" + "B" * 20, "i-" + "C" * 20):
        source = drawing(unlucky, ok)
        assert source(16).startswith((JOIN_PREFIX, INVITE_PREFIX)), "positive control: the raw source draws it"
        assert new_code(drawing(unlucky, unlucky, ok)) == ok


def test_codes_from_the_real_source_are_22_characters_and_never_reserved():
    codes = [new_code() for _ in range(5000)]
    assert all(len(code) == 22 and not code.startswith(("j-", "i-")) for code in codes)
