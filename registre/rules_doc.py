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
from registre.vocabularies import vocabulary

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

- **erreur** : une mention obligatoire du registre manque (article 30 du RGPD, ou article 24 de
  la directive 2016/680 pour un traitement police-justice), y compris une mention exigée « le
  cas échéant » dont la condition est remplie (par exemple des transferts annoncés mais non
  décrits) ; ou un transfert hors de l'Union sans aucun fondement (RGPD 44 : ni adéquation qui
  couvre le destinataire, ni garantie). `registre check` se termine alors avec le code 1.
- **avertissement** : une mention que l'article 30 demande « dans la mesure du possible »
  (durées de conservation, mesures de sécurité) ou « le cas échéant », ou une incohérence avec
  un autre article du RGPD, un texte français ou à l'intérieur de la fiche.
- **conseil** : une bonne pratique.

Chaque règle cite sa source dans la colonne « référence » ; les listes de référence qu'elles
utilisent (pays adéquats, listes de la CNIL, durées maximales…) sont datées et sourcées dans
`resources/vocabularies` et rappelées à la fin de ce document.

## Nuances du droit prises en compte

- **Transferts (30.1.e, 30.2.c), « le cas échéant »** : un traitement qui répond « non » aux
  transferts hors UE et n'en décrit aucun est complet ; « oui » sans transfert décrit est une
  erreur ; sans réponse, un avertissement demande de répondre. Un transfert vise un **pays tiers
  ou une organisation internationale** (30.1.e) : l'un ou l'autre suffit. Un pays où le RGPD
  s'applique (EEE, départements et régions d'outre-mer, Åland…) n'est pas un transfert. La
  garantie « décision d'adéquation » doit correspondre à un pays qui en bénéficie (liste datée
  dans `resources/vocabularies/countries.json`) ; pour les États-Unis (Data Privacy Framework),
  le Canada (PIPEDA), le Japon (secteur privé) et la Corée du Sud (PIPA), la décision ne couvre
  que certains destinataires : la fiche du transfert, du sous-traitant ou du logiciel doit dire
  que le destinataire est couvert, sinon c'est une erreur. La documentation dans le registre
  n'est exigée que pour un transfert fondé sur le **second alinéa de l'article 49.1**
  (intérêts légitimes impérieux, 49.6), pas pour les dérogations du 49.1 a) à g).
- **Durées de conservation (30.1.f), « dans la mesure du possible »** : avertissement, jamais
  erreur ; une durée générale qui couvre toutes les catégories suffit (un conseil propose de la
  reporter dans chaque ligne) ; une conservation sans limite est admise pour des archives
  publiques conservées à titre définitif (sort final « conservation définitive »). Les durées
  maximales fixées par un texte (vidéoprotection : un mois, code de la sécurité intérieure,
  art. L252-5) sont vérifiées.
- **Sécurité (30.1.g, 30.2.d), « dans la mesure du possible »** : avertissement quand ni mesure
  ni description générale n'est indiquée.
- **Sous-traitant (30.2)** : les fiches tenues en tant que sous-traitant demandent les
  responsables servis (30.2.a), les catégories de traitements (30.2.b), les transferts le cas
  échéant (30.2.c) et la sécurité (30.2.d) ; finalités, personnes, données, destinataires et
  analyse d'impact (devoir du responsable, 35.1 ; le sous-traitant l'aide, 28.3.f) ne leur sont
  pas demandés. Un sous-traitant sans contrat conforme à l'article 28 compte dans le score de
  chaque traitement qui lui confie des données (règles `contract-missing`, `contract-not-sound`).
- **Organisme** : nom et coordonnées (adresse, courriel). Une autorité ou un organisme public
  doit désigner un délégué (RGPD 37.1.a), dont le nom et le courriel sont alors obligatoires ;
  un organisme de droit privé (association, SEM, SPL) ne l'est pas (un conseil le recommande) et
  les règles propres aux autorités publiques (intérêt légitime, dérogations de l'article 49.3,
  consentement) ne lui sont pas appliquées. Sans type d'organisme, l'organisme est traité comme
  public. Le représentant dans l'Union (art. 27) n'est jamais demandé.
- **Régime police-justice** : un traitement dont la finalité est la prévention ou la
  constatation des infractions (police municipale, vidéoprotection de la voie publique) relève
  de la directive 2016/680 et du titre III de la loi Informatique et libertés : aucune base de
  l'article 6 ni exception de l'article 9 du RGPD ne lui est demandée, mais son registre cite sa
  base juridique et dit s'il recourt au profilage (directive, art. 24.1). Les autres règles qui
  s'y appliquent citent l'article de la directive qui répond à celui du RGPD (durées : art.
  24.1.h ; sous-traitant : art. 22.3 ; sécurité : art. 24.1.i et 29.1 ; analyse d'impact :
  art. 27.1 et loi 78-17, art. 90 ; revue : art. 19.1) et sont rangées sous ces articles.
- **Bases légales** : une base légale peut être donnée finalité par finalité quand les
  finalités diffèrent ; le consentement d'un organisme public est signalé quand il porte sur une
  mission obligatoire (modèle fondé sur une obligation ou une mission d'intérêt public, agents,
  électeurs, usagers d'une procédure imposée : considérant 43). Le NIR n'est traité que sous un
  texte qui l'autorise (loi Informatique et libertés, art. 30 ; décret n° 2019-341).
- **Analyse d'impact (art. 35)**, pour les traitements tenus en tant que responsable : les
  critères du CEPD cochés sont complétés par ceux que la fiche montre (données sensibles,
  d'infraction ou NIR : « données sensibles » ; mineurs, demandeurs d'aide sociale, agents face à
  l'employeur… : « personnes vulnérables » ; au moins 10 000 personnes concernées : « grande
  échelle », repère retenu par Registre et non seuil légal). Les cas de l'article 35.3 et les
  types de la liste de la CNIL (délibération n° 2018-327) que la fiche montre rendent l'AIPD
  obligatoire ; deux critères la rendent probable, sauf exemption de la liste de la CNIL
  (délibération n° 2019-118 : fichier électoral, services scolaires, périscolaires et de la
  petite enfance, gestion du personnel de moins de 250 personnes sans profilage…), dont les
  conditions sont vérifiées.
- **Registres annexes** (violations, demandes d'exercice de droits, analyses d'impact,
  contrats de sous-traitance ; règles `breach-`, `request-`, `dpia-record-`, `contract-`) : une
  erreur y est une obligation non tenue d'un autre article que l'article 30 — violation non
  notifiée ni écartée par une décision motivée 72 heures après sa découverte (33.1), demande
  sans réponse après un mois, ou trois mois si le délai a été prolongé (12.3), traitement
  demandant une AIPD sans analyse terminée ni exemption référencée au registre des analyses
  (35), contrat sans les clauses a) à h) de l'article 28.3. Un mois court jusqu'au même
  quantième du mois suivant (31 janvier → 28 février), sans report au jour ouvré suivant. Les
  contrats des sous-traitants d'un traitement (`contract-missing`, `contract-not-sound`)
  comptent dans son score : un contrat ne couvre le sous-traitant que signé (sa date de
  signature au registre), en vigueur et avec ses huit clauses. Sans date de signature, rien ne
  montre que le sous-traitant est lié par un contrat écrit (28.3, 28.9) ni que le responsable
  peut le démontrer (5.2) : un projet ou une copie non signée ne couvre pas le traitement.
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


_SOURCES = (
    "countries",
    "transfer_safeguards",
    "legal_bases",
    "art9_conditions",
    "data_categories",
    "data_subject_categories",
    "organisation_kinds",
    "dpia_criteria",
    "dpia_mandatory_cases",
    "dpia_cnil_types",
    "dpia_exemptions",
    "retention_limits",
    "final_dispositions",
)


_UNITS_FR = {"days": "jours", "months": "mois", "years": "ans"}


def _sources() -> list[str]:
    """The dated, sourced reference lists the rules rely on."""
    lines = ["## Listes de référence et leurs sources", ""]
    for name in _SOURCES:
        vocab = vocabulary(name)
        lines.append(f"- **{vocab.label_fr}** (`{name}`, version {vocab.version}) : {vocab.source}")
        for key in ("large_scale_source", "adequacy_source"):
            if key in vocab.extra:
                lines.append(f"  {vocab.extra[key]}")
        if name == "retention_limits":
            for term in vocab.terms:
                extra = term.extra
                unit = _UNITS_FR[extra["max_unit"]]
                maximum = f"{extra['max_value']} {unit}"
                lines.append(f"  - {term.label_fr} : au plus {maximum} ({extra['reference']}).")
    return [*lines, ""]


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
        *_sources(),
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
