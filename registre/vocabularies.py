"""Reference vocabularies shipped in ``resources/vocabularies`` (dated, with their source)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary."""

    key: str
    label_fr: str
    label_en: str
    help_fr: str
    help_en: str
    extra: dict[str, Any]

    def label(self, lang: str = "fr") -> str:
        """Label in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr

    def help(self, lang: str = "fr") -> str:
        """Help in ``lang`` (it may cite articles for the DPO)."""
        return self.help_en if lang == "en" else self.help_fr

    def plain_help(self, lang: str = "fr") -> str:
        """The help as the secretary's guided declaration shows it: ``plain_fr`` / ``plain_en``
        (the same advice without article numbers) when the help cites articles."""
        plain = self.extra.get("plain_en" if lang == "en" else "plain_fr")
        return plain if isinstance(plain, str) and plain else self.help(lang)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of terms, with the date and source it was taken from."""

    id: str
    version: str
    label_fr: str
    label_en: str
    source: str
    terms: tuple[Term, ...]
    extra: dict[str, Any]
    _by_key: dict[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {term.key: term for term in self.terms})

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def term(self, key: str) -> Term | None:
        """The term called ``key``, or None."""
        return self._by_key.get(key)

    def label(self, key: str, lang: str = "fr") -> str:
        """Label of ``key`` in ``lang`` (the key itself when unknown)."""
        found = self.term(key)
        return found.label(lang) if found else key

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Every key, in file order."""
        return tuple(term.key for term in self.terms)


_ITEM_KEYS = {"key", "label_fr", "label_en", "help_fr", "help_en"}
_TOP_KEYS = {"id", "version", "label_fr", "label_en", "source", "items"}


@cache
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary ``resources/vocabularies/<name>.json`` (loaded once)."""
    path = resources.files("registre_resources") / "vocabularies" / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    terms = tuple(
        Term(
            key=str(item["key"]),
            label_fr=item["label_fr"],
            label_en=item["label_en"],
            help_fr=item.get("help_fr", ""),
            help_en=item.get("help_en", ""),
            extra={k: v for k, v in item.items() if k not in _ITEM_KEYS},
        )
        for item in document["items"]
    )
    return Vocabulary(
        id=document["id"],
        version=document["version"],
        label_fr=document["label_fr"],
        label_en=document["label_en"],
        source=document["source"],
        terms=terms,
        extra={k: v for k, v in document.items() if k not in _TOP_KEYS},
    )
