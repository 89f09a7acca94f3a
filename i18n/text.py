"""Text as it is compared and keyed: accents, case and punctuation folded away, in every script we meet."""
from __future__ import annotations

from slugify import slugify


def fold(text: str | None) -> str:
    """'Công ty TNHH Đông Á' -> 'cong ty tnhh dong a'; 'Straße' -> 'strasse': what searches and matches compare."""
    return slugify(text or "", separator=" ", lowercase=True)


def slug(text: str | None, *, separator: str = "-", max_length: int = 0) -> str:
    """'Acme Média S.r.l.' -> 'acme-media-s-r-l': for addresses and keys."""
    return slugify(text or "", separator=separator, lowercase=True, max_length=max_length)
