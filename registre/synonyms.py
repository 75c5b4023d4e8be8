"""How people title register columns and word register values, beside the field schema.

Registers kept in spreadsheets, exported from older tools or filled in the CNIL template name
their columns in many ways: « Destinataire(s) », « Sous- traitant(s) », « Durée de conservation
des données », « Type(s) de Garanties ». This module declares, keyed by the schema's own keys,
the wordings a DPO would recognise for each field; importers normalise a column title (case,
accents, plurals, « (s) », punctuation) and look it up here. Nothing here is specific to one
file format.

Keys of ``COLUMN_TITLES`` are **targets**:

- an activity field or collection key (``"name"``, ``"recipients"``);
- a field of a collection row, ``"collection.field"`` (``"transfers.country"``): the cells of
  such columns on one line make rows of that collection together;
- an organisation field, ``"organisation.field"`` (``"organisation.dpo_name"``): the value fills
  the organisation when it is empty there.

The schema's French and English labels and the keys themselves are always recognised; the
titles below are the other wordings. ``TERM_WORDINGS`` does the same for the terms of the
reference vocabularies (data categories, recipient types…), and ``NO_ITEM_WORDINGS`` /
``UNFILLED_WORDINGS`` list what people write for « nothing here ».
"""

from __future__ import annotations

from functools import cache

from registre.schema import ACTIVITY, ORGANISATION, Entity, Field

ORGANISATION_PREFIX = "organisation."

# --------------------------------------------------------------------------------------------
# Column titles, per target
# --------------------------------------------------------------------------------------------

COLUMN_TITLES: dict[str, tuple[str, ...]] = {
    # -- activity fields --------------------------------------------------------------------
    "name": (
        "Nom",
        "Traitement",
        "Intitulé",
        "Intitulé du traitement",
        "Libellé",
        "Libellé du traitement",
        "Activité",
        "Activité de traitement",
        "Nom de l'activité",
        "Dénomination",
        "Dénomination du traitement",
        "Processus",
        "Nom du processus",
        "Processing activity",
        "Processing",
        "Activity",
        "Activity name",
        "Title",
        "Process",
        "Process name",
    ),
    "reference": (
        "Réf",
        "Réf.",
        "N°",
        "N° / RÉF",
        "N° / Réf.",
        "Numéro",
        "N° de fiche",
        "Numéro de fiche",
        "Numéro du traitement",
        "Identifiant",
        "ID",
        "Code",
        "Code du traitement",
        "Ref",
        "Record number",
        "Number",
    ),
    "role": (
        "Rôle",
        "Qualité",
        "Qualité de l'organisme",
        "Responsable ou sous-traitant",
        "En tant que",
        "Role",
        "Capacity",
    ),
    "service": (
        "Service",
        "Service responsable",
        "Service gestionnaire",
        "Service porteur",
        "Direction",
        "Direction / Service",
        "Pôle",
        "Département",
        "Entité",
        "Department",
        "Business unit",
        "Owner department",
    ),
    "description": (
        "Descriptif",
        "Description du traitement",
        "Présentation du traitement",
        "Summary",
    ),
    "status": ("Statut", "État", "Avancement", "Statut de la fiche", "Status"),
    "main_purpose": (
        "Finalité",
        "Finalité du traitement",
        "Finalités du traitement",
        "Finalité(s)",
        "Objectif",
        "Objectif du traitement",
        "Objet",
        "Objet du traitement",
        "But du traitement",
        "Purpose",
        "Purpose of processing",
    ),
    "legal_basis": (
        "Base légale",
        "Base juridique",
        "Base légale du traitement",
        "Fondement juridique",
        "Fondement légal",
        "Licéité",
        "Licéité du traitement",
        "Base de licéité",
        "Condition de licéité",
        "Lawful basis",
        "Legal ground",
    ),
    "legal_basis_text": (
        "Texte de référence",
        "Textes de référence",
        "Référence juridique",
        "Références juridiques",
        "Références réglementaires",
        "Textes réglementaires",
        "Fondement réglementaire",
        "Base réglementaire",
        "Legal reference",
    ),
    "art9_condition": (
        "Exception article 9",
        "Dérogation article 9",
        "Condition article 9",
        "Exception données sensibles",
        "Art. 9 condition",
    ),
    "offence_data_authority": (
        "Données d'infraction",
        "Autorisation données d'infraction",
        "Article 10",
    ),
    "data_source": (
        "Origine des données",
        "Origine des données (flux d'entrée)",
        "Flux d'entrée",
        "Source des données",
        "Source",
        "Provenance des données",
        "Data source",
    ),
    "collection_method": (
        "Collecte",
        "Mode de collecte des données",
        "Modalités de collecte",
        "Moyen de collecte",
        "Modalité de recueil",
    ),
    "has_transfers": (
        "Transfert hors UE (oui/non)",
        "Données transférées hors UE",
        "Données transférées hors de l'Union européenne",
        "Data transferred outside the EU",
    ),
    "general_retention": (
        "Durée de conservation",
        "Durée de conservation des données",
        "Durées de conservation",
        "Délai de conservation",
        "Conservation",
        "Conservation des données",
        "Durée d'utilité administrative",
        "DUA",
        "Retention",
        "Retention period",
    ),
    "security_overview": (
        "Description de la sécurité",
        "Sécurité (description)",
        "Security overview",
    ),
    "processing_categories": (
        "Traitements effectués pour le compte du responsable",
        "Prestations réalisées",
        "Categories of processing",
    ),
    "dpia_status": (
        "AIPD",
        "Analyse d'impact (AIPD)",
        "Analyse d'impact relative à la protection des données",
        "AIPD réalisée",
        "PIA",
        "DPIA",
        "Data protection impact assessment",
    ),
    "dpia_criteria": ("Critères AIPD", "Critères du CEPD", "DPIA criteria"),
    "dpia_cnil_type": ("Liste CNIL des AIPD obligatoires", "Type AIPD liste CNIL"),
    "dpia_date": ("Date de l'AIPD", "Date AIPD", "DPIA date"),
    "dpia_conclusion": ("Conclusion de l'AIPD", "Résultat de l'AIPD", "DPIA conclusion"),
    "created_on": (
        "Date de création",
        "Créé le",
        "Date de création du traitement",
        "Date de mise en œuvre",
        "Date de mise en place",
        "Created",
        "Creation date",
        "Created on",
    ),
    "updated_on": (
        "Date de mise à jour",
        "Mise à jour",
        "Mise à jour du traitement",
        "Dernière mise à jour de la fiche",
        "Modifié le",
        "Date de modification",
        "Last update",
        "Updated",
        "Updated on",
    ),
    "next_review_on": (
        "Date de revue",
        "Prochaine révision",
        "Date de prochaine revue",
        "Review date",
    ),
    "legacy_notes": (),
    "template_id": (),
    "template_version": (),
    "processors": (
        "Sous-traitant",
        "Sous-traitant(s)",
        "Sous- traitant(s)",
        "Sous-traitants / prestataires",
        "Prestataire",
        "Prestataires",
        "Data processors",
        "Service providers",
    ),
    "software": (
        "Logiciel",
        "Logiciels",
        "Logiciel / application",
        "Application",
        "Applications",
        "Applications utilisées",
        "Outil",
        "Outils",
        "Progiciel",
        "Tools",
        "Applications used",
    ),
    # -- collections --------------------------------------------------------------------------
    "joint_controllers": (
        "Responsable conjoint",
        "Responsable(s) conjoint(s)",
        "Co-responsable",
        "Co-responsables de traitement",
    ),
    "controllers_served": (
        "Pour le compte de",
        "Donneur d'ordre",
        "Responsable de traitement client",
        "On behalf of",
    ),
    "purposes": (
        "Sous-finalité",
        "Sous-finalités",
        "Détail de la finalité",
        "Détail des finalités",
        "Finalités détaillées",
        "Sub-purposes",
        "Purpose details",
    ),
    "data_subjects": (
        "Personnes concernées",
        "Catégories de personnes concernées",
        "Catégories de personnes",
        "Public concerné",
        "Publics concernés",
        "Data subjects",
        "Categories of data subjects",
    ),
    "data_categories": (
        "Données",
        "Données traitées",
        "Données collectées",
        "Données personnelles",
        "Données à caractère personnel",
        "Catégories de données",
        "Catégories de données personnelles",
        "Catégories de données personnelles concernées",
        "Données sensibles",
        "Catégories particulières de données",
        "Nature des données",
        "Type de données",
        "Personal data",
        "Data categories",
        "Categories of personal data",
        "Data collected",
    ),
    "recipients": (
        "Destinataire(s)",
        "Destinataires des données",
        "Destinataires internes et externes",
        "Accès aux données",
        "Qui a accès aux données",
        "Data recipients",
    ),
    "transfers": (
        "Transferts",
        "Transferts hors UE",
        "Transferts de données hors UE",
        "Transferts hors Union européenne",
        "Transfert hors UE",
        "Transfers",
        "Transfers to third countries",
    ),
    "transfers.recipient": (
        "Destinataire hors UE",
        "Destinataire du transfert",
        "Organisme destinataire hors UE",
        "Importateur des données",
        "Data importer",
    ),
    "transfers.country": (
        "Pays",
        "Pays de destination",
        "Pays destinataire",
        "Pays tiers",
        "Pays hors UE",
        "Destination country",
        "Third country",
    ),
    "transfers.safeguard": (
        "Garanties",
        "Type de garanties",
        "Type(s) de Garanties",
        "Garanties appropriées",
        "Encadrement du transfert",
        "Safeguards",
        "Transfer mechanism",
    ),
    "transfers.documentation": (
        "Liens vers la documentation",
        "Lien vers la documentation",
        "Documentation du transfert",
    ),
    "security_measures": (
        "Mesures de sécurité",
        "Mesures de sécurité techniques et organisationnelles",
        "Mesures techniques et organisationnelles",
        "Mesures techniques",
        "Mesures organisationnelles",
        "Mesures de sécurité techniques",
        "Mesures de sécurité organisationnelles",
        "Sécurité",
        "Sécurité des données",
        "Technical measures",
        "Organisational measures",
        "Technical and organisational measures",
        "TOMs",
        "Security",
    ),
    # -- the organisation ---------------------------------------------------------------------
    "organisation.name": (
        "Organisme",
        "Collectivité",
        "Nom de la collectivité",
        "Structure",
        "Organisation",
    ),
    "organisation.legal_representative_name": (
        "Responsable du traitement",
        "Responsable de traitement",
        "Représentant légal de l'organisme",
        "Controller",
        "Data controller",
    ),
    "organisation.legal_representative_title": ("Qualité du responsable",),
    "organisation.eu_representative": (
        "Représentant",
        "Représentant dans l'UE",
        "Représentant dans l'Union européenne",
        "EU representative",
        "Representative",
    ),
    "organisation.dpo_name": (
        "DPO",
        "DPD",
        "Délégué",
        "Délégué à la protection des données",
        "Délégué à la protection des données (DPO)",
        "Nom du DPO",
        "Data protection officer",
    ),
    "organisation.dpo_organisation": ("Société du DPO", "Organisme du DPO"),
    "organisation.dpo_email": ("Courriel du DPO", "Mél du DPO", "Adresse mél du DPO"),
    "organisation.dpo_phone": ("Téléphone du DPO",),
    "organisation.dpo_address": ("Adresse du DPO",),
    "organisation.dpo_designation_number": ("Numéro de désignation du DPO",),
    "organisation.address": ("Adresse de l'organisme", "Adresse du responsable"),
    "organisation.email": ("Courriel de l'organisme", "Adresse mél de l'organisme"),
    "organisation.phone": ("Téléphone de l'organisme",),
    "organisation.siren": ("SIREN", "N° SIREN"),
    "organisation.kind": ("Type de collectivité",),
}

# --------------------------------------------------------------------------------------------
# Wordings of vocabulary terms (drop-down lists of the CNIL template, registers kept by hand)
# --------------------------------------------------------------------------------------------

TERM_WORDINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "data_subject_categories": {
        "staff": (
            "Salariés",
            "Agents",
            "Personnel",
            "Employés",
            "Fonctionnaires",
            "Services internes",
            "Employees",
            "Staff",
        ),
        "users": ("Clients", "Usagers", "Bénéficiaires", "Customers", "Users"),
        "residents": ("Habitants", "Administrés", "Citoyens", "Residents", "Citizens"),
        "job_applicants": ("Candidats", "Applicants"),
        "suppliers": ("Fournisseurs", "Prestataires", "Suppliers"),
        "minors": ("Enfants", "Mineurs", "Élèves", "Children"),
        "legal_guardians": ("Parents",),
        "voters": ("Électeurs",),
        "elected_officials": ("Élus",),
        "volunteers": ("Bénévoles",),
        "other": ("Prospects", "Autres", "Autres (préciser)", "Other"),
    },
    "recipient_types": {
        "internal_service": ("Service interne", "Services internes"),
        "processors": ("Sous-traitant", "Sous-traitants", "Prestataires"),
        "institutional_partners": ("Partenaires",),
        "other": ("Autre", "Autres", "Autre (préciser)"),
    },
    "security_measures": {
        "user_access_control": ("Contrôle d'accès",),
        "traceability": ("Traçabilité", "Journalisation"),
        "backup": ("Sauvegarde", "Sauvegardes"),
        "encryption": ("Chiffrement",),
        "software_protection": ("Antivirus",),
        "other": ("Autres mesures", "Autre", "Autres"),
    },
    "transfer_safeguards": {
        "scc": ("Clauses contractuelles types", "Clauses contractuelles types (CCT)", "CCT", "SCC"),
        "adequacy": ("Pays adéquat", "Adéquation"),
        "bcr": ("BCR",),
        "code_of_conduct": ("Code de conduite",),
        "certification": ("Certification",),
    },
    "countries": {
        "IQ": ("Iraq",),
        "SZ": ("Swaziland",),
        "MK": ("Macédoine",),
        "CD": ("Rép. dém. du Congo",),
        "CF": ("République Centrafricaine",),
        "SB": ("Salomon",),
        "MH": ("Marshall",),
        "US": ("USA", "Etats-Unis", "États-Unis d'Amérique"),
        "GB": ("UK", "Royaume-Uni"),
    },
    "legal_bases": {
        "6.1.b": ("Contrat",),
        "6.1.e": ("Mission de service public", "Intérêt public", "Mission d'intérêt public"),
        "6.1.f": ("Intérêt légitime", "Intérêts légitimes"),
        "6.1.d": ("Intérêts vitaux",),
        "6.1.c": ("Legal obligation",),
    },
    "final_dispositions": {
        "destruction": ("Élimination",),
        "archives": ("Versement aux archives", "Archivage définitif", "Archives", "Conservation"),
        "sorting": ("Tri",),
    },
    "data_categories": {
        "identity": (
            "État civil",
            "Identité",
            "Nom, prénom",
            "Coordonnées",
            "Photographie",
            "Photo",
        ),
        "personal_life": ("Situation familiale", "Habitudes de vie"),
        "professional_life": ("Situation professionnelle", "CV", "Diplômes", "Formation"),
        "economic_financial": (
            "Données bancaires",
            "Coordonnées bancaires",
            "RIB",
            "Revenus",
            "Situation financière",
            "Situation fiscale",
            "Données financières",
        ),
        "connection": ("Adresse IP", "Logs", "Journaux de connexion"),
        "location": ("Géolocalisation", "Données GPS"),
        "nir": ("Numéro de sécurité sociale", "Numéro de sécurité sociale (NIR)", "NIR"),
        "racial_ethnic_origin": ("Origine raciale", "Origine ethnique"),
        "political_opinions": ("Opinions politiques", "Opinion politique"),
        "religious_beliefs": ("Religion", "Convictions religieuses", "Opinions philosophiques"),
        "trade_union": ("Appartenance syndicale", "Syndicat"),
        "genetic": ("Génétique",),
        "biometric": ("Biométrie", "Données biométriques", "Empreintes digitales"),
        "health": ("Santé", "Données de santé", "Handicap", "Données médicales"),
        "sex_life": ("Orientation sexuelle", "Vie sexuelle"),
        "criminal_offences": (
            "Infractions",
            "Condamnations pénales",
            "Casier judiciaire",
            "Données relatives aux condamnations pénales ou infractions",
        ),
    },
    "retention_unit": {
        "days": ("jour", "jours", "j", "day"),
        "months": ("mois", "month"),
        "years": ("an", "ans", "année", "années", "year"),
        "unlimited": ("illimitée", "illimité", "définitive", "permanent"),
    },
}

# --------------------------------------------------------------------------------------------
# « Nothing here »
# --------------------------------------------------------------------------------------------

# « There is no such item »: a cell saying so is not data (no joint controller called
# « Non applicable », no transfer « Sans objet »). Text may follow (« Non concerné (pas de
# transfert) »); such a cell is still not an item, and its words are kept in the notes.
NO_ITEM_WORDINGS: tuple[str, ...] = (
    "Non applicable",
    "Sans objet",
    "Non concerné",
    "Non concernée",
    "Non concernés",
    "Non concernées",
    "Pas concerné",
    "N/A",
    "NA",
    "N.A.",
    "Néant",
    "Aucun",
    "Aucune",
    "-",
    "--",
    "—",
    "–",
    "/",
    "Not applicable",
    "None",
    "Nil",
    "No",
)

# « Not filled in yet »: the template's prompts and reminders left in a cell.
UNFILLED_WORDINGS: tuple[str, ...] = (
    "A définir",
    "À définir",
    "A compléter",
    "À compléter",
    "A préciser",
    "À préciser",
    "NC",
    "Non communiqué",
    "Inconnu",
    "?",
    "TBD",
    "To be defined",
    "Sélectionnez un élément dans cette liste déroulante ►",
    "Sélectionnez un élément dans cette liste déroulante",
)

# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------


@cache
def target_field(target: str) -> tuple[Entity, Field | None, str | None]:
    """(entity, field, collection key) a target designates.

    ``"name"`` → (ACTIVITY, name field, None); ``"recipients"`` → (recipient entity, None,
    "recipients"); ``"transfers.country"`` → (transfer entity, country field, "transfers");
    ``"organisation.dpo_name"`` → (ORGANISATION, dpo_name field, None). KeyError otherwise.
    """
    if target.startswith(ORGANISATION_PREFIX):
        return ORGANISATION, ORGANISATION.field(target[len(ORGANISATION_PREFIX) :]), None
    collection_key, dot, field_key = target.partition(".")
    if dot:
        entity = ACTIVITY.collection(collection_key).entity
        return entity, entity.field(field_key), collection_key
    if target in ACTIVITY.keys:
        return ACTIVITY, ACTIVITY.field(target), None
    return ACTIVITY.collection(target).entity, None, target


@cache
def targets() -> tuple[str, ...]:
    """Every target, in schema order: activity fields and collections, rows' fields, the
    organisation's fields."""
    found: list[str] = list(ACTIVITY.keys)
    for collection in ACTIVITY.collections:
        found.append(collection.key)
        found += [f"{collection.key}.{spec.key}" for spec in collection.entity.fields]
    found += [ORGANISATION_PREFIX + spec.key for spec in ORGANISATION.fields]
    return tuple(found)


def target_label(target: str, lang: str = "fr") -> str:
    """How a target is named to a person: « Pays (Transferts hors UE) », « Nom du délégué
    (DPO) (organisme) »."""
    entity, spec, collection_key = target_field(target)
    if spec is None:
        return ACTIVITY.collection(target).label(lang)
    if collection_key is not None:
        return f"{spec.label(lang)} ({ACTIVITY.collection(collection_key).label(lang)})"
    if entity is ORGANISATION:
        return f"{spec.label(lang)} ({ORGANISATION.label(lang).lower()})"
    return spec.label(lang)


def titles_of(target: str) -> tuple[str, ...]:
    """Every wording of ``target``: its key, its labels, then the titles declared above."""
    entity, spec, collection_key = target_field(target)
    if spec is None:
        collection = ACTIVITY.collection(target)
        spaced = (target.replace("_", " "),) if "_" in target else ()
        own = (*spaced, collection.label("fr"), collection.label("en"))
    elif collection_key is None and entity is not ORGANISATION:
        own = (spec.key, spec.key.replace("_", " "), spec.label_fr, spec.label_en)
    else:
        own = (target,)  # row and organisation fields: their labels are too generic (« Nom »)
    return own + COLUMN_TITLES.get(target, ())
