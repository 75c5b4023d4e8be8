<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
<context>
    <name>ActivityDetailView</name>
    <message>
        <source>Fiche du traitement</source>
        <translation>Processing activity record</translation>
    </message>
    <message>
        <source>Sélectionnez un traitement pour afficher sa fiche.</source>
        <translation>Select a processing activity to show its record.</translation>
    </message>
    <message>
        <source>— à compléter</source>
        <translation>— to be completed</translation>
    </message>
    <message>
        <source>Exigé par l&apos;article 30 et non renseigné.</source>
        <translation>Required by Article 30 and not filled in.</translation>
    </message>
</context>
<context>
    <name>ActivityStatesModel</name>
    <message>
        <source>Complet, validé par le DPO</source>
        <translation>Complete, validated by the DPO</translation>
    </message>
    <message>
        <source>Complet</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>À compléter (1 point)</source>
        <translation>To complete (1 item)</translation>
    </message>
    <message>
        <source>À compléter ({count} points)</source>
        <translation>To complete ({count} items)</translation>
    </message>
    <message>
        <source>État</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>ActivityTableModel</name>
    <message>
        <source>Complétude</source>
        <translation>Completeness</translation>
    </message>
    <message>
        <source>Part des exigences de l&apos;article 30 que la fiche remplit (calculée par le contrôle du registre)</source>
        <translation>Share of the Article 30 requirements the record meets (computed by the register check)</translation>
    </message>
    <message>
        <source>Contrôle en cours</source>
        <translation>Check in progress</translation>
    </message>
    <message>
        <source>{met} exigence remplie sur {applicable}</source>
        <translation>{met} requirement met out of {applicable}</translation>
    </message>
    <message>
        <source>{met} exigences remplies sur {applicable}</source>
        <translation>{met} of {applicable} requirements met</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Qui</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>Compte</source>
        <translation>User account</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Élément</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Champs modifiés</source>
        <translation>Fields changed</translation>
    </message>
    <message>
        <source>Avant</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>Valeur avant la modification</source>
        <translation>Value before the change</translation>
    </message>
    <message>
        <source>Après</source>
        <translation>After</translation>
    </message>
    <message>
        <source>Valeur après la modification</source>
        <translation>Value after the change</translation>
    </message>
    <message>
        <source>Création</source>
        <translation>Creation</translation>
    </message>
    <message>
        <source>Modification</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Suppression</source>
        <translation>Deletion</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>1 ligne</source>
        <translation>1 row</translation>
    </message>
    <message>
        <source>{count} lignes</source>
        <translation>{count} rows</translation>
    </message>
    <message>
        <source>Export {format}</source>
        <translation>{format} export</translation>
    </message>
    <message>
        <source>Certificat de signature des exports</source>
        <translation>Signing certificate of the exports</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Restaurer une sauvegarde</source>
        <translation>Restore a backup</translation>
    </message>
    <message>
        <source>La sauvegarde choisie est vérifiée avec la phrase de passe saisie avant de remplacer le registre endommagé. Les modifications faites depuis sont perdues.</source>
        <translation>The chosen backup is verified with the passphrase typed before it replaces the damaged register. The changes made since are lost.</translation>
    </message>
    <message>
        <source>Sauvegardes du registre</source>
        <translation>The register&apos;s backups</translation>
    </message>
    <message>
        <source>automatique</source>
        <translation>automatic</translation>
    </message>
    <message>
        <source>&amp;Sauvegardes (la plus récente en premier) :</source>
        <translation>&amp;Backups (the latest first):</translation>
    </message>
    <message>
        <source>&amp;Restaurer</source>
        <translation>&amp;Restore</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>BringBackDialog</name>
    <message>
        <source>Rapporter une visite</source>
        <translation>Bring a visit back</translation>
    </message>
    <message>
        <source>Choisissez le registre emporté. Ce que vous y avez changé rejoint le registre d&apos;équipe champ par champ ; un champ changé aussi au bureau depuis votre départ vous est montré avant que quoi que ce soit soit écrit.</source>
        <translation>Choose the register taken out. What you changed in it joins the team register field by field; a field also changed at the office since you left is shown to you before anything is written.</translation>
    </message>
    <message>
        <source>Registre emporté</source>
        <translation>Register taken out</translation>
    </message>
    <message>
        <source>&amp;Choisir…</source>
        <translation>&amp;Choose…</translation>
    </message>
    <message>
        <source>Phrase de passe du registre emporté</source>
        <translation>Passphrase of the register taken out</translation>
    </message>
    <message>
        <source>&amp;Registre :</source>
        <translation>&amp;Register:</translation>
    </message>
    <message>
        <source>&amp;Phrase de passe :</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>&amp;Rapporter</source>
        <translation>&amp;Bring back</translation>
    </message>
    <message>
        <source>Garder les valeurs du serveur</source>
        <translation>Keep the server&apos;s values</translation>
    </message>
    <message>
        <source>Remplacer par les miennes</source>
        <translation>Replace them with mine</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Choisissez le registre emporté et saisissez sa phrase de passe.</source>
        <translation>Choose the register taken out and type its passphrase.</translation>
    </message>
    <message>
        <source>Rapport en cours…</source>
        <translation>Bringing back…</translation>
    </message>
    <message>
        <source>Rapporté : {created} création(s), {updated} modification(s), {deleted} suppression(s) ; {carried} entrée(s) du journal de la visite reportée(s).</source>
        <translation>Brought back: {created} creation(s), {updated} change(s), {deleted} deletion(s); {carried} audit entries of the visit carried over.</translation>
    </message>
    <message>
        <source>Ces champs ont aussi été modifiés au bureau depuis votre départ : rien n&apos;a été rapporté. Gardez les valeurs du serveur, ou remplacez-les par les vôtres en connaissance de cause.</source>
        <translation>These fields were also changed at the office since you left: nothing was brought back. Keep the server&apos;s values, or replace them with yours, knowingly.</translation>
    </message>
</context>
<context>
    <name>BulkEdit</name>
    <message>
        <source>Modifier un champ sur plusieurs traitements</source>
        <translation>Change one field on several activities</translation>
    </message>
    <message>
        <source>Tous les organismes</source>
        <translation>All organisations</translation>
    </message>
    <message>
        <source>Filtrer les traitements…</source>
        <translation>Filter activities…</translation>
    </message>
    <message>
        <source>Cocher tous ceux affichés</source>
        <translation>Tick all those shown</translation>
    </message>
    <message>
        <source>Traitements à modifier</source>
        <translation>Activities to change</translation>
    </message>
    <message>
        <source>Champ à modifier</source>
        <translation>Field to change</translation>
    </message>
    <message>
        <source>Champ :</source>
        <translation>Field:</translation>
    </message>
    <message>
        <source>Nouvelle valeur :</source>
        <translation>New value:</translation>
    </message>
    <message>
        <source>Référence</source>
        <translation>Reference</translation>
    </message>
    <message>
        <source>Traitement</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>Valeur actuelle</source>
        <translation>Current value</translation>
    </message>
    <message>
        <source>Après la modification</source>
        <translation>After the change</translation>
    </message>
    <message>
        <source>Aperçu des modifications</source>
        <translation>Preview of the changes</translation>
    </message>
    <message>
        <source>Aperçu :</source>
        <translation>Preview:</translation>
    </message>
    <message>
        <source>Appliquer</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>{} traitement(s) coché(s)</source>
        <translation>{} activity(ies) ticked</translation>
    </message>
    <message>
        <source>Un traitement coché n&apos;existe plus : la liste a été relue, vérifiez les cases cochées.</source>
        <translation>A ticked activity no longer exists: the list was read again, check the ticked boxes.</translation>
    </message>
    <message>
        <source>(inchangé)</source>
        <translation>(unchanged)</translation>
    </message>
    <message>
        <source>{} traitement(s) changeront sur {} coché(s). Une seule action « Annuler » défait toute la modification.</source>
        <translation>{} activity(ies) will change out of {} ticked. A single “Undo” reverts the whole change.</translation>
    </message>
    <message>
        <source>{} traitement(s) modifié(s). « Annuler » (Ctrl+Z) dans la fenêtre du registre défait toute la modification.</source>
        <translation>{} activity(ies) changed. “Undo” (Ctrl+Z) in the register window reverts the whole change.</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <source>Changer la phrase de passe</source>
        <translation>Change passphrase</translation>
    </message>
    <message>
        <source>Phrase de passe &amp;actuelle :</source>
        <translation>&amp;Current passphrase:</translation>
    </message>
    <message>
        <source>Phrase de passe actuelle</source>
        <translation>Current passphrase</translation>
    </message>
    <message>
        <source>&amp;Nouvelle phrase de passe :</source>
        <translation>&amp;New passphrase:</translation>
    </message>
    <message>
        <source>Nouvelle phrase de passe</source>
        <translation>New passphrase</translation>
    </message>
    <message>
        <source>&amp;Confirmation :</source>
        <translation>Con&amp;firmation:</translation>
    </message>
    <message>
        <source>Confirmation de la nouvelle phrase de passe</source>
        <translation>Confirmation of the new passphrase</translation>
    </message>
    <message>
        <source>Changement en cours</source>
        <translation>Change under way</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>C&amp;hanger la phrase de passe</source>
        <translation>C&amp;hange passphrase</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>La nouvelle phrase de passe remplace l&apos;actuelle : une fois le changement fait, seule la nouvelle ouvre ce registre. Le registre est rechiffré sous une nouvelle clé, ce qui prend quelques secondes ; s&apos;il est interrompu (disque plein…), rien n&apos;est perdu.</source>
        <translation>The new passphrase replaces the current one: once the change is made, only the new one opens this register. The register is re-encrypted under a new key, which takes a few seconds; if it is interrupted (full disk…), nothing is lost.</translation>
    </message>
    <message>
        <source>Votre clé de secours reste valable.</source>
        <translation>Your recovery key remains valid.</translation>
    </message>
    <message>
        <source>La clé de secours de ce registre est d&apos;un format ancien : elle ne vaudra plus, et une nouvelle clé de secours vous sera montrée une seule fois, à noter.</source>
        <translation>This register&apos;s recovery key is of an old format: it will no longer work, and a new recovery key will be shown to you once, to be written down.</translation>
    </message>
    <message>
        <source>Les sauvegardes faites avant le changement gardent l&apos;ancienne phrase de passe : pour restaurer l&apos;une d&apos;elles, c&apos;est l&apos;ancienne qu&apos;il faudra saisir.</source>
        <translation>Backups taken before the change keep the old passphrase: to restore one of them, type the old one.</translation>
    </message>
    <message>
        <source>Saisissez la phrase de passe actuelle.</source>
        <translation>Type the current passphrase.</translation>
    </message>
    <message>
        <source>La nouvelle phrase de passe est la même que l&apos;actuelle.</source>
        <translation>The new passphrase is the same as the current one.</translation>
    </message>
    <message>
        <source>Vérification de la phrase de passe actuelle…</source>
        <translation>Checking the current passphrase…</translation>
    </message>
    <message>
        <source>La phrase de passe actuelle est incorrecte. Rien n&apos;a été changé.</source>
        <translation>The current passphrase is wrong. Nothing was changed.</translation>
    </message>
    <message>
        <source>Le registre est occupé (un export est en cours) ou verrouillé. Rien n&apos;a été changé : réessayez dans un instant.</source>
        <translation>The register is busy (an export is under way) or locked. Nothing was changed: try again in a moment.</translation>
    </message>
    <message>
        <source>Rechiffrement du registre sous la nouvelle phrase de passe…</source>
        <translation>Re-encrypting the register under the new passphrase…</translation>
    </message>
    <message>
        <source>Le registre n&apos;a pas pu être rouvert : fermez cette fenêtre, puis choisissez « Déverrouiller… » et essayez l&apos;ancienne phrase de passe, puis la nouvelle.</source>
        <translation>The register could not be reopened: close this window, then choose “Unlock…” and try the old passphrase, then the new one.</translation>
    </message>
    <message>
        <source>Le changement est enregistré : désormais, c&apos;est la nouvelle phrase de passe qui ouvre ce registre.</source>
        <translation>The change is recorded: from now on, the new passphrase is the one that opens this register.</translation>
    </message>
    <message>
        <source>La phrase de passe n&apos;a pas été changée : l&apos;actuelle ouvre toujours le registre, dont rien n&apos;est perdu.</source>
        <translation>The passphrase was not changed: the current one still opens the register, and nothing in it is lost.</translation>
    </message>
    <message>
        <source>Le registre a été rechiffré sous une nouvelle clé. Utilisez désormais la nouvelle phrase de passe pour l&apos;ouvrir.</source>
        <translation>The register was re-encrypted under a new key. From now on, use the new passphrase to open it.</translation>
    </message>
    <message>
        <source>L&apos;ancienne clé de secours ne vaut plus : notez la nouvelle, montrée ici.</source>
        <translation>The old recovery key no longer works: write down the new one, shown here.</translation>
    </message>
    <message>
        <source>Phrase de passe changée</source>
        <translation>Passphrase changed</translation>
    </message>
    <message>
        <source>La phrase de passe du registre « {name} » est changée.</source>
        <translation>The passphrase of register “{name}” has been changed.</translation>
    </message>
</context>
<context>
    <name>CollectionEditor</name>
    <message>
        <source>Ajouter une ligne</source>
        <translation>Add a row</translation>
    </message>
    <message>
        <source>Ajouter une ligne à « {collection} »</source>
        <translation>Add a row to “{collection}”</translation>
    </message>
    <message>
        <source>Supprimer la ligne</source>
        <translation>Remove the row</translation>
    </message>
    <message>
        <source>Supprimer la ligne choisie de « {collection} »</source>
        <translation>Remove the selected row from “{collection}”</translation>
    </message>
    <message>
        <source>Aucune ligne — à compléter (exigé par l&apos;article 30).</source>
        <translation>No row — to be completed (required by Article 30).</translation>
    </message>
    <message>
        <source>Aucune ligne.</source>
        <translation>No row.</translation>
    </message>
    <message>
        <source>Valeur refusée</source>
        <translation>Value refused</translation>
    </message>
    <message>
        <source>{message} La ligne n&apos;a pas été modifiée.</source>
        <translation>{message} The row was not changed.</translation>
    </message>
</context>
<context>
    <name>ColumnChoice</name>
    <message>
        <source>Garder en note</source>
        <translation>Keep as a note</translation>
    </message>
    <message>
        <source>Ignorer</source>
        <translation>Ignore</translation>
    </message>
    <message>
        <source>Champ du registre pour la colonne « {column} »</source>
        <translation>Register field for column “{column}”</translation>
    </message>
</context>
<context>
    <name>CommunicableOptionsDialog</name>
    <message>
        <source>Version communicable</source>
        <translation>Communicable version</translation>
    </message>
    <message>
        <source>La version communicable est celle que l&apos;on remet à toute personne qui la demande (droit d&apos;accès aux documents administratifs, CADA) ou que l&apos;on publie sur le site de la commune. Les noms et coordonnées des agents y sont toujours masqués. Choisissez ce qu&apos;elle montre en plus :</source>
        <translation>The communicable version is the one given to anyone who asks for it (right of access to administrative documents, CADA) or published on the commune&apos;s website. The names and contact details of staff are always masked in it. Choose what else it shows:</translation>
    </message>
    <message>
        <source>Joindre le rapport de complétude</source>
        <translation>Include the completeness report</translation>
    </message>
    <message>
        <source>Le rapport liste ce qui manque encore dans le registre. C&apos;est un document de travail du délégué : il n&apos;est pas joint, sauf si vous le souhaitez.</source>
        <translation>The report lists what is still missing from the register. It is the DPO&apos;s working document: it is not included unless you want it.</translation>
    </message>
    <message>
        <source>Masquer les mesures de sécurité</source>
        <translation>Mask the security measures</translation>
    </message>
    <message>
        <source>Décrire précisément comment les données sont protégées peut aider quelqu&apos;un à s&apos;y attaquer. La loi permet de ne pas les communiquer (article L311-5 du code des relations entre le public et l&apos;administration).</source>
        <translation>Describing precisely how the data are protected can help someone attack them. The law allows them not to be communicated (article L311-5 of the French code of relations between the public and the administration).</translation>
    </message>
    <message>
        <source>Masquer aussi le nom du maire (représentant légal)</source>
        <translation>Also mask the mayor&apos;s name (legal representative)</translation>
    </message>
    <message>
        <source>Le nom d&apos;un élu qui agit en cette qualité est public : il reste visible, sauf si vous cochez cette case.</source>
        <translation>The name of an elected official acting in that capacity is public: it stays visible unless you tick this box.</translation>
    </message>
    <message>
        <source>&amp;Exporter</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CompanionTab</name>
    <message>
        <source>Les éléments marqués d&apos;un astérisque (*) sont exigés par le RGPD (art. {article}). Chaque modification est enregistrée dès que vous quittez le champ.</source>
        <translation>Items marked with an asterisk (*) are required by the GDPR (Art. {article}). Each change is saved as soon as you leave the field.</translation>
    </message>
    <message>
        <source>Violations</source>
        <translation>Breaches</translation>
    </message>
    <message>
        <source>Nouvelle violation de données</source>
        <translation>New personal data breach</translation>
    </message>
    <message>
        <source>Supprimer la violation « {name} » du registre des violations ? Vous pourrez l&apos;annuler (Ctrl+Z).</source>
        <translation>Delete the breach “{name}” from the breach register? You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Rechercher une violation</source>
        <translation>Search for a breach</translation>
    </message>
    <message>
        <source>Nouvelle violation</source>
        <translation>New breach</translation>
    </message>
    <message>
        <source>Supprimer la violation…</source>
        <translation>Delete the breach…</translation>
    </message>
    <message>
        <source>{count} violation(s) sans notification ni décision :</source>
        <translation>{count} breach(es) neither notified nor decided on:</translation>
    </message>
    <message>
        <source>Demandes de droits</source>
        <translation>Rights requests</translation>
    </message>
    <message>
        <source>Nouveau demandeur</source>
        <translation>New requester</translation>
    </message>
    <message>
        <source>Supprimer la demande de « {name} » ? Vous pourrez l&apos;annuler (Ctrl+Z).</source>
        <translation>Delete the request of “{name}”? You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Rechercher une demande</source>
        <translation>Search for a request</translation>
    </message>
    <message>
        <source>Nouvelle demande</source>
        <translation>New request</translation>
    </message>
    <message>
        <source>Supprimer la demande…</source>
        <translation>Delete the request…</translation>
    </message>
    <message>
        <source>{count} demande(s) en retard :</source>
        <translation>{count} overdue request(s):</translation>
    </message>
    <message>
        <source>Analyses d&apos;impact</source>
        <translation>Impact assessments</translation>
    </message>
    <message>
        <source>Nouvelle analyse d&apos;impact</source>
        <translation>New impact assessment</translation>
    </message>
    <message>
        <source>Supprimer l&apos;analyse d&apos;impact « {name} » ? Vous pourrez l&apos;annuler (Ctrl+Z).</source>
        <translation>Delete the impact assessment “{name}”? You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Rechercher une analyse d&apos;impact</source>
        <translation>Search for an impact assessment</translation>
    </message>
    <message>
        <source>Supprimer l&apos;analyse…</source>
        <translation>Delete the assessment…</translation>
    </message>
    <message>
        <source>{count} analyse(s) d&apos;impact à terminer ou à revoir :</source>
        <translation>{count} impact assessment(s) to complete or review:</translation>
    </message>
    <message>
        <source>Contrats (art. 28)</source>
        <translation>Contracts (Art. 28)</translation>
    </message>
    <message>
        <source>Nouveau contrat de sous-traitance</source>
        <translation>New processor contract</translation>
    </message>
    <message>
        <source>Supprimer le contrat « {name} » ? Vous pourrez l&apos;annuler (Ctrl+Z).</source>
        <translation>Delete the contract “{name}”? You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Rechercher un contrat</source>
        <translation>Search for a contract</translation>
    </message>
    <message>
        <source>Nouveau contrat</source>
        <translation>New contract</translation>
    </message>
    <message>
        <source>Supprimer le contrat…</source>
        <translation>Delete the contract…</translation>
    </message>
    <message>
        <source>{count} contrat(s) incomplet(s) ou échu(s) :</source>
        <translation>{count} incomplete or expired contract(s):</translation>
    </message>
    <message>
        <source>Délai / état</source>
        <translation>Time limit / state</translation>
    </message>
    <message>
        <source>Ce qui reste à faire et dans quel délai ; en rouge, ce qui demande votre attention.</source>
        <translation>What remains to be done and by when; in red, what needs your attention.</translation>
    </message>
    <message>
        <source>À surveiller</source>
        <translation>To watch</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Modification simultanée</source>
        <translation>Simultaneous change</translation>
    </message>
    <message>
        <source>« {record} » a été modifié par {by} pendant votre saisie : rien n&apos;a été enregistré. Pour chaque champ, gardez sa valeur, ou choisissez la vôtre pour remplacer la sienne.</source>
        <translation>“{record}” was changed by {by} while you were editing it: nothing was saved. For each field, keep their value, or choose yours to replace theirs.</translation>
    </message>
    <message>
        <source>Champ</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Avant</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>Valeur de {by}</source>
        <translation>Value of {by}</translation>
    </message>
    <message>
        <source>Votre valeur</source>
        <translation>Your value</translation>
    </message>
    <message>
        <source>Garder la valeur enregistrée par {by}</source>
        <translation>Keep the value saved by {by}</translation>
    </message>
    <message>
        <source>Remplacer sa valeur par la vôtre</source>
        <translation>Replace their value with yours</translation>
    </message>
    <message>
        <source>Garder ses valeurs</source>
        <translation>Keep their values</translation>
    </message>
    <message>
        <source>Rien n&apos;est enregistré : la fiche montre ses valeurs.</source>
        <translation>Nothing is saved: the form shows their values.</translation>
    </message>
    <message>
        <source>Enregistrer mon choix</source>
        <translation>Save my choice</translation>
    </message>
</context>
<context>
    <name>ControlPage</name>
    <message>
        <source>Complétude de l&apos;organisme</source>
        <translation>Organisation&apos;s completeness</translation>
    </message>
    <message>
        <source>Complétude du registre de l&apos;organisme : moyenne des fiches de traitement.</source>
        <translation>Completeness of the organisation&apos;s record: mean of its processing activity records.</translation>
    </message>
    <message>
        <source>Constats par gravité</source>
        <translation>Findings by severity</translation>
    </message>
    <message>
        <source>Violations et demandes de droits</source>
        <translation>Breaches and rights requests</translation>
    </message>
    <message>
        <source>Lacunes les plus fréquentes</source>
        <translation>Most frequent gaps</translation>
    </message>
    <message>
        <source>Complétude des organismes du registre</source>
        <translation>Completeness of the register&apos;s organisations</translation>
    </message>
    <message>
        <source>Contrôle en cours…</source>
        <translation>Check in progress…</translation>
    </message>
    <message>
        <source>Rechercher…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <source>Rechercher un constat</source>
        <translation>Search a finding</translation>
    </message>
    <message>
        <source>Toutes</source>
        <translation>All</translation>
    </message>
    <message>
        <source>&amp;Gravité :</source>
        <translation>&amp;Severity:</translation>
    </message>
    <message>
        <source>A&amp;rticle :</source>
        <translation>A&amp;rticle:</translation>
    </message>
    <message>
        <source>Cet organisme seulement</source>
        <translation>This organisation only</translation>
    </message>
    <message>
        <source>Constats du contrôle</source>
        <translation>Findings of the check</translation>
    </message>
    <message>
        <source>Double-cliquez sur un constat (ou appuyez sur Entrée) pour ouvrir la fiche sur le champ à compléter.</source>
        <translation>Double-click a finding (or press Enter) to open the record at the field to complete.</translation>
    </message>
    <message>
        <source>Violations : {open} en cours, {to_notify} à notifier ou décider (72 h) · Demandes de droits : {requests} en cours, {late} en retard</source>
        <translation>Breaches: {open} open, {to_notify} to notify or decide on (72 h) · Rights requests: {requests} open, {late} overdue</translation>
    </message>
    <message>
        <source> · Analyses d&apos;impact : {count} à revoir (revue dépassée)</source>
        <translation> · Impact assessments: {count} to review (review date passed)</translation>
    </message>
    <message>
        <source>{name} ({to_notify} à notifier, {late} en retard)</source>
        <translation>{name} ({to_notify} to notify, {late} overdue)</translation>
    </message>
    <message>
        <source>Autres organismes : {list}</source>
        <translation>Other organisations: {list}</translation>
    </message>
    <message>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Aucun constat affiché</source>
        <translation>No finding shown</translation>
    </message>
    <message>
        <source>1 constat affiché</source>
        <translation>1 finding shown</translation>
    </message>
    <message>
        <source>{count} constats affichés</source>
        <translation>{count} findings shown</translation>
    </message>
    <message>
        <source>Constats : {counts}.</source>
        <translation>Findings: {counts}.</translation>
    </message>
    <message>
        <source>Aucune lacune : bravo !</source>
        <translation>No gap: well done!</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Erreur inattendue</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Registre a rencontré une erreur inattendue. Les modifications déjà enregistrées sont conservées.</source>
        <translation>Registre ran into an unexpected error. The changes already saved are kept.</translation>
    </message>
    <message>
        <source>Les détails n&apos;ont pas pu être enregistrés.</source>
        <translation>The details could not be saved.</translation>
    </message>
    <message>
        <source>Les détails techniques ont été enregistrés dans le fichier « {file} ». Transmettez-le à l&apos;équipe de Registre pour qu&apos;elle corrige le problème.</source>
        <translation>The technical details were saved in the file “{file}”. Send it to the Registre team so that they can fix the problem.</translation>
    </message>
</context>
<context>
    <name>DeclarationWizard</name>
    <message>
        <source>Enregistrer la fiche en PDF</source>
        <translation>Save the record as PDF</translation>
    </message>
    <message>
        <source>Fichiers PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>La fiche « {name} » est enregistrée dans {file}. Elle s&apos;ouvre dans votre lecteur de PDF : imprimez-la ou envoyez-la au DPO.</source>
        <translation>The record “{name}” is saved in {file}. It opens in your PDF reader: print it or send it to the DPO.</translation>
    </message>
    <message>
        <source>Déclarer un traitement — {organisation}</source>
        <translation>Declare a processing activity — {organisation}</translation>
    </message>
    <message>
        <source>&lt; &amp;Précédent</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>&amp;Suivant &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Le traitement « {name} » est enregistré sous la référence {reference}. Il reste un brouillon jusqu&apos;à sa validation par le DPO.</source>
        <translation>The processing activity “{name}” is saved under the reference {reference}. It stays a draft until the DPO validates it.</translation>
    </message>
    <message>
        <source>Édition › Annuler (Ctrl+Z) le retire du registre.</source>
        <translation>Edit › Undo (Ctrl+Z) removes it from the register.</translation>
    </message>
    <message>
        <source>Ce traitement existe déjà</source>
        <translation>This processing activity already exists</translation>
    </message>
    <message>
        <source>Le registre contient déjà un traitement « {name} »{reference}. En créer un second du même nom ?</source>
        <translation>The register already holds a processing activity “{name}”{reference}. Create a second one with the same name?</translation>
    </message>
    <message>
        <source>Pour compléter celui qui existe, revenez en arrière et changez le nom.</source>
        <translation>To complete the existing one, go back and change the name.</translation>
    </message>
    <message>
        <source>&amp;Créer quand même</source>
        <translation>&amp;Create anyway</translation>
    </message>
    <message>
        <source>&amp;Revenir</source>
        <translation>&amp;Go back</translation>
    </message>
    <message>
        <source>Abandonner la déclaration ?</source>
        <translation>Abandon the declaration?</translation>
    </message>
    <message>
        <source>Vos réponses ne seront pas enregistrées. Abandonner la déclaration ?</source>
        <translation>Your answers will not be saved. Abandon the declaration?</translation>
    </message>
</context>
<context>
    <name>ExchangeSend</name>
    <message>
        <source>Envoyer mes déclarations au DPO</source>
        <translation>Send my declarations to the DPO</translation>
    </message>
    <message>
        <source>Envoyer ses fiches validées à la commune</source>
        <translation>Send the commune its validated records</translation>
    </message>
    <message>
        <source>Les fiches cochées et les points « à voir avec le DPO » partent dans un fichier chiffré. Envoyez le fichier au DPO (courriel, clé USB) et donnez-lui la phrase de passe par un autre moyen : téléphone ou papier, jamais avec le fichier.</source>
        <translation>The ticked records and the points “to check with the DPO” go into an encrypted file. Send the file to the DPO (e-mail, USB stick) and give them the passphrase by another channel: phone or paper, never with the file.</translation>
    </message>
    <message>
        <source>Les fiches validées cochées de « {} » partent dans un fichier chiffré pour la commune. Donnez la phrase de passe par un autre moyen que le fichier.</source>
        <translation>The ticked validated records of “{}” go into an encrypted file for the commune. Give the passphrase by another channel than the file.</translation>
    </message>
    <message>
        <source>Fiches à envoyer</source>
        <translation>Records to send</translation>
    </message>
    <message>
        <source>Fichier .registre-fiche</source>
        <translation>.registre-fiche file</translation>
    </message>
    <message>
        <source>Choisir…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Phrase de passe, une seconde fois</source>
        <translation>Passphrase, a second time</translation>
    </message>
    <message>
        <source>Fichier :</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>Phrase de passe convenue :</source>
        <translation>Agreed passphrase:</translation>
    </message>
    <message>
        <source>La même, une seconde fois :</source>
        <translation>The same, a second time:</translation>
    </message>
    <message>
        <source>Enregistrer le fichier</source>
        <translation>Save the file</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>{} point(s) à voir</source>
        <translation>{} point(s) to check</translation>
    </message>
    <message>
        <source>Enregistrer la fiche d&apos;échange</source>
        <translation>Save the exchange file</translation>
    </message>
    <message>
        <source>Fiches d&apos;échange (*.registre-fiche)</source>
        <translation>Exchange files (*.registre-fiche)</translation>
    </message>
    <message>
        <source>Cochez au moins une fiche.</source>
        <translation>Tick at least one record.</translation>
    </message>
    <message>
        <source>{} fiche(s) enregistrée(s) dans {}. Donnez la phrase de passe par téléphone ou sur papier, jamais avec le fichier.</source>
        <translation>{} record(s) saved in {}. Give the passphrase by phone or on paper, never with the file.</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>Registre &amp;complet (PDF)…</source>
        <translation>&amp;Full register (PDF)…</translation>
    </message>
    <message>
        <source>Extrait de l&apos;&amp;article 30 (PDF)…</source>
        <translation>&amp;Article 30 extract (PDF)…</translation>
    </message>
    <message>
        <source>Version co&amp;mmunicable (PDF)…</source>
        <translation>&amp;Communicable version (PDF)…</translation>
    </message>
    <message>
        <source>&amp;JSON complet (sauvegarde d&apos;échange)…</source>
        <translation>Complete &amp;JSON (interchange)…</translation>
    </message>
    <message>
        <source>&amp;CSV…</source>
        <translation>C&amp;SV…</translation>
    </message>
    <message>
        <source>Classeur &amp;XLSX (modèle CNIL)…</source>
        <translation>&amp;XLSX workbook (CNIL template)…</translation>
    </message>
    <message>
        <source>Classeur &amp;ODS (modèle CNIL)…</source>
        <translation>&amp;ODS workbook (CNIL template)…</translation>
    </message>
    <message>
        <source>&amp;DPV (JSON-LD, W3C)…</source>
        <translation>&amp;DPV (JSON-LD, W3C)…</translation>
    </message>
    <message>
        <source>Export de « {file} »…</source>
        <translation>Exporting “{file}”…</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Avancement de l&apos;export</source>
        <translation>Export progress</translation>
    </message>
    <message>
        <source>Annulation…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>FichePdf</name>
    <message>
        <source>Enregistrer la fiche en PDF</source>
        <translation>Save the record as PDF</translation>
    </message>
    <message>
        <source>Fichiers PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>Fiche enregistrée : {}</source>
        <translation>Record saved: {}</translation>
    </message>
</context>
<context>
    <name>FieldInput</name>
    <message>
        <source>Non renseigné</source>
        <translation>Not filled in</translation>
    </message>
    <message>
        <source>Sans réponse</source>
        <translation>No answer</translation>
    </message>
    <message>
        <source>Oui</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Non</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Effacer la date</source>
        <translation>Clear the date</translation>
    </message>
    <message>
        <source>Effacer « {field} »</source>
        <translation>Clear “{field}”</translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <source>Gravité</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Article</translation>
    </message>
    <message>
        <source>Article du RGPD concerné</source>
        <translation>GDPR article concerned</translation>
    </message>
    <message>
        <source>Élément</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Constat</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>Champ</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Ce qu&apos;il faut compléter ou corriger</source>
        <translation>What to complete or correct</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>Complétez la fiche de l&apos;organisme (Édition › Fiche de l&apos;organisme, Ctrl+Maj+O) : nom, adresse, représentant légal et délégué à la protection des données.</source>
        <translation>Complete the organisation&apos;s record (Edit › Organisation record, Ctrl+Shift+O): name, address, legal representative and data protection officer.</translation>
    </message>
    <message>
        <source>Ajoutez les traitements : « Déclarer un traitement » (Ctrl+Maj+N) pose une question par page à partir d&apos;un modèle ; « Nouveau traitement » (Ctrl+N) ouvre une fiche vide.</source>
        <translation>Add the processing activities: “Declare a processing activity” (Ctrl+Shift+N) asks one question per page, starting from a template; “New processing activity” (Ctrl+N) opens an empty record.</translation>
    </message>
    <message>
        <source>Décrivez les logiciels et les sous-traitants dans leurs onglets : les traitements y renvoient.</source>
        <translation>Describe the software and the processors in their tabs: the processing activities refer to them.</translation>
    </message>
    <message>
        <source>Ouvrez l&apos;onglet « Contrôle » : chaque constat ouvre la fiche sur le champ à compléter (double-clic ou Entrée).</source>
        <translation>Open the “Check” tab: each finding opens the record on the field to complete (double-click or Enter).</translation>
    </message>
    <message>
        <source>Exportez le registre en PDF (Ctrl+E) : il est daté, signé et son empreinte est inscrite dans l&apos;historique.</source>
        <translation>Export the register as PDF (Ctrl+E): it is dated, signed and its fingerprint is written in the history.</translation>
    </message>
    <message>
        <source>Chaque modification est enregistrée dès que vous quittez le champ ; Ctrl+Z l&apos;annule, Ctrl+Maj+Z la rétablit. Regarder une fiche ne la modifie jamais.</source>
        <translation>Each change is saved as soon as you leave the field; Ctrl+Z undoes it, Ctrl+Shift+Z redoes it. Looking at a record never changes it.</translation>
    </message>
    <message>
        <source>Le registre est chiffré. Ctrl+L le verrouille ; il se verrouille seul après quelques minutes sans activité (Préférences).</source>
        <translation>The register is encrypted. Ctrl+L locks it; it locks by itself after a few minutes without activity (Preferences).</translation>
    </message>
    <message>
        <source>Premiers pas</source>
        <translation>First steps</translation>
    </message>
    <message>
        <source>Raccourcis clavier</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Alt et la lettre soulignée activent un bouton ou un champ.</source>
        <translation>Alt and the underlined letter activate a button or a field.</translation>
    </message>
    <message>
        <source>Registre des activités de traitement (RGPD, article 30) des collectivités, tenu hors ligne dans un fichier chiffré.</source>
        <translation>Record of processing activities (GDPR, Article 30) of public bodies, kept offline in an encrypted file.</translation>
    </message>
    <message>
        <source>Licence : {licence}</source>
        <translation>Licence: {licence}</translation>
    </message>
    <message>
        <source>Qt {qt} · PySide6 {pyside}</source>
        <translation>Qt {qt} · PySide6 {pyside}</translation>
    </message>
    <message>
        <source>Licence de Registre</source>
        <translation>Registre&apos;s licence</translation>
    </message>
    <message>
        <source>Registre est un logiciel libre, distribué sous la licence publique de l&apos;Union européenne (EUPL) version 1.2. Vous pouvez l&apos;utiliser, l&apos;étudier, le modifier et le redistribuer selon ses termes.</source>
        <translation>Registre is free software, distributed under the European Union Public Licence (EUPL) version 1.2. You may use, study, change and redistribute it under its terms.</translation>
    </message>
    <message>
        <source>Texte officiel, dans toutes les langues de l&apos;Union : {url}</source>
        <translation>Official text, in every language of the Union: {url}</translation>
    </message>
    <message>
        <source>Polices DejaVu</source>
        <translation>DejaVu fonts</translation>
    </message>
    <message>
        <source>Qt et PySide6 sont utilisés sous la licence LGPL version 3.</source>
        <translation>Qt and PySide6 are used under the LGPL version 3.</translation>
    </message>
    <message>
        <source>A&amp;ide</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Guide de démarrage</source>
        <translation>&amp;Getting started</translation>
    </message>
    <message>
        <source>&amp;Raccourcis clavier</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>À &amp;propos de Registre</source>
        <translation>&amp;About Registre</translation>
    </message>
    <message>
        <source>&amp;Licence</source>
        <translation>&amp;Licence</translation>
    </message>
    <message>
        <source>Guide de démarrage</source>
        <translation>Getting started</translation>
    </message>
    <message>
        <source>À propos de Registre</source>
        <translation>About Registre</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Rechercher…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <source>Rechercher dans l&apos;historique</source>
        <translation>Search the history</translation>
    </message>
    <message>
        <source>Élé&amp;ment :</source>
        <translation>It&amp;em:</translation>
    </message>
    <message>
        <source>&amp;Qui :</source>
        <translation>&amp;Who:</translation>
    </message>
    <message>
        <source>Toutes les dates</source>
        <translation>All dates</translation>
    </message>
    <message>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>7 derniers jours</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>30 derniers jours</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>12 derniers mois</source>
        <translation>Last 12 months</translation>
    </message>
    <message>
        <source>&amp;Période :</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <source>Tous les éléments</source>
        <translation>All items</translation>
    </message>
    <message>
        <source>Tout le monde</source>
        <translation>Everyone</translation>
    </message>
</context>
<context>
    <name>ImportBackupDialog</name>
    <message>
        <source>Importer une sauvegarde de registre</source>
        <translation>Import a register backup</translation>
    </message>
    <message>
        <source>La sauvegarde « {file} » devient un registre de la bibliothèque. Elle est vérifiée avec la phrase de passe du registre au moment de la sauvegarde.</source>
        <translation>The backup “{file}” becomes a register of the library. It is verified with the register’s passphrase at the time of the backup.</translation>
    </message>
    <message>
        <source>Nom du &amp;dossier :</source>
        <translation>&amp;Folder name:</translation>
    </message>
    <message>
        <source>Nom du dossier</source>
        <translation>Folder name</translation>
    </message>
    <message>
        <source>&amp;Phrase de passe :</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>&amp;Importer</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Indiquez un nom de dossier valide.</source>
        <translation>Enter a valid folder name.</translation>
    </message>
    <message>
        <source>Un registre de ce nom existe déjà dans la bibliothèque.</source>
        <translation>A register of this name already exists in the library.</translation>
    </message>
    <message>
        <source>Saisissez la phrase de passe du registre sauvegardé.</source>
        <translation>Enter the backed-up register&apos;s passphrase.</translation>
    </message>
    <message>
        <source>Vérification de la sauvegarde…</source>
        <translation>Verifying the backup…</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Importer un fichier</source>
        <translation>Import a file</translation>
    </message>
    <message>
        <source>Aucun fichier choisi</source>
        <translation>No file chosen</translation>
    </message>
    <message>
        <source>&amp;Fichier à importer :</source>
        <translation>&amp;File to import:</translation>
    </message>
    <message>
        <source>&amp;Choisir un fichier…</source>
        <translation>&amp;Choose a file…</translation>
    </message>
    <message>
        <source>Facultatif, pour un fichier CSV</source>
        <translation>Optional, for a CSV file</translation>
    </message>
    <message>
        <source>Co&amp;rrespondance :</source>
        <translation>Ma&amp;pping:</translation>
    </message>
    <message>
        <source>Fichier de correspondance des &amp;colonnes…</source>
        <translation>&amp;Column mapping file…</translation>
    </message>
    <message>
        <source>Pour un CSV dont les en-têtes ne sont pas ceux de Registre</source>
        <translation>For a CSV whose headers are not Registre&apos;s</translation>
    </message>
    <message>
        <source>Erreur d&apos;import</source>
        <translation>Import error</translation>
    </message>
    <message>
        <source>Choisissez un fichier : l&apos;aperçu dira ce que l&apos;import créerait.</source>
        <translation>Choose a file: the preview will say what the import would create.</translation>
    </message>
    <message>
        <source>&amp;Aperçu (rien n&apos;est encore écrit) :</source>
        <translation>&amp;Preview (nothing written yet):</translation>
    </message>
    <message>
        <source>Colonne du fichier</source>
        <translation>File column</translation>
    </message>
    <message>
        <source>Champ du registre</source>
        <translation>Register field</translation>
    </message>
    <message>
        <source>&amp;Enregistrer la correspondance…</source>
        <translation>&amp;Save the column mapping…</translation>
    </message>
    <message>
        <source>Garder ces choix de colonnes pour un prochain import</source>
        <translation>Keep these column choices for a later import</translation>
    </message>
    <message>
        <source>Un import ne peut pas être annulé ensuite : Édition › Annuler (Ctrl+Z) ne le défait pas, ni les modifications faites avant lui. Relisez l&apos;aperçu avant d&apos;importer ; le bouton « Annuler » ferme cette fenêtre sans rien importer.</source>
        <translation>An import cannot be undone afterwards: Edit › Undo (Ctrl+Z) does not revert it, nor the changes made before it. Read the preview before importing; the “Cancel” button closes this window without importing anything.</translation>
    </message>
    <message>
        <source>Avertissement avant l&apos;import</source>
        <translation>Warning before the import</translation>
    </message>
    <message>
        <source>Enregistrer la correspondance des colonnes</source>
        <translation>Save the column mapping</translation>
    </message>
    <message>
        <source>Correspondance JSON (*.json)</source>
        <translation>Column mapping JSON (*.json)</translation>
    </message>
    <message>
        <source>Correspondance des colonnes</source>
        <translation>Column mapping</translation>
    </message>
    <message>
        <source>C&amp;olonnes du fichier :</source>
        <translation>File c&amp;olumns:</translation>
    </message>
    <message>
        <source>&amp;Importer</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Fichiers importables (*.json *.csv *.xlsx *.ods)</source>
        <translation>Importable files (*.json *.csv *.xlsx *.ods)</translation>
    </message>
    <message>
        <source>Export JSON de Registre (*.json)</source>
        <translation>Registre JSON export (*.json)</translation>
    </message>
    <message>
        <source>CSV (*.csv *.txt)</source>
        <translation>CSV (*.csv *.txt)</translation>
    </message>
    <message>
        <source>Classeur XLSX (*.xlsx)</source>
        <translation>XLSX workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>Classeur ODS (*.ods)</source>
        <translation>ODS workbook (*.ods)</translation>
    </message>
    <message>
        <source>Fichier de correspondance des colonnes</source>
        <translation>Column mapping file</translation>
    </message>
    <message>
        <source>Correspondance JSON (*.json);;Tous les fichiers (*)</source>
        <translation>JSON mapping (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>Choisissez l&apos;organisme dans la fenêtre du registre, puis recommencez.</source>
        <translation>Choose the organisation in the register window, then try again.</translation>
    </message>
    <message>
        <source>Import terminé</source>
        <translation>Import finished</translation>
    </message>
</context>
<context>
    <name>InventoryPage</name>
    <message>
        <source>Rechercher…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <source>Rechercher un sous-traitant</source>
        <translation>Search a processor</translation>
    </message>
    <message>
        <source>Rechercher un logiciel</source>
        <translation>Search a software item</translation>
    </message>
    <message>
        <source>Nouveau sous-traitant</source>
        <translation>New processor</translation>
    </message>
    <message>
        <source>Nouveau logiciel</source>
        <translation>New software</translation>
    </message>
    <message>
        <source>Supprimer le sous-traitant…</source>
        <translation>Delete the processor…</translation>
    </message>
    <message>
        <source>Supprimer le logiciel…</source>
        <translation>Delete the software…</translation>
    </message>
    <message>
        <source>Sélectionnez un élément pour afficher sa fiche.</source>
        <translation>Select an item to show its record.</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Registre</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>Organismes</source>
        <translation>Organisations</translation>
    </message>
    <message>
        <source>Organismes du registre à sa dernière fermeture</source>
        <translation>Organisations of the register when it was last closed</translation>
    </message>
    <message>
        <source>Complétude</source>
        <translation>Completeness</translation>
    </message>
    <message>
        <source>Part des exigences de l&apos;article 30 remplies, au dernier contrôle</source>
        <translation>Share of the Article 30 requirements met, at the last check</translation>
    </message>
    <message>
        <source>Modifié le</source>
        <translation>Modified on</translation>
    </message>
    <message>
        <source>Dernière modification du registre</source>
        <translation>Last change of the register</translation>
    </message>
    <message>
        <source>Inconnu tant que le registre n&apos;a pas été ouvert ici</source>
        <translation>Unknown until the register has been opened here</translation>
    </message>
    <message>
        <source>{percent} au contrôle du {date}</source>
        <translation>{percent} at the check of {date}</translation>
    </message>
    <message>
        <source>Démo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>Registre de démonstration</source>
        <translation>Demonstration register</translation>
    </message>
    <message>
        <source>démo</source>
        <translation>demo</translation>
    </message>
</context>
<context>
    <name>LibraryWindow</name>
    <message>
        <source>Bibliothèque des registres</source>
        <translation>Register library</translation>
    </message>
    <message>
        <source>Registres de la bibliothèque</source>
        <translation>Registers of the library</translation>
    </message>
    <message>
        <source>Aucun registre dans ce dossier pour l&apos;instant. Créez-en un avec « Nouveau registre… » ou ouvrez un registre rangé ailleurs.</source>
        <translation>No register in this folder yet. Create one with “New register…” or open a register kept elsewhere.</translation>
    </message>
    <message>
        <source>&amp;Ouvrir</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>Ouvrir un &amp;autre dossier…</source>
        <translation>Open another &amp;folder…</translation>
    </message>
    <message>
        <source>&amp;Nouveau registre…</source>
        <translation>&amp;New register…</translation>
    </message>
    <message>
        <source>Registre d&apos;é&amp;quipe…</source>
        <translation>&amp;Team register…</translation>
    </message>
    <message>
        <source>Vos registres</source>
        <translation>Your registers</translation>
    </message>
    <message>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Importer une sauvegarde de registre…</source>
        <translation>&amp;Import a register backup…</translation>
    </message>
    <message>
        <source>&amp;Actualiser</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>&amp;Préférences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>Registres &amp;récents</source>
        <translation>Re&amp;cent registers</translation>
    </message>
    <message>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Aucun registre ouvert récemment</source>
        <translation>No register opened recently</translation>
    </message>
    <message>
        <source>Dossier de la bibliothèque : {folder}</source>
        <translation>Library folder: {folder}</translation>
    </message>
    <message>
        <source>Choisir le dossier d&apos;un registre</source>
        <translation>Choose a register&apos;s folder</translation>
    </message>
    <message>
        <source>Importer une sauvegarde de registre</source>
        <translation>Import a register backup</translation>
    </message>
    <message>
        <source>Sauvegardes de registre (*{suffix})</source>
        <translation>Register backups (*{suffix})</translation>
    </message>
</context>
<context>
    <name>NewRegisterDialog</name>
    <message>
        <source>Nouveau registre</source>
        <translation>New register</translation>
    </message>
    <message>
        <source>Commune de Saint-Martin</source>
        <translation>Commune de Saint-Martin</translation>
    </message>
    <message>
        <source>Nom de l&apos;&amp;organisme :</source>
        <translation>&amp;Organisation name:</translation>
    </message>
    <message>
        <source>Nom de l&apos;organisme</source>
        <translation>Organisation name</translation>
    </message>
    <message>
        <source>Nom du &amp;dossier :</source>
        <translation>&amp;Folder name:</translation>
    </message>
    <message>
        <source>Nom du dossier</source>
        <translation>Folder name</translation>
    </message>
    <message>
        <source>&amp;Phrase de passe :</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>&amp;Confirmation :</source>
        <translation>&amp;Confirmation:</translation>
    </message>
    <message>
        <source>Confirmation de la phrase de passe</source>
        <translation>Passphrase confirmation</translation>
    </message>
    <message>
        <source>La phrase de passe chiffre le registre : sans elle ni la clé de secours, personne ne peut le rouvrir. Une suite d&apos;au moins 7 mots est facile à retenir et difficile à deviner. La clé de secours vous sera montrée une seule fois, juste après la création.</source>
        <translation>The passphrase encrypts the register: without it or the recovery key, nobody can open it again. A sequence of at least 7 words is easy to remember and hard to guess. The recovery key will be shown to you once, right after creation.</translation>
    </message>
    <message>
        <source>C&amp;réer</source>
        <translation>C&amp;reate</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Indiquez le nom de l&apos;organisme.</source>
        <translation>Enter the name of the organisation.</translation>
    </message>
    <message>
        <source>Le nom de l&apos;organisme compte au plus {limit} caractères.</source>
        <translation>The organisation&apos;s name has at most {limit} characters.</translation>
    </message>
    <message>
        <source>Indiquez un nom de dossier sans les caractères {characters} et qui ne commence pas par un point.</source>
        <translation>Enter a folder name without the characters {characters} and not starting with a dot.</translation>
    </message>
    <message>
        <source>Un registre de ce nom existe déjà dans la bibliothèque.</source>
        <translation>A register of this name already exists in the library.</translation>
    </message>
    <message>
        <source>Création du registre…</source>
        <translation>Creating the register…</translation>
    </message>
</context>
<context>
    <name>OrganisationDialog</name>
    <message>
        <source>Organisme</source>
        <translation>Organisation</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Préférences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>Langue de l&apos;interface</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>La langue choisie s&apos;applique au prochain démarrage de Registre.</source>
        <translation>The chosen language applies the next time Registre starts.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Verrouillage après inactivité, en minutes</source>
        <translation>Lock after inactivity, in minutes</translation>
    </message>
    <message>
        <source>Sans utilisation du clavier ni de la souris pendant ce délai, le registre se verrouille : son contenu est masqué et sa clé effacée de la mémoire.</source>
        <translation>When neither the keyboard nor the mouse is used for this long, the register locks itself: its content is hidden and its key erased from memory.</translation>
    </message>
    <message>
        <source>Dossier de la bibliothèque</source>
        <translation>Library folder</translation>
    </message>
    <message>
        <source>&amp;Choisir…</source>
        <translation>&amp;Choose…</translation>
    </message>
    <message>
        <source>Par &amp;défaut</source>
        <translation>&amp;Default</translation>
    </message>
    <message>
        <source>&amp;Langue :</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>&amp;Verrouillage après :</source>
        <translation>Loc&amp;k after:</translation>
    </message>
    <message>
        <source>&amp;Bibliothèque :</source>
        <translation>Li&amp;brary:</translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <source>Valeur refusée</source>
        <translation>Value refused</translation>
    </message>
    <message>
        <source>{section} (directive 2016/680, art. {article})</source>
        <translation>{section} (Directive 2016/680, Art. {article})</translation>
    </message>
    <message>
        <source>{section} (art. {article})</source>
        <translation>{section} (Art. {article})</translation>
    </message>
    <message>
        <source>Fiche « {entity} »</source>
        <translation>“{entity}” record</translation>
    </message>
    <message>
        <source>Sélectionnez un élément de la liste pour afficher sa fiche.</source>
        <translation>Select an item of the list to show its record.</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Les éléments marqués d&apos;un astérisque (*) sont exigés par l&apos;article 24 de la directive 2016/680 (traitement police-justice). Chaque modification est enregistrée dès que vous quittez le champ.</source>
        <translation>Items marked with an asterisk (*) are required by Article 24 of Directive 2016/680 (law-enforcement processing). Each change is saved as soon as you leave the field.</translation>
    </message>
    <message>
        <source>Les éléments marqués d&apos;un astérisque (*) sont exigés par l&apos;article 30 du RGPD. Chaque modification est enregistrée dès que vous quittez le champ.</source>
        <translation>Items marked with an asterisk (*) are required by Article 30 of the GDPR. Each change is saved as soon as you leave the field.</translation>
    </message>
    <message>
        <source>La valeur enregistrée est conservée.</source>
        <translation>The saved value is kept.</translation>
    </message>
    <message>
        <source>La valeur enregistrée reste « {value} ».</source>
        <translation>The saved value remains “{value}”.</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Phrase de passe oubliée</source>
        <translation>Passphrase forgotten</translation>
    </message>
    <message>
        <source>Saisissez la clé de secours notée à la création du registre, puis choisissez une nouvelle phrase de passe. Le contenu du registre ne change pas.</source>
        <translation>Type the recovery key noted when the register was created, then choose a new passphrase. The content of the register does not change.</translation>
    </message>
    <message>
        <source>Clé de &amp;secours :</source>
        <translation>&amp;Recovery key:</translation>
    </message>
    <message>
        <source>Clé de secours</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>&amp;Nouvelle phrase de passe :</source>
        <translation>&amp;New passphrase:</translation>
    </message>
    <message>
        <source>Nouvelle phrase de passe</source>
        <translation>New passphrase</translation>
    </message>
    <message>
        <source>&amp;Confirmation :</source>
        <translation>&amp;Confirmation:</translation>
    </message>
    <message>
        <source>Confirmation de la nouvelle phrase de passe</source>
        <translation>Confirmation of the new passphrase</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>&amp;Enregistrer et ouvrir</source>
        <translation>&amp;Save and open</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Saisissez la clé de secours.</source>
        <translation>Type the recovery key.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Clé de secours</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>Voici la clé de secours du registre. Elle permet de le rouvrir si la phrase de passe est oubliée. Recopiez-la sur papier et rangez-la en lieu sûr, à part de l&apos;ordinateur : elle ne sera plus jamais affichée.</source>
        <translation>Here is the register&apos;s recovery key. It opens the register if the passphrase is forgotten. Copy it on paper and keep it in a safe place, away from the computer: it will never be shown again.</translation>
    </message>
    <message>
        <source>J&apos;ai &amp;noté la clé de secours</source>
        <translation>I have &amp;noted the recovery key</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>&amp;Imprimer…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>&amp;Enregistrer en PDF…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <source>Pour l&apos;imprimer plus tard : ne laissez pas ce fichier sur l&apos;ordinateur.</source>
        <translation>To print it later: do not leave this file on the computer.</translation>
    </message>
    <message>
        <source>Clé de secours du registre « {name} »</source>
        <translation>Recovery key of register “{name}”</translation>
    </message>
    <message>
        <source>Cette clé permet de choisir une nouvelle phrase de passe si elle est oubliée (« Phrase de passe oubliée » dans Registre, ou registre recover). Rangez cette feuille en lieu sûr, à part de l&apos;ordinateur. Quiconque la détient peut ouvrir le registre.</source>
        <translation>This key lets you choose a new passphrase if it is forgotten (“Passphrase forgotten” in Registre, or registre recover). Keep this sheet in a safe place, away from the computer. Whoever holds it can open the register.</translation>
    </message>
    <message>
        <source>Établie le {date}.</source>
        <translation>Issued on {date}.</translation>
    </message>
    <message>
        <source>Enregistrer la clé de secours</source>
        <translation>Save the recovery key</translation>
    </message>
    <message>
        <source>cle-de-secours.pdf</source>
        <translation>recovery-key.pdf</translation>
    </message>
</context>
<context>
    <name>ReferencesPage</name>
    <message>
        <source>&amp;Référentiel :</source>
        <translation>&amp;Vocabulary:</translation>
    </message>
    <message>
        <source>Rechercher…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <source>Rechercher un terme</source>
        <translation>Search a term</translation>
    </message>
    <message>
        <source>Termes du référentiel</source>
        <translation>Terms of the vocabulary</translation>
    </message>
    <message>
        <source>Version du {version} — source : {source}</source>
        <translation>Version of {version} — source: {source}</translation>
    </message>
</context>
<context>
    <name>RegisterWindow</name>
    <message>
        <source>&amp;Organisme :</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <source>Fiche de l&apos;organisme…</source>
        <translation>Organisation&apos;s record…</translation>
    </message>
    <message>
        <source>Sélectionnez un traitement pour afficher sa fiche, ou créez-en un avec « Nouveau traitement » (Ctrl+N).</source>
        <translation>Select a processing activity to show its record, or create one with “New processing activity” (Ctrl+N).</translation>
    </message>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Référentiels</source>
        <translation>Vocabularies</translation>
    </message>
    <message>
        <source>Contrôle</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Registre verrouillé</source>
        <translation>Register locked</translation>
    </message>
    <message>
        <source>Le registre « {name} » est verrouillé : son contenu est masqué et sa clé a été effacée de la mémoire. Saisissez la phrase de passe pour continuer.</source>
        <translation>Register “{name}” is locked: its content is hidden and its key has been erased from memory. Enter the passphrase to continue.</translation>
    </message>
    <message>
        <source>&amp;Déverrouiller…</source>
        <translation>&amp;Unlock…</translation>
    </message>
    <message>
        <source>&amp;Fermer le registre</source>
        <translation>&amp;Close register</translation>
    </message>
    <message>
        <source>Rechercher…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <source>Rechercher un traitement</source>
        <translation>Search a processing activity</translation>
    </message>
    <message>
        <source>Cherche dans toutes les colonnes, sans tenir compte des accents (Ctrl+F)</source>
        <translation>Searches every column, ignoring accents (Ctrl+F)</translation>
    </message>
    <message>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <source>É&amp;tat :</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>Ser&amp;vice :</source>
        <translation>Depart&amp;ment:</translation>
    </message>
    <message>
        <source>&amp;Incomplets seulement</source>
        <translation>&amp;Incomplete only</translation>
    </message>
    <message>
        <source>Seulement les fiches qui ne remplissent pas toutes les exigences (&lt; 100 %)</source>
        <translation>Only the records that do not meet every requirement (&lt; 100 %)</translation>
    </message>
    <message>
        <source>1. Compléter la fiche de l&apos;organisme…</source>
        <translation>1. Complete the organisation&apos;s record…</translation>
    </message>
    <message>
        <source>2. Déclarer un premier traitement (assistant)…</source>
        <translation>2. Declare a first processing activity (wizard)…</translation>
    </message>
    <message>
        <source>Ou créer une fiche de traitement vide</source>
        <translation>Or create an empty processing record</translation>
    </message>
    <message>
        <source>Ajouter un organisme…</source>
        <translation>Add an organisation…</translation>
    </message>
    <message>
        <source>Ce registre ne contient encore aucun organisme</source>
        <translation>This register has no organisation yet</translation>
    </message>
    <message>
        <source>Ajoutez d&apos;abord l&apos;organisme dont vous tenez le registre (commune, CCAS, syndicat…) : ses traitements y seront rattachés.</source>
        <translation>First add the organisation whose register you keep (municipality, social action centre, syndicate…): its processing activities will belong to it.</translation>
    </message>
    <message>
        <source>Aucun traitement pour l&apos;instant</source>
        <translation>No processing activity yet</translation>
    </message>
    <message>
        <source>Commencez par la fiche de l&apos;organisme (nom, adresse, représentant, délégué à la protection des données), puis déclarez les traitements un par un : l&apos;assistant pose une question par page, à partir d&apos;un modèle de traitement courant des communes. L&apos;onglet « Contrôle » dira ensuite ce qui manque.</source>
        <translation>Start with the organisation&apos;s record (name, address, representative, data protection officer), then declare the processing activities one by one: the wizard asks one question per page, starting from a template of a processing activity common in municipalities. The “Check” tab will then say what is missing.</translation>
    </message>
    <message>
        <source>Ce registre est ouvert en lecture seule : rien à afficher ici.</source>
        <translation>This register is open read-only: nothing to show here.</translation>
    </message>
    <message>
        <source>Registre « {name} »</source>
        <translation>Register “{name}”</translation>
    </message>
    <message>
        <source>lecture seule</source>
        <translation>read-only</translation>
    </message>
    <message>
        <source>Le registre est ouvert en lecture seule : aucune modification possible.</source>
        <translation>The register is open read-only: no change possible.</translation>
    </message>
    <message>
        <source>démonstration</source>
        <translation>demonstration</translation>
    </message>
    <message>
        <source>&amp;Nouveau traitement</source>
        <translation>&amp;New processing activity</translation>
    </message>
    <message>
        <source>&amp;Déclarer un traitement (assistant)…</source>
        <translation>&amp;Declare a processing activity (wizard)…</translation>
    </message>
    <message>
        <source>Questions simples, une par page, à partir d&apos;un modèle ou de zéro</source>
        <translation>Simple questions, one per page, from a template or from scratch</translation>
    </message>
    <message>
        <source>Mode &amp;secrétariat</source>
        <translation>&amp;Secretary mode</translation>
    </message>
    <message>
        <source>Fenêtre simplifiée : traitements, assistant, points à compléter</source>
        <translation>Simplified window: activities, wizard, points to complete</translation>
    </message>
    <message>
        <source>&amp;Supprimer le traitement…</source>
        <translation>&amp;Delete the processing activity…</translation>
    </message>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Rétablir</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>&amp;Fiche de l&apos;organisme…</source>
        <translation>Organisation&apos;s &amp;record…</translation>
    </message>
    <message>
        <source>Nouvel &amp;organisme…</source>
        <translation>New &amp;organisation…</translation>
    </message>
    <message>
        <source>Mises à jour du &amp;catalogue…</source>
        <translation>&amp;Catalogue updates…</translation>
    </message>
    <message>
        <source>Fiches dont le modèle a une version plus récente</source>
        <translation>Activities whose template has a newer version</translation>
    </message>
    <message>
        <source>Nouveau &amp;logiciel</source>
        <translation>New &amp;software</translation>
    </message>
    <message>
        <source>Nouveau so&amp;us-traitant</source>
        <translation>New &amp;processor</translation>
    </message>
    <message>
        <source>Supprimer le logiciel…</source>
        <translation>Delete the software…</translation>
    </message>
    <message>
        <source>Supprimer le sous-traitant…</source>
        <translation>Delete the processor…</translation>
    </message>
    <message>
        <source>Cet export n&apos;est pas disponible dans cette version.</source>
        <translation>This export is not available in this version.</translation>
    </message>
    <message>
        <source>Exporter en PDF</source>
        <translation>Export as PDF</translation>
    </message>
    <message>
        <source>Exporter le registre complet en PDF (Ctrl+E)</source>
        <translation>Export the full register as PDF (Ctrl+E)</translation>
    </message>
    <message>
        <source>&amp;Importer un fichier…</source>
        <translation>&amp;Import a file…</translation>
    </message>
    <message>
        <source>&amp;Vérifier un PDF exporté…</source>
        <translation>&amp;Verify an exported PDF…</translation>
    </message>
    <message>
        <source>&amp;Verrouiller</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>Masque le registre et efface sa clé de la mémoire (Ctrl+L)</source>
        <translation>Hides the register and erases its key from memory (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Préférences…</source>
        <translation>Pre&amp;ferences…</translation>
    </message>
    <message>
        <source>&amp;Rechercher un traitement</source>
        <translation>&amp;Search a processing activity</translation>
    </message>
    <message>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Exporter</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>É&amp;dition</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Affichage</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Barre d&apos;outils</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <source>Nouveau traitement</source>
        <translation>New processing activity</translation>
    </message>
    <message>
        <source>Supprimer le traitement</source>
        <translation>Delete the processing activity</translation>
    </message>
    <message>
        <source>Supprimer le traitement « {name} » et toutes ses lignes ? Vous pourrez l&apos;annuler avec Édition › Annuler (Ctrl+Z).</source>
        <translation>Delete the processing activity “{name}” and all its rows? You can undo it with Edit › Undo (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Aucun traitement</source>
        <translation>No processing activity</translation>
    </message>
    <message>
        <source>{shown} sur {total} traitements</source>
        <translation>{shown} of {total} processing activities</translation>
    </message>
    <message>
        <source>1 traitement</source>
        <translation>1 processing activity</translation>
    </message>
    <message>
        <source>{count} traitements</source>
        <translation>{count} processing activities</translation>
    </message>
    <message>
        <source>Nouveau sous-traitant</source>
        <translation>New processor</translation>
    </message>
    <message>
        <source>Nouveau logiciel</source>
        <translation>New software</translation>
    </message>
    <message>
        <source>Supprimer le sous-traitant « {name} » ? Les traitements et logiciels qui le citent ne le citeront plus. Vous pourrez l&apos;annuler (Ctrl+Z).</source>
        <translation>Delete the processor “{name}”? The processing activities and software naming it will no longer name it. You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Supprimer le logiciel « {name} » ? Les traitements qui l&apos;utilisent ne le citeront plus. Vous pourrez l&apos;annuler (Ctrl+Z).</source>
        <translation>Delete the software “{name}”? The processing activities using it will no longer name it. You can undo it (Ctrl+Z).</translation>
    </message>
    <message>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Nouvel organisme</source>
        <translation>New organisation</translation>
    </message>
    <message>
        <source>Nom du nouvel organisme :</source>
        <translation>Name of the new organisation:</translation>
    </message>
    <message>
        <source>Exporter</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Export en cours…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>… et {count} autres</source>
        <translation>… and {count} more</translation>
    </message>
    <message>
        <source>1 traitement est encore un brouillon, non validé par le DPO. Il figurera dans le PDF avec la mention « Brouillon ».</source>
        <translation>1 processing activity is still a draft, not validated by the DPO. It will appear in the PDF marked “Draft”.</translation>
    </message>
    <message>
        <source>{count} traitements sont encore des brouillons, non validés par le DPO. Ils figureront dans le PDF avec la mention « Brouillon ».</source>
        <translation>{count} processing activities are still drafts, not validated by the DPO. They will appear in the PDF marked “Draft”.</translation>
    </message>
    <message>
        <source>Exporter des brouillons ?</source>
        <translation>Export drafts?</translation>
    </message>
    <message>
        <source>&amp;Exporter quand même</source>
        <translation>&amp;Export anyway</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Export annulé.</source>
        <translation>Export cancelled.</translation>
    </message>
    <message>
        <source>Export enregistré : {file} ({pages} pages, SHA-256 {digest}…)</source>
        <translation>Export saved: {file} ({pages} pages, SHA-256 {digest}…)</translation>
    </message>
    <message>
        <source>Export enregistré : {file}</source>
        <translation>Export saved: {file}</translation>
    </message>
    <message>
        <source>Import terminé. Un import ne s&apos;annule pas avec Ctrl+Z : les modifications faites avant lui ne peuvent plus être annulées non plus.</source>
        <translation>Import finished. An import cannot be undone with Ctrl+Z: the changes made before it can no longer be undone either.</translation>
    </message>
    <message>
        <source>Mise à jour du modèle appliquée. Elle ne s&apos;annule pas avec Ctrl+Z ; l&apos;historique du registre garde les anciennes valeurs.</source>
        <translation>Template update applied. It cannot be undone with Ctrl+Z; the register&apos;s history keeps the old values.</translation>
    </message>
    <message>
        <source>Vérifier un PDF exporté</source>
        <translation>Verify an exported PDF</translation>
    </message>
    <message>
        <source>Vérification du PDF</source>
        <translation>PDF verification</translation>
    </message>
    <message>
        <source>Empreinte SHA-256 du fichier : {digest}</source>
        <translation>SHA-256 fingerprint of the file: {digest}</translation>
    </message>
    <message>
        <source>Changer la &amp;phrase de passe…</source>
        <translation>Change &amp;passphrase…</translation>
    </message>
    <message>
        <source>Choisir une nouvelle phrase de passe pour ce registre</source>
        <translation>Choose a new passphrase for this register</translation>
    </message>
</context>
<context>
    <name>ScoreChart</name>
    <message>
        <source>Complétude des organismes</source>
        <translation>Completeness of the organisations</translation>
    </message>
</context>
<context>
    <name>SecretaryWindow</name>
    <message>
        <source>À voir avec le DPO : {question}</source>
        <translation>To check with the DPO: {question}</translation>
    </message>
    <message>
        <source>Registre — Espace secrétariat</source>
        <translation>Registre — Secretary area</translation>
    </message>
    <message>
        <source>&amp;Organisme :</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <source>Déclarez ici les traitements de données personnelles de votre service. Répondez aux questions ; quand vous ne savez pas, le délégué à la protection des données (DPO) complétera.</source>
        <translation>Declare here your department&apos;s processing of personal data. Answer the questions; when you don&apos;t know, the data protection officer (DPO) will complete.</translation>
    </message>
    <message>
        <source>&amp;Déclarer un traitement</source>
        <translation>&amp;Declare a processing activity</translation>
    </message>
    <message>
        <source>Passer à l&apos;e&amp;space DPO…</source>
        <translation>Go to the DPO spa&amp;ce…</translation>
    </message>
    <message>
        <source>Les traitements {of}</source>
        <translation>Processing activities {of}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Les &amp;traitements {of}&lt;/b&gt;</source>
        <translation>&lt;b&gt;Processing &amp;activities {of}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Le registre est ouvert en lecture seule (il est ouvert sur un autre poste, ou par une autre fenêtre) : vous pouvez consulter les traitements et leurs fiches, pas en déclarer. Fermez-le là-bas, puis rouvrez-le ici pour déclarer.</source>
        <translation>The register is open read-only (it is open on another computer, or in another window): you can look at the activities and their fiches, not declare new ones. Close it there, then open it again here to declare.</translation>
    </message>
    <message>
        <source>Annulé : {what}.</source>
        <translation>Undone: {what}.</translation>
    </message>
    <message>
        <source>Passer à l&apos;espace DPO ?</source>
        <translation>Go to the DPO space?</translation>
    </message>
    <message>
        <source>L&apos;espace DPO montre tout le registre et permet d&apos;en modifier chaque fiche, ses contrôles et ses exports. Il est fait pour le délégué à la protection des données.</source>
        <translation>The DPO space shows the whole register and lets you change every record, its checks and its exports. It is meant for the data protection officer.</translation>
    </message>
    <message>
        <source>&amp;Passer à l&apos;espace DPO</source>
        <translation>&amp;Go to the DPO space</translation>
    </message>
    <message>
        <source>&amp;Rester ici</source>
        <translation>&amp;Stay here</translation>
    </message>
    <message>
        <source>Ouvre le registre complet, tel que le délégué le tient</source>
        <translation>Opens the full register, as the DPO keeps it</translation>
    </message>
    <message>
        <source>&amp;Fiche en PDF…</source>
        <translation>Record as &amp;PDF…</translation>
    </message>
    <message>
        <source>Enregistre la fiche du traitement choisi dans un fichier PDF et l&apos;ouvre, pour l&apos;imprimer ou l&apos;envoyer au DPO</source>
        <translation>Saves the chosen activity&apos;s record in a PDF file and opens it, to print it or send it to the DPO</translation>
    </message>
    <message>
        <source>À compléter</source>
        <translation>To complete</translation>
    </message>
    <message>
        <source>&lt;b&gt;À &amp;compléter&lt;/b&gt;</source>
        <translation>&lt;b&gt;To &amp;complete&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Aucun organisme</source>
        <translation>No organisation</translation>
    </message>
    <message>
        <source>Ce registre ne contient pas encore d&apos;organisme : demandez au DPO de le créer.</source>
        <translation>This register holds no organisation yet: ask the DPO to create it.</translation>
    </message>
    <message>
        <source>Aucun traitement déclaré pour l&apos;instant. Commencez par « Déclarer un traitement ».</source>
        <translation>No processing activity declared yet. Start with “Declare a processing activity”.</translation>
    </message>
    <message>
        <source>En&amp;voyer au DPO…</source>
        <translation>Se&amp;nd to the DPO…</translation>
    </message>
    <message>
        <source>Vos déclarations et vos questions au DPO, dans un fichier chiffré</source>
        <translation>Your declarations and your questions to the DPO, in an encrypted file</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Par quoi voulez-vous commencer ?</source>
        <translation>How do you want to start?</translation>
    </message>
    <message>
        <source>Choisissez le modèle qui ressemble le plus à ce que fait votre service : ses réponses vous seront proposées à chaque question, et vous pourrez les garder ou les changer.</source>
        <translation>Choose the template closest to what your department does: its answers will be offered at each question, and you can keep or change them.</translation>
    </message>
    <message>
        <source>Partir d&apos;un &amp;modèle (conseillé)</source>
        <translation>Start from a &amp;template (recommended)</translation>
    </message>
    <message>
        <source>Rechercher un modèle, par exemple « cantine »</source>
        <translation>Search a template, for example “canteen”</translation>
    </message>
    <message>
        <source>Rechercher un modèle</source>
        <translation>Search a template</translation>
    </message>
    <message>
        <source>&amp;Rechercher :</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <source>Modèles de traitements, par thème</source>
        <translation>Processing activity templates, by theme</translation>
    </message>
    <message>
        <source>Partir de &amp;zéro : aucune réponse proposée, pour un traitement sans modèle</source>
        <translation>Start from &amp;scratch: no answer offered, for a processing activity without a template</translation>
    </message>
    <message>
        <source>Ce modèle : {purpose}</source>
        <translation>This template: {purpose}</translation>
    </message>
    <message>
        <source>Aucun modèle ne correspond à « {text} ». Essayez un autre mot, ou partez de zéro.</source>
        <translation>No template matches “{text}”. Try another word, or start from scratch.</translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <source>Robustesse de la phrase de passe</source>
        <translation>Passphrase strength</translation>
    </message>
    <message>
        <source>Phrase de passe assez robuste.</source>
        <translation>The passphrase is strong enough.</translation>
    </message>
    <message>
        <source>Choisissez une phrase de passe.</source>
        <translation>Choose a passphrase.</translation>
    </message>
    <message>
        <source>Choisissez une phrase de passe plus robuste (voir le conseil ci-dessus).</source>
        <translation>Choose a stronger passphrase (see the advice above).</translation>
    </message>
    <message>
        <source>Les deux phrases de passe saisies sont différentes.</source>
        <translation>The two passphrases typed are different.</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Récapitulatif</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Relisez votre déclaration. Cliquez sur « Enregistrer » pour l&apos;ajouter au registre : elle restera un brouillon jusqu&apos;à ce que le DPO la valide. Pour changer une réponse, revenez en arrière avec « Précédent ».</source>
        <translation>Read your declaration again. Click “Save” to add it to the register: it stays a draft until the DPO validates it. To change an answer, go back with “Back”.</translation>
    </message>
    <message>
        <source>Récapitulatif de la déclaration</source>
        <translation>Summary of the declaration</translation>
    </message>
    <message>
        <source>Enregistrer la fiche en P&amp;DF…</source>
        <translation>Save the record as P&amp;DF…</translation>
    </message>
    <message>
        <source>Enregistre la fiche dans un fichier PDF, à imprimer ou à envoyer au DPO</source>
        <translation>Saves the record in a PDF file, to print or send to the DPO</translation>
    </message>
</context>
<context>
    <name>TabCount</name>
    <message>
        <source>{what} : {shown} sur {total}</source>
        <translation>{what}: {shown} of {total}</translation>
    </message>
    <message>
        <source>{what} : {count}</source>
        <translation>{what}: {count}</translation>
    </message>
    <message>
        <source>Nombre d&apos;éléments affichés</source>
        <translation>Number of items shown</translation>
    </message>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
</context>
<context>
    <name>TakeOutDialog</name>
    <message>
        <source>Emporter des organismes</source>
        <translation>Take organisations out</translation>
    </message>
    <message>
        <source>Les organismes cochés sont copiés dans un registre local chiffré, pour y travailler sans réseau. Rapportez-le ensuite : vos modifications rejoignent le registre d&apos;équipe champ par champ, et rien de ce que d&apos;autres ont changé entre-temps n&apos;est écrasé.</source>
        <translation>The ticked organisations are copied into a local encrypted register, to work on without a network. Bring it back afterwards: your changes join the team register field by field, and nothing others changed meanwhile is overwritten.</translation>
    </message>
    <message>
        <source>Organismes à emporter</source>
        <translation>Organisations to take out</translation>
    </message>
    <message>
        <source>Dossier du registre emporté</source>
        <translation>Folder of the register taken out</translation>
    </message>
    <message>
        <source>&amp;Choisir…</source>
        <translation>&amp;Choose…</translation>
    </message>
    <message>
        <source>Visite</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Nom du registre emporté</source>
        <translation>Name of the register taken out</translation>
    </message>
    <message>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Confirmation de la phrase de passe</source>
        <translation>Passphrase confirmation</translation>
    </message>
    <message>
        <source>&amp;Organismes :</source>
        <translation>&amp;Organisations:</translation>
    </message>
    <message>
        <source>&amp;Dossier :</source>
        <translation>&amp;Folder:</translation>
    </message>
    <message>
        <source>&amp;Nom :</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Phrase de passe :</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Con&amp;firmation :</source>
        <translation>Con&amp;firmation:</translation>
    </message>
    <message>
        <source>&amp;Emporter</source>
        <translation>&amp;Take out</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Dossier où créer le registre emporté</source>
        <translation>Folder where the register taken out is created</translation>
    </message>
    <message>
        <source>Cochez au moins un organisme.</source>
        <translation>Tick at least one organisation.</translation>
    </message>
    <message>
        <source>Indiquez un nom sans / \ : * ? &quot; &lt; &gt; | et qui ne commence pas par un point.</source>
        <translation>Give a name without / \ : * ? &quot; &lt; &gt; | that does not start with a dot.</translation>
    </message>
    <message>
        <source>Un registre de ce nom existe déjà dans ce dossier.</source>
        <translation>A register of that name already exists in this folder.</translation>
    </message>
    <message>
        <source>Copie des organismes…</source>
        <translation>Copying the organisations…</translation>
    </message>
    <message>
        <source>Emporté dans {folder}. Ouvrez-le depuis la bibliothèque pendant la visite, puis rapportez-le (Fichier &gt; Rapporter une visite…).</source>
        <translation>Taken out into {folder}. Open it from the library during the visit, then bring it back (File &gt; Bring a visit back…).</translation>
    </message>
</context>
<context>
    <name>TeamRegisterDialog</name>
    <message>
        <source>Registre d&apos;équipe</source>
        <translation>Team register</translation>
    </message>
    <message>
        <source>Un registre d&apos;équipe est tenu sur le serveur PostgreSQL de votre service : plusieurs personnes y travaillent en même temps. Indiquez l&apos;adresse que vous a donnée votre service informatique.</source>
        <translation>A team register is kept on your service&apos;s PostgreSQL server: several people work on it at once. Give the address your IT department gave you.</translation>
    </message>
    <message>
        <source>Adresse du serveur</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>&amp;Adresse :</source>
        <translation>&amp;Address:</translation>
    </message>
    <message>
        <source>Phrase de passe du registre d&apos;équipe</source>
        <translation>Team register passphrase</translation>
    </message>
    <message>
        <source>seulement pour signer les exports PDF</source>
        <translation>only to sign PDF exports</translation>
    </message>
    <message>
        <source>&amp;Phrase de passe :</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Mot de passe PostgreSQL de {server} :</source>
        <translation>PostgreSQL password of {server}:</translation>
    </message>
    <message>
        <source>L&apos;adresse commence par postgresql:// (exemple ci-dessus).</source>
        <translation>The address starts with postgresql:// (example above).</translation>
    </message>
</context>
<context>
    <name>TeamVisit</name>
    <message>
        <source>&amp;Emporter des organismes…</source>
        <translation>&amp;Take organisations out…</translation>
    </message>
    <message>
        <source>&amp;Rapporter une visite…</source>
        <translation>&amp;Bring a visit back…</translation>
    </message>
</context>
<context>
    <name>TemplateUpdatesDialog</name>
    <message>
        <source>Mises à jour du catalogue de modèles</source>
        <translation>Template catalogue updates</translation>
    </message>
    <message>
        <source>Ces fiches ont été créées à partir d&apos;une version plus ancienne de leur modèle. Cochez les champs à reprendre du modèle ; les autres gardent leur valeur.</source>
        <translation>These activities were created from an older version of their template. Tick the fields to take from the template; the others keep their value.</translation>
    </message>
    <message>
        <source>Toutes les fiches sont à jour du catalogue.</source>
        <translation>All activities are up to date with the catalogue.</translation>
    </message>
    <message>
        <source>État des fiches</source>
        <translation>Activities status</translation>
    </message>
    <message>
        <source>Fiches à mettre à jour</source>
        <translation>Activities to update</translation>
    </message>
    <message>
        <source>&amp;Fiches dont le modèle a changé :</source>
        <translation>&amp;Activities whose template changed:</translation>
    </message>
    <message>
        <source>Champ</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Valeur actuelle</source>
        <translation>Current value</translation>
    </message>
    <message>
        <source>Valeur du modèle</source>
        <translation>Template value</translation>
    </message>
    <message>
        <source>Différences avec le modèle</source>
        <translation>Differences from the template</translation>
    </message>
    <message>
        <source>&amp;Différences (cochées : à reprendre ; en italique : modifications locales) :</source>
        <translation>&amp;Differences (ticked: to take from the template; in italics: local changes):</translation>
    </message>
    <message>
        <source>&amp;Appliquer les champs cochés</source>
        <translation>A&amp;pply ticked fields</translation>
    </message>
    <message>
        <source>Remplace les champs cochés par la valeur du modèle</source>
        <translation>Replaces the ticked fields with the template&apos;s value</translation>
    </message>
    <message>
        <source>&amp;Marquer comme à jour</source>
        <translation>&amp;Mark as up to date</translation>
    </message>
    <message>
        <source>Applique les champs cochés et garde volontairement les autres valeurs : la fiche suit désormais la nouvelle version du modèle</source>
        <translation>Applies the ticked fields and deliberately keeps the other values: the activity now follows the new template version</translation>
    </message>
    <message>
        <source>Le registre est ouvert en lecture seule : rien ne peut être appliqué.</source>
        <translation>The register is open read-only: nothing can be applied.</translation>
    </message>
    <message>
        <source>Une mise à jour appliquée ne s&apos;annule pas avec Ctrl+Z : chaque champ changé reste dans l&apos;historique, avec son ancienne valeur.</source>
        <translation>An applied update cannot be undone with Ctrl+Z: each changed field stays in the history, with its old value.</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>{activity} — modèle {template} {old} → {new}</source>
        <translation>{activity} — template {template} {old} → {new}</translation>
    </message>
    <message>
        <source>(sans version)</source>
        <translation>(no version)</translation>
    </message>
    <message>
        <source>Modèle « {name} », version {version}.</source>
        <translation>Template “{name}”, version {version}.</translation>
    </message>
    <message>
        <source>Modifié par la nouvelle version du modèle</source>
        <translation>Changed by the new template version</translation>
    </message>
    <message>
        <source>Modification locale de la fiche (le modèle n&apos;a pas changé ce champ)</source>
        <translation>Local change to the activity (the template did not change this field)</translation>
    </message>
    <message>
        <source>(vide)</source>
        <translation>(empty)</translation>
    </message>
</context>
<context>
    <name>TodoPanel</name>
    <message>
        <source>Points à voir avec le DPO</source>
        <translation>Points to check with the DPO</translation>
    </message>
    <message>
        <source>&amp;Marquer comme vu</source>
        <translation>&amp;Mark as seen</translation>
    </message>
    <message>
        <source>Le point est réglé : il reste dans le registre, marqué vu par vous, à cette date</source>
        <translation>The point is settled: it stays in the register, marked as seen by you, on this date</translation>
    </message>
    <message>
        <source>Points à voir avec le DPO : {open} ouvert(s) sur {total}</source>
        <translation>Points to check with the DPO: {open} open of {total}</translation>
    </message>
</context>
<context>
    <name>TodoTableModel</name>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>À voir</source>
        <translation>To check</translation>
    </message>
    <message>
        <source>Vu le {date}</source>
        <translation>Seen on {date}</translation>
    </message>
    <message>
        <source>Noté par {who} le {when}</source>
        <translation>Noted by {who} on {when}</translation>
    </message>
    <message>
        <source> · vu par {who} le {when}</source>
        <translation> · seen by {who} on {when}</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Ouvrir un registre</source>
        <translation>Open a register</translation>
    </message>
    <message>
        <source>Registre « {name} »</source>
        <translation>Register “{name}”</translation>
    </message>
    <message>
        <source>Registre de démonstration — phrase de passe : {passphrase}</source>
        <translation>Demonstration register — passphrase: {passphrase}</translation>
    </message>
    <message>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>&amp;Phrase de passe :</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Ouverture du registre…</source>
        <translation>Opening the register…</translation>
    </message>
    <message>
        <source>Ouvrir en &amp;lecture seule</source>
        <translation>Open &amp;read-only</translation>
    </message>
    <message>
        <source>&amp;Restaurer une sauvegarde…</source>
        <translation>&amp;Restore a backup…</translation>
    </message>
    <message>
        <source>Phrase de passe ou&amp;bliée…</source>
        <translation>&amp;Forgotten passphrase…</translation>
    </message>
    <message>
        <source>Choisir une nouvelle phrase de passe grâce à la clé de secours du registre</source>
        <translation>Choose a new passphrase with the register&apos;s recovery key</translation>
    </message>
    <message>
        <source>&amp;Ouvrir</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Saisissez la phrase de passe du registre.</source>
        <translation>Enter the register&apos;s passphrase.</translation>
    </message>
    <message>
        <source>Nouvelle phrase de passe enregistrée. Ouverture du registre…</source>
        <translation>New passphrase saved. Opening the register…</translation>
    </message>
    <message>
        <source>Restauration de la sauvegarde…</source>
        <translation>Restoring the backup…</translation>
    </message>
    <message>
        <source>Sauvegarde restaurée. Ouverture du registre…</source>
        <translation>Backup restored. Opening the register…</translation>
    </message>
    <message>
        <source>Vérifiez la saisie (majuscules, accents). En cas d&apos;oubli, cliquez sur « Phrase de passe oubliée… » : la clé de secours remise à la création du registre permet d&apos;en choisir une nouvelle.</source>
        <translation>Check what you typed (capitals, accents). If you have forgotten it, click “Forgotten passphrase…”: the recovery key given when the register was created lets you choose a new one.</translation>
    </message>
</context>
<context>
    <name>VocabularyModel</name>
    <message>
        <source>Libellé</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Explication</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>Clé</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Code enregistré dans le registre et les exports</source>
        <translation>Code stored in the register and the exports</translation>
    </message>
</context>
<context>
    <name>WizardPages</name>
    <message>
        <source>Pourquoi cette question ?</source>
        <translation>Why this question?</translation>
    </message>
    <message>
        <source>Retirer cette ligne</source>
        <translation>Remove this row</translation>
    </message>
    <message>
        <source>Retirer cette ligne — {context}</source>
        <translation>Remove this row — {context}</translation>
    </message>
    <message>
        <source>Le nombre de jours, de mois ou d&apos;années</source>
        <translation>The number of days, months or years</translation>
    </message>
    <message>
        <source>Je ne sais pas</source>
        <translation>I don&apos;t know</translation>
    </message>
    <message>
        <source>La question restera vide et sera notée « À voir avec le DPO ». Vous pouvez continuer.</source>
        <translation>The question will stay empty and be marked “To check with the DPO”. You can go on.</translation>
    </message>
    <message>
        <source>Question {number} sur {total}</source>
        <translation>Question {number} of {total}</translation>
    </message>
    <message>
        <source>{label} (obligatoire)</source>
        <translation>{label} (required)</translation>
    </message>
    <message>
        <source>Une par ligne. {help}</source>
        <translation>One per line. {help}</translation>
    </message>
    <message>
        <source>{label} (facultatif, une par ligne)</source>
        <translation>{label} (optional, one per line)</translation>
    </message>
    <message>
        <source>{label} (si vous le connaissez)</source>
        <translation>{label} (if you know it)</translation>
    </message>
    <message>
        <source>Cochez tout ce qui s&apos;applique.</source>
        <translation>Tick everything that applies.</translation>
    </message>
    <message>
        <source>Ajouter une autre ligne pour ces données</source>
        <translation>Add another row for these data</translation>
    </message>
    <message>
        <source>Ajouter un autre destinataire de ce type</source>
        <translation>Add another recipient of this type</translation>
    </message>
    <message>
        <source>Non, les données restent dans l&apos;Union européenne</source>
        <translation>No, the data stay in the European Union</translation>
    </message>
    <message>
        <source>Oui, des données sont envoyées ou hébergées hors de l&apos;UE</source>
        <translation>Yes, some data are sent or hosted outside the EU</translation>
    </message>
    <message>
        <source>Pensez aux logiciels en ligne : où sont hébergées leurs données ? Le contrat ou l&apos;éditeur l&apos;indique.</source>
        <translation>Think of online software: where are their data hosted? The contract or the publisher says so.</translation>
    </message>
    <message>
        <source>Ajouter un autre transfert</source>
        <translation>Add another transfer</translation>
    </message>
    <message>
        <source>transfert {number}</source>
        <translation>transfer {number}</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Vue d&apos;ensemble — {}</source>
        <translation>Overview — {}</translation>
    </message>
    <message>
        <source>Organismes</source>
        <translation>Organisations</translation>
    </message>
    <message>
        <source>Rechercher un organisme…</source>
        <translation>Search for an organisation…</translation>
    </message>
    <message>
        <source>Seulement les organismes à suivre</source>
        <translation>Only organisations needing attention</translation>
    </message>
    <message>
        <source>Erreurs, fiches à revoir, violations à notifier ou demandes en retard</source>
        <translation>Errors, records to review, breaches to notify or overdue requests</translation>
    </message>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Changements depuis la publication…</source>
        <translation>Changes since publication…</translation>
    </message>
    <message>
        <source>Exporter tous les organismes en PDF…</source>
        <translation>Export every organisation as PDF…</translation>
    </message>
    <message>
        <source>Fiches à revoir</source>
        <translation>Records to review</translation>
    </message>
    <message>
        <source>{} organismes, {} traitements ; {} organismes à suivre</source>
        <translation>{} organisations, {} activities; {} needing attention</translation>
    </message>
    <message>
        <source>À revoir : {} fiche(s)</source>
        <translation>To review: {} record(s)</translation>
    </message>
    <message>
        <source>Changements depuis la dernière publication</source>
        <translation>Changes since the last publication</translation>
    </message>
    <message>
        <source>Élément</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Avant</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>Maintenant</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>ajouté</source>
        <translation>added</translation>
    </message>
    <message>
        <source>supprimé</source>
        <translation>removed</translation>
    </message>
    <message>
        <source>modifié</source>
        <translation>changed</translation>
    </message>
    <message>
        <source>publié le {}</source>
        <translation>published on {}</translation>
    </message>
    <message>
        <source>jamais publié</source>
        <translation>never published</translation>
    </message>
    <message>
        <source>Dupliquer vers d&apos;autres organismes</source>
        <translation>Duplicate to other organisations</translation>
    </message>
    <message>
        <source>{} fiche(s) à copier. Cochez les organismes de destination :</source>
        <translation>{} record(s) to copy. Tick the destination organisations:</translation>
    </message>
    <message>
        <source>Tous les organismes</source>
        <translation>All organisations</translation>
    </message>
    <message>
        <source>Les copies prennent la référence suivante de chaque organisme et restent des brouillons ; les sous-traitants et logiciels de même nom sont réutilisés, les autres recréés. « Annuler » défait toute la duplication.</source>
        <translation>Copies take each organisation&apos;s next reference and stay drafts; processors and software of the same name are reused, the others re-created. “Undo” undoes the whole duplication.</translation>
    </message>
    <message>
        <source>Dupliquer</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Cochez au moins un organisme.</source>
        <translation>Tick at least one organisation.</translation>
    </message>
    <message>
        <source>Exporter tous les organismes en PDF</source>
        <translation>Export every organisation as PDF</translation>
    </message>
    <message>
        <source>Dossier où écrire les PDF</source>
        <translation>Folder to write the PDFs to</translation>
    </message>
    <message>
        <source>Choisir…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>%v / %m organismes</source>
        <translation>%v / %m organisations</translation>
    </message>
    <message>
        <source>Un PDF signé par organisme, mis en page sur tous les cœurs.</source>
        <translation>One signed PDF per organisation, laid out on every core.</translation>
    </message>
    <message>
        <source>Exporter</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Arrêter</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Dossier des PDF</source>
        <translation>PDF folder</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord un dossier.</source>
        <translation>Choose a folder first.</translation>
    </message>
    <message>
        <source>Export en cours…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>Arrêt demandé : les PDF en cours se terminent…</source>
        <translation>Stop requested: the PDFs under way are finishing…</translation>
    </message>
    <message>
        <source>Dernier exporté : {}</source>
        <translation>Last exported: {}</translation>
    </message>
    <message>
        <source>{} PDF écrits dans {}.</source>
        <translation>{} PDFs written to {}.</translation>
    </message>
    <message>
        <source>Export arrêté avant la fin.</source>
        <translation>Export stopped before the end.</translation>
    </message>
    <message>
        <source>L&apos;export s&apos;est interrompu sur une erreur inattendue. Les PDF déjà écrits sont gardés ; relancez l&apos;export pour les autres.</source>
        <translation>The export stopped on an unexpected error. The PDFs already written are kept; start the export again for the others.</translation>
    </message>
    <message>
        <source>&amp;Vue d&apos;ensemble des organismes</source>
        <translation>&amp;Overview of the organisations</translation>
    </message>
    <message>
        <source>D&amp;upliquer vers d&apos;autres organismes…</source>
        <translation>D&amp;uplicate to other organisations…</translation>
    </message>
    <message>
        <source>Changements depuis la dernière &amp;publication…</source>
        <translation>Changes since the last &amp;publication…</translation>
    </message>
    <message>
        <source>Recevoir une fiche d&apos;é&amp;change…</source>
        <translation>Receive an e&amp;xchange file…</translation>
    </message>
    <message>
        <source>Tous les organismes en PDF (un fichier chacun)…</source>
        <translation>Every organisation as PDF (one file each)…</translation>
    </message>
    <message>
        <source>Sélectionnez d&apos;abord la fiche à dupliquer.</source>
        <translation>Select the record to duplicate first.</translation>
    </message>
    <message>
        <source>Recevoir une fiche d&apos;échange</source>
        <translation>Receive an exchange file</translation>
    </message>
    <message>
        <source>Fichier .registre-fiche</source>
        <translation>.registre-fiche file</translation>
    </message>
    <message>
        <source>Phrase de passe convenue avec l&apos;autre partie</source>
        <translation>Passphrase agreed with the other side</translation>
    </message>
    <message>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Ouvrir</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Fiche / champ</source>
        <translation>Record / field</translation>
    </message>
    <message>
        <source>Dans le registre</source>
        <translation>In the register</translation>
    </message>
    <message>
        <source>Dans la fiche reçue</source>
        <translation>In the file received</translation>
    </message>
    <message>
        <source>Accepter les fiches cochées</source>
        <translation>Accept the ticked records</translation>
    </message>
    <message>
        <source>Fiche d&apos;échange</source>
        <translation>Exchange file</translation>
    </message>
    <message>
        <source>Fiches d&apos;échange (*.registre-fiche)</source>
        <translation>Exchange files (*.registre-fiche)</translation>
    </message>
    <message>
        <source>Envoyée par {} le {} pour « {} » : {} fiche(s).</source>
        <translation>Sent by {} on {} for “{}”: {} record(s).</translation>
    </message>
    <message>
        <source>nouvelle fiche</source>
        <translation>new record</translation>
    </message>
    <message>
        <source>modifications</source>
        <translation>changes</translation>
    </message>
    <message>
        <source>identique</source>
        <translation>identical</translation>
    </message>
    <message>
        <source>À voir avec le DPO</source>
        <translation>To check with the DPO</translation>
    </message>
    <message>
        <source>Modifier en lot…</source>
        <translation>Bulk edit…</translation>
    </message>
    <message>
        <source>Un champ sur plusieurs traitements de l&apos;organisme choisi</source>
        <translation>One field on several activities of the chosen organisation</translation>
    </message>
    <message>
        <source>Ouvrir la fiche</source>
        <translation>Open the record</translation>
    </message>
    <message>
        <source>Fiche en PDF…</source>
        <translation>Record as PDF…</translation>
    </message>
    <message>
        <source>La fiche du traitement choisi dans la liste, en PDF</source>
        <translation>The record of the activity chosen in the list, as PDF</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord une fiche dans la liste.</source>
        <translation>Choose a record in the list first.</translation>
    </message>
    <message>
        <source>Échec pour « {name} » : {reason}</source>
        <translation>Failed for “{name}”: {reason}</translation>
    </message>
    <message>
        <source>… et {count} autre(s) échec(s).</source>
        <translation>… and {count} other failure(s).</translation>
    </message>
    <message>
        <source>Modifier un champ sur plusieurs traitements…</source>
        <translation>Change one field on several activities…</translation>
    </message>
    <message>
        <source>Fiche du traitement sélectionné en PDF…</source>
        <translation>Selected activity&apos;s record as PDF…</translation>
    </message>
    <message>
        <source>Sélectionnez d&apos;abord un traitement.</source>
        <translation>Select an activity first.</translation>
    </message>
    <message>
        <source>Envoyer des fiches validées à la commune…</source>
        <translation>Send validated records to the commune…</translation>
    </message>
    <message>
        <source>Accepter puis modifier…</source>
        <translation>Accept then edit…</translation>
    </message>
    <message>
        <source>Accepte les fiches cochées et ouvre la première dans le registre</source>
        <translation>Accepts the ticked records and opens the first one in the register</translation>
    </message>
    <message>
        <source>Cochez d&apos;abord les fiches à accepter (la case devant chaque fiche nouvelle ou modifiée), puis cliquez de nouveau.</source>
        <translation>Tick the records to accept first (the box in front of each new or changed record), then click again.</translation>
    </message>
    <message>
        <source>{} modification(s) enregistrée(s) ; l&apos;origine est notée au journal. Relisez puis validez les fiches dans le registre ; « Annuler » défait toute la réception.</source>
        <translation>{} change(s) recorded; the origin is noted in the audit trail. Review then validate the records in the register; “Undo” reverts the whole reception.</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Le registre « {register} » est déjà ouvert par {user} sur {host} {since}.</source>
        <translation>Register “{register}” is already open by {user} on {host} {since}.</translation>
    </message>
    <message>
        <source>depuis {moment}</source>
        <translation>since {moment}</translation>
    </message>
    <message>
        <source>Opération impossible</source>
        <translation>Operation not possible</translation>
    </message>
</context>
</TS>
