"""Passphrase policy, after the CNIL's recommendation for a password that is the only protection.

The CNIL (délibération n° 2022-100 du 21 juillet 2022) asks for about 80 bits of entropy when a
password alone protects the data, and gives equivalent rules: at least 12 characters mixing upper
case, lower case, digits and special characters; or at least 14 characters mixing upper case,
lower case and digits; or a passphrase of at least 7 words. Registre applies those rules, refuses
text made of a few repeated characters, and explains in plain words what is missing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
MIN_WORDS = 7
TARGET_BITS = 80


@dataclass(frozen=True)
class Assessment:
    """How strong a passphrase is and, if too weak, what to do."""

    acceptable: bool
    estimated_bits: int
    advice_fr: str
    advice_en: str

    def advice(self, lang: str = "fr") -> str:
        """The advice in ``lang``."""
        return self.advice_en if lang == "en" else self.advice_fr

    @property
    def strength(self) -> float:
        """0.0 to 1.0, for a strength meter (1.0 at the CNIL's 80 bits)."""
        return min(1.0, self.estimated_bits / TARGET_BITS)


def _character_classes(text: str) -> dict[str, bool]:
    return {
        "lower": any(c.islower() for c in text),
        "upper": any(c.isupper() for c in text),
        "digit": any(c.isdigit() for c in text),
        "special": any(not c.isalnum() and not c.isspace() for c in text),
    }


def estimate_bits(text: str) -> int:
    """A cautious entropy estimate: the larger of a character-based and a word-based one."""
    classes = _character_classes(text)
    alphabet = (26 if classes["lower"] else 0) + (26 if classes["upper"] else 0)
    alphabet += (10 if classes["digit"] else 0) + (33 if classes["special"] else 0)
    distinct = len(set(text))
    effective_length = min(len(text), 2 * distinct)  # « aaaaaaaa » is not 8 characters' worth
    by_characters = effective_length * math.log2(alphabet) if alphabet else 0.0
    words = set(_WORD.findall(text.lower()))
    by_words = len(words) * 12.9  # a word drawn from a list of about 7,776
    return int(max(by_characters, by_words))


def assess(text: str) -> Assessment:
    """Apply the CNIL rules to ``text``."""
    classes = _character_classes(text)
    words = set(_WORD.findall(text.lower()))
    bits = estimate_bits(text)
    repetitive = len(set(text)) < max(6, len(text) // 4)
    rule_12 = len(text) >= 12 and all(classes.values())
    rule_14 = len(text) >= 14 and classes["lower"] and classes["upper"] and classes["digit"]
    rule_words = len(words) >= MIN_WORDS
    if (rule_12 or rule_14 or rule_words) and not repetitive:
        return Assessment(True, max(bits, TARGET_BITS), "", "")
    if repetitive and len(text) >= 12:
        return Assessment(
            False,
            bits,
            "Trop de caractères répétés. Choisissez une phrase de passe plus variée.",
            "Too many repeated characters. Choose a more varied passphrase.",
        )
    return Assessment(
        False,
        min(bits, TARGET_BITS - 1),
        "Trop faible. Utilisez au moins 7 mots (« le chat de la voisine mange des fraises »), "
        "ou 12 caractères avec majuscules, minuscules, chiffres et caractères spéciaux, "
        "ou 14 caractères avec majuscules, minuscules et chiffres.",
        "Too weak. Use at least 7 words, or 12 characters with upper case, lower case, digits "
        "and special characters, or 14 characters with upper case, lower case and digits.",
    )
