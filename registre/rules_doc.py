"""Generate ``docs/rules.md``, the rule reference, from the declarations of ``registre.rules``.

    python -m registre.rules_doc            # (re)write docs/rules.md
    python -m registre.rules_doc --check    # exit 1 when docs/rules.md is out of date

A test compares the generated text with the committed file, so the reference cannot drift from
the rules.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from registre.rules import (
    RULES,
    SCOPE_LABELS,
    SCORE_DEFINITION_EN,
    SCORE_DEFINITION_FR,
    SEVERITY_LABELS,
    Rule,
    Severity,
)
from registre.schema import Role

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

_ROLES = {Role.CONTROLLER: "responsable", Role.PROCESSOR: "sous-traitant"}

_INTRO = """\
# Règles du contrôle du registre (article 30 du RGPD)

<!-- Produit par `python -m registre.rules_doc` à partir de `registre/rules/` : ne pas modifier
à la main. Un test vérifie que ce fichier est à jour. -->

`registre check` vérifie chaque fiche du registre avec les règles ci-dessous. Chaque constat
donne un message simple (pour la personne qui remplit la fiche), un message précis avec la
référence (pour le délégué), ce qu'il faut faire et le champ à ouvrir. Les mots entre accolades,
comme `{country}`, sont remplacés par les valeurs de la fiche.

## Gravité

- **erreur** : une mention obligatoire de l'article 30 manque, y compris une mention exigée
  « le cas échéant » dont la condition est remplie (par exemple des transferts annoncés mais non
  décrits). `registre check` se termine alors avec le code 1.
- **avertissement** : une mention que l'article 30 demande « dans la mesure du possible »
  (durées de conservation, mesures de sécurité) ou « le cas échéant », ou une incohérence avec
  un autre article du RGPD ou à l'intérieur de la fiche.
- **conseil** : une bonne pratique.

## Nuances de l'article 30 prises en compte

- **Transferts (30.1.e, 30.2.c), « le cas échéant »** : un traitement qui répond « non » aux
  transferts hors UE et n'en décrit aucun est complet ; « oui » sans transfert décrit est une
  erreur ; sans réponse, un avertissement demande de répondre. Un pays où le RGPD s'applique
  (EEE, départements et régions d'outre-mer, Åland…) n'est pas un transfert. La garantie
  « décision d'adéquation » doit correspondre à un pays qui en bénéficie (liste datée dans
  `resources/vocabularies/countries.json`).
- **Durées de conservation (30.1.f), « dans la mesure du possible »** : avertissement, jamais
  erreur ; la durée est attendue **pour chaque catégorie de données**, une durée générale du
  traitement ne suffit pas.
- **Sécurité (30.1.g, 30.2.d), « dans la mesure du possible »** : avertissement quand ni mesure
  ni description générale n'est indiquée.
- **Sous-traitant (30.2)** : les fiches tenues en tant que sous-traitant demandent les
  responsables servis (30.2.a), les catégories de traitements (30.2.b), les transferts le cas
  échéant (30.2.c) et la sécurité (30.2.d) ; finalités, personnes, données et destinataires ne
  leur sont pas demandés.
- **Organisme** : nom et coordonnées (adresse, courriel) ; un organisme public doit désigner un
  délégué (RGPD 37.1.a), dont le nom et le courriel sont donc obligatoires. Le représentant dans
  l'Union (art. 27) n'est jamais demandé : les organismes publics français sont établis dans
  l'Union. Tous les organismes d'un registre sont traités comme des organismes publics.
- **Analyse d'impact (art. 35)** : les critères du CEPD cochés sont complétés par ceux que la
  fiche montre (données sensibles, d'infraction ou NIR : « données sensibles » ; mineurs,
  demandeurs d'aide sociale… : « personnes vulnérables »). Deux critères ou plus, ou un type de
  la liste de la CNIL, rendent une AIPD probablement nécessaire.
- **Registres annexes** (violations, demandes d'exercice de droits, analyses d'impact,
  contrats de sous-traitance ; règles `breach-`, `request-`, `dpia-record-`, `contract-`) : une
  erreur y est une obligation non tenue d'un autre article que l'article 30 — violation non
  notifiée ni écartée par une décision motivée 72 heures après sa découverte (33.1), demande
  sans réponse après un mois, ou trois mois si le délai a été prolongé (12.3), traitement
  demandant une AIPD sans analyse terminée ni exemption référencée au registre des analyses
  (35), contrat sans les clauses a) à h) de l'article 28.3. Un mois court jusqu'au même
  quantième du mois suivant (31 janvier → 28 février), sans report au jour ouvré suivant. Les
  contrats des sous-traitants d'un traitement (`contract-missing`, `contract-not-sound`)
  comptent dans son score.
- Les mentions obligatoires simples (« champ vide ») sont **dérivées du schéma des champs**
  (`registre/schema.py`) : leurs libellés et leurs aides sont ceux des formulaires.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _roles(rule: Rule) -> str:
    return ", ".join(
        _ROLES[role] for role in (Role.CONTROLLER, Role.PROCESSOR) if role in rule.roles
    )


def _row(rule: Rule) -> str:
    cells = [
        f"`{rule.id}`",
        rule.reference,
        SEVERITY_LABELS[rule.severity][0],
        SCOPE_LABELS[rule.scope][0]
        + (f" ({_roles(rule)})" if rule.scope.value == "activity" else ""),
        "oui" if rule.counts_for_score else "non",
        rule.message_fr,
        rule.hint_fr,
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def render() -> str:
    """The whole of ``docs/rules.md``."""
    by_severity = {severity: 0 for severity in Severity}
    for rule in RULES:
        by_severity[rule.severity] += 1
    counted = sum(1 for rule in RULES if rule.counts_for_score)
    derived = sum(1 for rule in RULES if rule.derived)
    lines = [
        _INTRO,
        "## Règles",
        "",
        f"{len(RULES)} règles : {by_severity[Severity.ERROR]} de gravité « erreur », "
        f"{by_severity[Severity.WARNING]} « avertissement », {by_severity[Severity.INFO]} "
        f"« conseil » ; {counted} comptent dans le score ; {derived} sont dérivées du schéma des "
        "champs.",
        "",
        "| id | référence | gravité | portée | score | message | conseil |",
        "|---|---|---|---|---|---|---|",
        *(_row(rule) for rule in RULES),
        "",
        "## Définition du score",
        "",
        SCORE_DEFINITION_FR.rstrip(),
        "",
        "### Score definition (English)",
        "",
        SCORE_DEFINITION_EN.rstrip(),
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the rule reference, or with ``--check`` tell whether it is up to date."""
    parser = argparse.ArgumentParser(prog="python -m registre.rules_doc", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        try:
            current = args.output.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
        if current != text:
            print(
                f"{args.output} n'est pas à jour : lancez python -m registre.rules_doc",
                file=sys.stderr,
            )
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # A source file of the project, not user data: ordinary permissions.
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"{args.output} écrit ({len(RULES)} règles)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
