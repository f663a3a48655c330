"""Every sentence the bot says, in French, in one place (HTML: data is escaped by callers)."""

WELCOME = (
    "Bonjour{name} 👋\n"
    "Je suis l'assistant des élus de <b>Grand-Orly Seine Bièvre</b> pour le mandat 2021-2026.\n\n"
    "Posez-moi une question en quelques mots, par exemple :\n"
    "• <i>qui s'occupe du logement ?</i>\n"
    "• <i>PCAET c'est quand ?</i>\n"
    "• <i>combien de bénéficiaires ligne 14 à Vitry ?</i>\n\n"
    "Ou parcourez les menus ci-dessous."
)
WELCOME_DOCUMENTS = (
    "Bonjour{name} 👋\n"
    "Je suis l'assistant des élus de <b>Grand-Orly Seine Bièvre</b>. Je réponds à partir des "
    "documents chargés : {documents}.\n\n"
    "Posez-moi une question en quelques mots : je cite la page d'où vient la réponse."
)
WELCOME_EMPTY = (
    "Bonjour{name} 👋\n"
    "Je suis l'assistant des élus de <b>Grand-Orly Seine Bièvre</b>. Ma base est encore vide : "
    "les administrateurs y chargent les documents du territoire."
)
HELP_TITLE = "<b>Ce que je sais faire</b>"
HELP_ENTRIES = ("• Répondre à vos questions sur les priorités du mandat, les élus et leurs "
                "délégations, les chiffres clés, les chiffres par commune et le calendrier — "
                "avec la source.")
HELP_DOCUMENTS = "• Répondre à partir des documents chargés ({documents}), en citant la page."
HELP_EMPTY = "• Rien encore : ma base est vide, les administrateurs y chargent les documents."
HELP_SECTIONS = {  # a command listed when the base holds what it shows
    "priorites": "• /priorites — les quatre axes et leurs priorités",
    "elus": "• /elus — le président, les vice-présidents et les délégués",
    "chiffres": "• /chiffres — les chiffres clés et les chiffres par commune",
}
HELP_COMMANDS = (
    "• /agenda — les prochains rendez-vous\n"
    "• /chercher <i>texte</i> — rechercher dans toute la base\n"
    "• /abonner — recevoir les rappels des rendez-vous\n\n"
    "Dans un groupe, mentionnez-moi (@{username}) ou répondez à l'un de mes messages. "
    "Dans n'importe quelle conversation, tapez <code>@{username} logement</code> pour "
    "partager une réponse."
)
NOT_HELD_ASK = ("Posez votre question en quelques mots : je réponds à partir des documents "
                "chargés ({documents}).")
NOT_HELD_NOTHING = "Aucun document n'y est chargé pour l'instant."
MENU_PRIORITIES = "🎯 Priorités"
MENU_PEOPLE = "👥 Élus"
MENU_FIGURES = "📊 Chiffres"
MENU_AGENDA = "📅 Agenda"
MENU_HELP = "❓ Aide"
BACK = "⬅️ Retour"
PREVIOUS = "◀️ Précédent"
NEXT = "Suivant ▶️"
PAGE_OF = "page {page}/{pages}"
PAGE_SUFFIX = "(page {page}/{pages})"
SEE_WHOLE = "Voir la suite ➡️"  # a list answer told in part: the rest of it, in full
MORE_AXIS = "Axe {number} « {title} », ses priorités"

PRIORITIES_TITLE = "<b>Les axes du mandat 2021-2026</b>"
PRIORITIES_CHOOSE = "Choisissez un axe :"
PRIORITIES_EMPTY = "Cette base ne contient pas les axes ni les priorités du mandat."
AXIS_TITLE = "<b>Axe {number} : {title}</b>"
AXIS_PEOPLE = "{label} : {names}"
AND_OTHERS = "et {count} autres"
AXIS_CHOOSE = "Choisissez une priorité :"
PRIORITY_FINDINGS = "<i>Constats du séminaire</i>"
PRIORITY_ITEMS = "<i>Priorités 2021-2026</i>"
PRIORITY_LEADS = "{label} : {names}"
PERSON_PRIORITIES = "Priorités suivies : {themes}"
PEOPLE_TITLE = "<b>Les élus qui portent les axes du mandat</b>"
PEOPLE_INTRO = ("<i>Le président, les vice-présidents et les conseillers délégués présentés "
                "au séminaire des élus 2021.</i>")
PEOPLE_EMPTY = "Cette base ne contient pas la liste des élus."
PEOPLE_CHOOSE = "Touchez un nom pour le détail."
FIGURES_TITLE = "<b>Chiffres clés</b>"
FIGURES_EMPTY = "Cette base ne contient pas de chiffres clés."
FIGURES_BY_COMMUNE = "🏘️ Par commune"
COMMUNES_TITLE = "<b>Chiffres par commune</b>{page}\nChoisissez une commune :"
COMMUNES_EMPTY = "Cette base ne contient pas de chiffres par commune."
AGENDA_TITLE = "<b>Agenda : les prochains rendez-vous</b>"
AGENDA_NONE_UPCOMING = ("Aucun rendez-vous à venir n'est inscrit pour le moment.\n"
                        "<i>Administrateurs : ajoutez-en un avec /ajouter jalon.</i>")
AGENDA_PAST_BUTTON = "🗂 Rendez-vous passés ({count})"
AGENDA_PAST_TITLE = "<b>Agenda : les rendez-vous passés</b>, du plus récent au plus ancien"
AGENDA_PAST_EMPTY = "Aucun rendez-vous passé."
AGENDA_NEXT_BUTTON = "📅 Prochains rendez-vous"
APPROXIMATE_MARK = "date approximative"
APPROXIMATE_SIGN = "≈ "
APPROXIMATE_LEGEND = "<i>≈ : date approximative</i>"
SEARCH_USAGE = "Que faut-il chercher ? Par exemple : <code>/chercher logement</code>"
SEARCH_RESULTS = "<b>Résultats pour « {query} »</b>"
SEARCH_NONE = "Je n'ai rien trouvé pour « {query} »."
SOURCE = "Source : {source}"
DID_YOU_MEAN = "Vouliez-vous dire :"
COMMAND_HINT = "Vous cherchez peut-être une commande : {commands}."
UNKNOWN_LOGGED = "J'ai transmis la question aux administrateurs pour compléter la base."
SLOW_DOWN = "Doucement 🙂 Vous envoyez beaucoup de messages ; je reprends dans un instant."
ERROR = "Désolé, quelque chose s'est mal passé de mon côté. Réessayez dans un instant."
UNSUPPORTED = "Je ne lis que le texte : posez-moi votre question par écrit."
STALE_LINK = "Ce lien n'est plus valable. Voici les menus :"
STALE_BUTTON = "Ce bouton n'est plus valable : l'information a changé. Relancez la commande."
REMIND_ME = "🔔 Me rappeler"

SUB_WHICH = "Plusieurs calendriers correspondent à « {topic} » : lequel ?"
SUB_TOPIC = "« {topic} »"
SUB_EVERYTHING = "tous les rendez-vous"
SUB_DONE = "🔔 C'est noté : je vous rappellerai {what}."
SUB_ALREADY = "Vous suivez déjà {what}."
SUB_COUNT = "{count} rendez-vous à venir pour l'instant."
SUB_NONE_YET = ("Aucun rendez-vous à venir pour l'instant : je vous préviendrai dès qu'une "
                "date sera ajoutée.")
SUB_OFFSETS_HINT = "Réglez les délais avec /rappels (ex. <code>/rappels 7j 1j 2h</code>)."
SUB_STALE = "Ce bouton n'est plus valable."
UNSUB_DONE = "🔕 Désabonné de : {topics}."
UNSUB_DIGEST = "Le résumé du lundi est arrêté aussi."
UNSUB_LEFT = "Il vous reste : {topics}. Voir /abonnements."
SUB_UNKNOWN = ("Je ne connais aucun rendez-vous pour « {topic} » : rien n'a été enregistré. "
               "Vouliez-vous dire :")
SUB_UNKNOWN_NONE = ("Je ne connais aucun rendez-vous pour « {topic} » : rien n'a été "
                    "enregistré. Les projets sont dans /agenda ; /abonner seul suit tout.")
UNSUB_ONE = "🔕 Désabonné de « {topic} »."
UNSUB_NONE = "Aucun abonnement ne correspond. Voir /abonnements."
SUBS_NONE = "Aucun abonnement pour l'instant : essayez /abonner ou /abonner pcaet."
SUBS_TITLE = "<b>Vos abonnements</b>"
SUBS_EVERYTHING = "Tous les rendez-vous"
SUBS_OFFSETS = "⏰ Rappels : {offsets} avant chaque rendez-vous."
SUBS_DIGEST_ON = "📰 Résumé du lundi (8 h 30) : activé."
SUBS_DIGEST_OFF = "📰 Résumé du lundi (8 h 30) : désactivé."
SUBS_CHANGE = "Changer les délais (ou <code>/rappels la veille</code>) :"
OFFSET_PRESETS = (  # /abonnements' delay buttons: label, delays in seconds
    ("1 semaine, la veille, 2 h", (604_800, 86_400, 7_200)),
    ("La veille et 2 h avant", (86_400, 7_200)),
    ("La veille", (86_400,)),
    ("2 h avant", (7_200,)),
)
OFFSET_CURRENT = "✅ {label}"
SUBS_REMOVE = "❌ {topic}"
SUBS_ALL = "Tout"
DURATION_UNITS = (("j", 86_400), ("h", 3_600), ("min", 60))
SECONDS_UNIT = "s"
OFFSETS_USAGE = ("Pour les changer : <code>/rappels 1 semaine et la veille</code>, "
                 "<code>/rappels 3 heures avant</code> ou <code>/rappels 7j 1j 2h</code>.")
OFFSETS_NOW = "⏰ Vos rappels : {offsets} avant chaque rendez-vous."
OFFSETS_UNCHANGED = "Rien n'a changé."
OFFSETS_SET = "⏰ Rappels réglés : {offsets} avant chaque rendez-vous."
DIGEST_ON = ("📰 Résumé hebdomadaire activé : chaque lundi à 8 h 30, les rendez-vous des "
             "14 jours suivants.")
DIGEST_OFF = "Résumé hebdomadaire désactivé."
DIGEST_STATE_ON = "Vous le recevez chaque lundi à 8 h 30."
DIGEST_STATE_OFF = "Recevez-le chaque lundi à 8 h 30 :"
DIGEST_SUBSCRIBE = "📬 Le recevoir chaque lundi"
DIGEST_UNSUBSCRIBE = "🔕 Ne plus le recevoir"
ICS_ALL_CAPTION = "📅 {count} rendez-vous à venir, à importer dans votre agenda."
ICS_ONE_CAPTION = "📅 {title}"

COMMANDS_PUBLIC = [
    ("start", "Accueil et menus"),
    ("aide", "Ce que je sais faire"),
    ("priorites", "Les axes et priorités du mandat"),
    ("elus", "Le président, les vice-présidents et les délégués"),
    ("chiffres", "Les chiffres clés"),
    ("agenda", "Les prochains rendez-vous"),
    ("chercher", "Rechercher dans la base"),
    ("abonner", "Recevoir les rappels (tout, ou un projet)"),
    ("abonnements", "Mes abonnements"),
    ("desabonner", "Arrêter les rappels"),
    ("rappels", "Quand être prévenu (ex. la veille, 2 h avant)"),
    ("resume", "Résumé hebdomadaire du lundi"),
    ("agenda_ics", "Le calendrier à importer (.ics)"),
]


# ---------------------------------------------------------------------- admins
REFUSED = ("Désolé, cette commande est réservée aux administrateurs de la base. "
           "Si vous pensez devoir y avoir accès, adressez-vous à l'équipe de l'EPT.")
PRIVATE_ONLY = ("Les commandes d'administration s'utilisent en conversation privée avec moi, "
                "pas dans un groupe.")
NOTHING_SAVED = "Rien n'a été enregistré."
PROBLEM = "⚠️ {error}\n" + NOTHING_SAVED
STALE = "Ce bouton n'est plus valable. Relancez la commande."
UNDO_HINT = "<i>Une erreur ? /annuler : annuler la dernière modification.</i>"

ENTITY_USAGE = (
    "Précisez l'entité : <code>jalon</code>, <code>elu</code>, <code>priorite</code>, "
    "<code>chiffre</code> ou <code>synonyme</code>."
)
LIST_USAGE = ("Usage : <code>/liste jalon</code> ou <code>/liste jalon PCAET</code>.\n"
              + ENTITY_USAGE)
LIST_TITLE = "<b>{Entity} — entrées{filtered} : {count}</b> (page {page}/{pages})"
LIST_FILTERED = " contenant « {query} »"
LIST_EMPTY = "{None_}{filtered}."
LIST_HINT = ("<i>Pour corriger : /modifier {entity} &lt;id&gt; champ=valeur — "
             "pour supprimer : /supprimer {entity} &lt;id&gt;</i>")

FIELDS_TITLE = "<b>Champs {of_an}</b>"
FIELD_LINE = "• <b>{name}</b>{required} — {help}\n   exemple : <code>{example}</code>"
FIELD_REQUIRED = " (obligatoire)"
FIELDS_EXAMPLE = "Exemple complet :\n<code>{command}</code>"
FIELDS_TIPS = (
    "Mettez entre guillemets les valeurs qui contiennent des espaces. Dates : 15/03/2027, "
    "2027-03-15, 15 mars 2027 (ou mars 2027 si seul le mois est connu) ; heures : 10h, "
    "10h30, 10:00. Tapez <code>/ajouter {command}</code> sans champ pour une saisie guidée, "
    "pas à pas."
)
FULL_EXAMPLES = {
    "jalon": '/ajouter jalon titre="Approbation du PCAET" projet=PCAET date=15/03/2027 '
             'heure=10h lieu="Conseil territorial, Vitry-sur-Seine"',
    "elu": '/ajouter elu nom="Marie DUPONT" fonction="Conseillère déléguée au vélo" '
           'role=delegue delegation=Vélo axe=1',
    "priorite": '/ajouter priorite theme="Un territoire cyclable" axe=1 '
                'elements="Relier les communes | Sécuriser les pistes"',
    "chiffre": '/ajouter chiffre libelle="habitants du territoire" valeur="593 434" '
               'unite=habitants contexte="recensement 2018"',
    "fait": '/ajouter fait titre=ANRU texte="Agence nationale pour la rénovation urbaine"',
    "synonyme": "/ajouter synonyme terme=logt expansion=logement",
}

ADD_USAGE = ("Que voulez-vous ajouter ? Touchez un bouton pour une saisie guidée pas à pas, "
             "ou tapez tout d'un coup, par exemple :\n<code>{example}</code>")
ADDED = "✅ {Entity} #{id} ajouté{e} : <b>{title}</b>"
EDIT_USAGE = ("Usage : <code>/modifier jalon 12 heure=14h30 lieu=\"Salle du conseil\"</code>\n"
              "Les identifiants sont donnés par /liste.")
EDITED = "✏️ {Entity} #{id} modifié{e} : <b>{title}</b>"
PAST_DATE = "⚠️ Cette date est déjà passée ({when}) : aucun rappel ne partira (erreur d'année ?)."
NOTICE_PENDING = ("📣 {followers} {verb} l'avis à {time} : une minute après votre dernière "
                  "modification, pour que plusieurs corrections rapprochées fassent un seul "
                  "message.")
NOTICE_NOBODY = "Personne ne suit ce rendez-vous : aucun avis ne partira."
REPEATED_TIME = ("⚠️ Le {day}, {time} arrive deux fois : cette nuit-là, on repasse à l'heure "
                 "d'hiver et les montres reculent. J'ai retenu la première fois (heure d'été), "
                 "rappels compris.")
UNCHANGED = "Rien n'a changé : {the} #{id} avait déjà ces valeurs."
NOT_AN_ID = "« {word} » n'est pas un identifiant : un nombre, donné par /liste {entity}."
DELETE_USAGE = "Usage : <code>/supprimer jalon 12</code> (identifiants : /liste jalon)."
DELETE_CONFIRM = "Supprimer {this} ?\n<b>#{id} — {title}</b>"
DELETE_YES = "🗑 Oui, supprimer"
DELETE_NO = "Non, garder"
DELETED = "🗑 {Entity} #{id} supprimé{e} : {title}"
KEPT = "Rien n'a été supprimé."
UNDONE = "↩️ Annulé : {action} {of_the} #{id}."
ACTION_NAMES = {"create": "l'ajout", "update": "la modification", "delete": "la suppression"}
UNDO_TITLE = "↩️ <b>Annuler la dernière modification de la base ?</b>"
UNDO_LAST = ("Votre dernière modification : {action} {of_the} #{id} « {title} », faite par "
             "{who} le {day} à {time}.")
UNDO_EFFECT = {
    "update": "« Confirmer » rend à ces champs leur valeur d'avant (à gauche de la flèche).",
    "create": "« Confirmer » supprime {this}.",
    "delete": "« Confirmer » rétablit {this}, avec toutes ses valeurs.",
}
DOCUMENT_UNDO_LAST = ("Votre dernière modification : {action} du document « {title} », le {day} "
                      "à {time}.")
DOCUMENT_UNDO_EFFECT = {
    "create": "« Confirmer » retire ce document et ses passages.",
    "update": "« Confirmer » remet la version précédente de ce document.",
    "delete": "« Confirmer » rétablit ce document et ses passages.",
}
DOCUMENT_UNDONE = "↩️ Annulé : {action} du document « {title} »."
UNDO_BLOCKED = "⚠️ Impossible de l'annuler : {problem}"
UNDO_NOTHING = "Rien à annuler : {problem}"
UNDO_YES = "↩️ Confirmer"
UNDO_NO = "Garder"
UNDO_KEPT = "Rien n'a été annulé : la modification reste en place."
UNDO_REFUSED = "⚠️ {problem}"
UNDO_WITH_WORDS = (
    "/annuler annule la dernière modification que vous avez faite dans la base (un ajout, une "
    "modification ou une suppression), après vous l'avoir montrée : tapez /annuler seul, sans "
    "rien après. « {words} » n'a donc rien annulé.\n"
    "Pour annuler une réunion ou un rendez-vous (un jalon) : trouvez son numéro avec "
    "<code>/liste jalon</code> (ou <code>/liste jalon réunion</code>), puis "
    "<code>/supprimer jalon &lt;numéro&gt;</code> : ses abonnés en sont avertis. Pour le garder "
    "en le disant annulé : <code>/modifier jalon &lt;numéro&gt; "
    "titre=\"Réunion publique (annulée)\"</code>.")

GUIDED_START = ("Ajout d'{label}, pas à pas. Répondez à chaque question ; "
                "/stop pour abandonner à tout moment.")
GUIDED_ASK = "<b>{name}</b>{required} ({step}/{steps}) : {help}\nExemple : <code>{example}</code>"
GUIDED_SKIP = "\n<i>Facultatif : touchez « Passer » (ou tapez -).</i>"
GUIDED_YES, GUIDED_NO, GUIDED_PASS = "Oui", "Non", "⏭️ Passer"
GUIDED_BUTTON_VALUES = {"ok": "oui", "no": "non", "skip": ""}  # what a button answers
GUIDED_SUMMARY = "<b>Vérifiez avant d'enregistrer :</b>"
GUIDED_SAVE = "✅ Enregistrer"
GUIDED_CANCEL = "❌ Abandonner"
GUIDED_CANCELLED = "Saisie abandonnée : rien n'a été enregistré."
GUIDED_BUSY = ("Une saisie est en cours : répondez à la question, ou tapez /stop pour "
               "l'abandonner.")
GUIDED_PRESS = "Touchez « Enregistrer » ou « Abandonner » ci-dessus (ou /stop)."
GUIDED_TIMEOUT = "Saisie abandonnée après 30 minutes sans réponse : rien n'a été enregistré."
STOP_NOTHING = "Aucune saisie en cours : rien à arrêter."
GUIDED_ALREADY = "Une saisie est déjà en cours : terminez-la ou tapez /stop."
SKIP_WORDS = {"-", "passer", "aucun", "aucune", "rien"}

EXPORT_CAPTION = ("Toute la base, ses champs nommés comme dans /modifier (titre, date, heure, "
                  "lieu…). Modifiez-la puis renvoyez-la avec /import : je montrerai d'abord ce "
                  "qui changerait.")
IMPORT_SEND = ("Envoyez-moi maintenant le fichier YAML (en pièce jointe), de préférence un "
               "/export modifié. Rien ne sera appliqué sans votre confirmation.")
IMPORT_TOO_BIG = "Fichier trop volumineux ({size} octets, {limit} au maximum) : import refusé."
IMPORT_TOO_BIG_FOR_TELEGRAM = ("Fichier trop volumineux : Telegram ne transmet pas aux bots les "
                               "fichiers de plus de 20 Mo. Import refusé.")
IMPORT_INVALID = "Import refusé, la base n'a pas changé :\n<pre>{error}</pre>"
IMPORT_NO_CHANGE = "Aucun changement : la base est déjà identique à ce document."
IMPORT_SUMMARY = "<b>Aperçu de l'import de « {name} »</b>"
IMPORT_ENTITY = "<b>{entity}</b> : {parts}"
IMPORT_ADDED = "ajouts : {count} ({keys})"
IMPORT_CHANGED = "modifications : {count} ({keys})"
IMPORT_REMOVED = "suppressions : {count} ({keys})"
IMPORT_WARN_REMOVED = "⚠️ Entrées qui seraient supprimées : {count}."
IMPORT_MASS_DELETION = ("⛔ <b>Attention, {warning}.</b> Une sauvegarde coupée ou le mauvais "
                        "fichier ? Rien n'est supprimé sans votre accord explicite.")
IMPORT_APPLY_DELETING = "🗑 Supprimer {count} entrées et importer"
IMPORT_CONFIRM = "Tout est appliqué en une fois, ou rien."
IMPORT_APPLY = "✅ Appliquer"
IMPORT_CANCEL = "❌ Abandonner"
IMPORT_APPLIED = "✅ Import appliqué (entrées touchées : {count}). Voir /journal."
IMPORT_CANCELLED = "Import abandonné : la base n'a pas changé."
IMPORT_FILE_GONE = ("Le fichier de cet aperçu ne peut plus être lu, la base n'a pas changé : "
                    "renvoyez-le avec /import.")

JOURNAL_TITLE = "<b>Dernières modifications</b>"
JOURNAL_EMPTY = "Aucune modification enregistrée pour le moment."
JOURNAL_LINE = "<b>{when}</b> · {user} · {action} · {entity}{entry}{undone}"
JOURNAL_ADMIN_LINE = "<b>{when}</b> · {user} · {action} : {target}"
JOURNAL_UNDONE = " <i>(annulé)</i>"
JOURNAL_CHANGE = "   {field} : {before} → {after}"
JOURNAL_VALUE = "   {field} : {value}"
JOURNAL_MORE = "   <i>… et {count} {fields}</i>"
JOURNAL_MORE_FIELDS = ("autre champ", "autres champs")
JOURNAL_SOMEONE = "administrateur n° {user_id}"  # no name ever recorded for them
JOURNAL_ACTIONS = {"create": "ajout", "update": "modification", "delete": "suppression",
                   "import": "import", "undo": "annulation",
                   "admin_add": "nouvel administrateur", "admin_remove": "administrateur retiré"}

QUESTIONS_TITLE = "<b>Questions sans bonne réponse</b> (les plus fréquentes)"
QUESTIONS_EMPTY = "Aucune question en attente : la base répond à tout ce qu'on lui demande 🎉"
QUESTION_LINE = "• « {text} » — {count} fois"
QUESTIONS_HINT = ("<i>Touchez une question pour la rattacher à l'entrée qui y répond (elle y "
                  "mènera dès la question suivante) ou la retirer de la liste.</i>")
QUESTION_OPEN = "🔗 {text}"
QUESTION_DISMISS = "🗑 Retirer de la liste"
QUESTION_PICK = ("À quelle entrée mène « {text} » ?\n<i>Sinon, touchez 🔎 et tapez quelques "
                 "mots de l'entrée.</i>")
QUESTION_NO_MATCH = ("Je ne vois aucune entrée proche de « {text} ».\nTouchez 🔎 et tapez "
                     "quelques mots de l'entrée (un nom, un titre) : je vous la propose.")
QUESTION_FIND = "🔎 Chercher l'entrée"
QUESTION_FIND_ASK = ("Tapez quelques mots de l'entrée à laquelle mène « {text} » (un nom, un "
                     "titre, un projet), ou touchez « Retour ».")
QUESTION_FOUND = "Entrées contenant « {words} » : touchez celle à laquelle mène « {text} »."
QUESTION_NOT_FOUND = ("Aucune entrée ne contient « {words} ». Tapez d'autres mots, ou touchez "
                      "« Retour ».")
QUESTION_FIND_BUSY = ("Une recherche est en cours : tapez quelques mots de l'entrée, ou /stop "
                      "pour l'abandonner.")
QUESTION_FIND_STOPPED = "Recherche abandonnée : rien n'a été rattaché."
QUESTION_ATTACHED = "🔗 C'est noté : « {text} » mène désormais à {target}."
ATTACH_USAGE = "Usage : <code>/rattacher 12 elu 3</code> (question #12 → élu #3)."

ADMIN_USAGE = "Usage : <code>/{command} 123456789</code> (l'identifiant Telegram numérique)."
ADMIN_ADDED = "✅ {user_id} est désormais administrateur. Son menu de commandes est à jour."
ADMIN_ALREADY = "{user_id} est déjà administrateur."
ADMIN_REMOVED = "{user_id} n'est plus administrateur."
ADMINS_TITLE = "<b>Administrateurs</b>"
ADMINS_CONFIGURED = "• {user_id} <i>(configuration)</i>"
ADMINS_PROMOTED = "• {user_id}"

DOCUMENT_PREVIEW = "<b>Aperçu du document</b>\n{lines}"
DOCUMENT_RETITLE = "✏️ Modifier le titre"
DOCUMENT_TITLE_ASK = ("✏️ Tapez le nouveau titre du document ({limit} caractères au plus) : "
                      "les réponses le citeront, « titre, page N ». Titre actuel : « {title} ». "
                      "/stop pour le garder.")
DOCUMENT_TITLE_EMPTY = "le titre est vide"
DOCUMENT_TITLE_LONG = "le titre est trop long ({length} caractères, {limit} au plus)"
DOCUMENT_TITLE_REFUSED = "⚠️ Titre refusé : {problem}. Rien n'a changé : retapez-le, ou /stop."
DOCUMENT_TITLE_KEPT = "Titre inchangé : l'aperçu ci-dessus reste valable."
DOCUMENT_TITLE_BUSY = ("Un nouveau titre de document est attendu : tapez-le, ou /stop pour "
                       "garder l'actuel.")
DOCUMENT_CONFIRM = "✅ Confirmer"
DOCUMENT_CANCEL = "❌ Abandonner"
DOCUMENT_REFUSED = "Document refusé, rien n'a changé : {error}"
DOCUMENT_SAME = "Rien à faire : {error}"
DOCUMENT_LOADED = ("✅ Document chargé : « {title} », {passages} passages. Les élus ont ses "
                   "réponses dès leur prochaine question. /annuler le retire.")
DOCUMENT_CANCELLED = "Chargement abandonné : rien n'a changé."
TELEGRAM_TOO_BIG = ("fichier trop volumineux : Telegram ne transmet pas aux bots les fichiers "
                    "de plus de 20 Mo.")
DOCUMENT_FILE_GONE = ("Le fichier de cet aperçu ne peut plus être lu, rien n'a changé : "
                      "renvoyez-le.")
DOCUMENTS_TITLE = "<b>Documents chargés</b>"
DOCUMENTS_NONE = ("Aucun document chargé. Envoyez-moi un PDF, un document Word (.docx), "
                  "Markdown (.md) ou texte (.txt) ici pour que le bot réponde à partir de lui.")
DOCUMENTS_LINE = ("• <b>{title}</b> (n°{id}, version {version}) : {pages} pages, {passages} "
                  "passages, ajouté le {date} par {who}")
DOCUMENT_DELETE = "🗑 Supprimer « {title} »"
DOCUMENT_DATES = "📅 Dates de « {title} »"
DOCUMENT_DELETE_ASK = ("Supprimer « {title} » et ses {passages} passages ? Ses réponses "
                       "disparaissent aussitôt.")
DOCUMENT_DELETE_YES = "🗑 Oui, supprimer"
DOCUMENT_DELETED = "🗑 Document « {title} » supprimé. /annuler le rétablit."

DATES_TITLE = ("📅 <b>Dates de « {title} »</b> : {count} à venir, à ajouter au calendrier d'un "
               "geste{past}.")
DATES_PAST = " ({count} {dates})"
DATES_PAST_WORDS = ("date passée ignorée", "dates passées ignorées")
DATES_ONLY_PAST = "📅 Aucune date à venir dans « {title} »{past}."
DATES_DONE = "📅 Toutes les dates à venir de « {title} » ont été vues : {added}, {skipped}."
DATES_ADDED_WORDS = ("ajoutée au calendrier", "ajoutées au calendrier")
DATES_SKIPPED_WORDS = ("ignorée", "ignorées")
DATE_HEADING = "<b>{number}/{count} — {title}</b>"
DATE_WHEN = "🗓 {when}"
DATE_PLACE = "📍 {place}"
DATE_SOURCE = "📄 Source : {source}"
DATE_QUOTE = "<i>« {sentence} »</i>"
DATE_ADD = "✅ Ajouter"
DATE_EDIT = "✏️ Modifier"
DATE_SKIP = "✖️ Ignorer"
DATE_PREVIOUS = "◀️ Précédente"
DATE_NEXT = "Suivante ▶️"
DATE_SKIPPED = "✖️ Ignorée : {title}. Rien n'a été ajouté."
DATE_ALREADY = "Cette date a déjà été ajoutée ou ignorée."
DATE_EDIT_ASK = ("✏️ <b>{title}</b> : tapez ce qui change, comme dans /modifier, par exemple\n"
                 "<code>titre=\"Conseil de territoire\" date=12/03/2027 heure=18h30 "
                 "lieu=\"Salle du conseil\"</code>\nUn texte sans « = » devient le titre. "
                 "/stop pour abandonner.")
DATE_EDIT_REFUSED = "⚠️ {error}\nRien n'a changé : retapez la correction, ou /stop."
DATE_EDITED = "✏️ Corrigé, pas encore ajouté : vérifiez, puis « Ajouter »."
DATE_EDIT_STOPPED = "Correction abandonnée : la date proposée reste telle quelle."
DATE_EDIT_BUSY = ("Une correction de date est en cours : tapez ce qui change, ou /stop pour "
                  "l'abandonner.")

COMMANDS_ADMIN = [
    ("liste", "Admin : lister les entrées (jalon, elu…)"),
    ("champs", "Admin : les champs d'une entité"),
    ("ajouter", "Admin : ajouter une entrée"),
    ("modifier", "Admin : corriger une entrée"),
    ("supprimer", "Admin : supprimer une entrée"),
    ("annuler", "Admin : annuler la dernière modification de la base"),
    ("journal", "Admin : les dernières modifications"),
    ("questions", "Admin : les questions sans réponse"),
    ("rattacher", "Admin : rattacher une question à une entrée"),
    ("export", "Admin : exporter toute la base (YAML)"),
    ("import", "Admin : importer un fichier YAML"),
    ("documents", "Admin : les documents chargés (envoyez un PDF pour en ajouter)"),
    ("admins", "Admin : la liste des administrateurs"),
    ("admin_ajouter", "Admin : promouvoir un administrateur"),
    ("admin_retirer", "Admin : retirer un administrateur"),
]


def help_admin() -> str:
    """/aide's part for admins: each admin command with what it does, and documents."""
    lines = [f"• /{name} — {description.removeprefix('Admin : ')}"
             for name, description in COMMANDS_ADMIN]
    return ("\n\n<b>Administration</b> (en privé avec moi)\n" + "\n".join(lines)
            + "\nEnvoyez-moi un PDF, un .docx, un .md ou un .txt pour charger un document.")
