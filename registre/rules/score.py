"""The score definition, as shown in ``docs/rules.md`` and applied by ``registre.checker``."""

# Articles of the requirements counted in the scores: the record's items (GDPR Article 30, or
# Article 24 of Directive 2016/680 for law-enforcement processing), the Article 28 contract of
# each processor an activity uses, and a legal ground for each transfer outside the EU.
SCORED_ARTICLES = ("30", "24 (directive 2016/680)", "28", "44", "45")

SCORE_DEFINITION_FR = """\
Le score mesure la part des exigences de l'article 30 **applicables** qui sont **satisfaites** ;
ce n'est pas un décompte de champs remplis.

- Une exigence est une règle marquée « compte dans le score » : les mentions de l'article 30.1 a)
  à g) et 30.2 a) à d) (pour un traitement police-justice, celles de l'article 24 de la
  directive 2016/680), le contrat conforme à l'article 28 de chaque sous-traitant auquel le
  traitement confie des données et le fondement de chaque transfert hors de l'Union (décision
  d'adéquation qui couvre le destinataire ou garantie, RGPD 44 à 46). Elle est **applicable**
  à un traitement quand elle vise son rôle (responsable ou sous-traitant) et que sa condition
  est remplie : par exemple « transferts décrits » ne s'applique que si la fiche annonce des
  transferts, « documentation des intérêts légitimes impérieux » que si un transfert repose sur
  le second alinéa de l'article 49.1, « durée par catégorie » que si des catégories de données
  sont déclarées.
  Elle est **satisfaite** quand la règle ne relève aucun point sur ce traitement (sur aucune de
  ses lignes).
- Les mentions de l'organisme (nom et coordonnées, délégué : 30.1.a et 30.2.a) font partie de la
  fiche de chaque traitement : elles comptent dans le score de chaque traitement.
- **Score d'un traitement** = (exigences du traitement satisfaites + exigences de l'organisme
  satisfaites) ÷ (exigences du traitement applicables + exigences de l'organisme applicables).
- **Score d'un organisme** = moyenne des scores de ses traitements ; sans traitement, part des
  exigences de l'organisme satisfaites.
- Les avertissements de cohérence et les conseils ne comptent pas dans le score ; 100 % est
  atteint quand aucune règle comptée ne relève de point. Les pourcentages affichés sont
  arrondis à l'entier inférieur : 100 % signifie que tout est satisfait.
"""

SCORE_DEFINITION_EN = """\
The score is the share of the **applicable** Article 30 requirements that are **met**; it is not
a count of filled fields.

- A requirement is a rule marked "counts for the score": the items of Article 30(1)(a)–(g) and
  30(2)(a)–(d) (for law-enforcement processing, those of Article 24 of Directive 2016/680), the
  Article 28 contract of each processor the activity entrusts data to, and the legal ground of
  each transfer outside the Union (an adequacy decision covering the recipient, or a safeguard,
  GDPR 44 to 46). It is **applicable**
  to an activity when it targets the activity's role (controller or processor) and its
  condition holds: for example "transfers described" applies only when the record announces
  transfers, "compelling legitimate interests documented" only when a transfer relies on the
  second subparagraph of Article 49(1), "period per category" only when data categories are
  declared. It is **met**
  when the rule finds nothing on that activity (on none of its rows).
- The organisation's items (name and contact details, DPO: 30.1.a and 30.2.a) are part of every
  activity's record: they count in the score of every activity.
- **Activity score** = (activity requirements met + organisation requirements met) ÷ (activity
  requirements applicable + organisation requirements applicable).
- **Organisation score** = mean of its activities' scores; with no activity, the share of the
  organisation requirements met.
- Consistency warnings and advice do not count; 100 % is reached when no counted rule finds
  anything. Percentages are rounded down: 100 % means everything is met.
"""
