"""Every sentence the bot says, in French, in one place (HTML: data is escaped by callers)."""

WELCOME = (
    "Bonjour {name} 👋\n"
    "Je suis l'assistant des élus de <b>Grand-Orly Seine Bièvre</b> pour le mandat 2021-2026.\n\n"
    "Posez-moi une question en quelques mots, par exemple :\n"
    "• <i>qui s'occupe du logement ?</i>\n"
    "• <i>PCAET c'est quand ?</i>\n"
    "• <i>combien de bénéficiaires ligne 14 à Vitry ?</i>\n\n"
    "Ou parcourez les menus ci-dessous."
)
HELP = (
    "<b>Ce que je sais faire</b>\n"
    "• Répondre à vos questions sur les priorités du mandat, les élus et leurs délégations, "
    "les chiffres clés, les chiffres par commune et le calendrier — avec la source.\n"
    "• /priorites — les quatre axes et leurs priorités\n"
    "• /elus — le président, les vice-présidents et les délégués\n"
    "• /chiffres — les chiffres clés et les chiffres par commune\n"
    "• /agenda — les prochains rendez-vous\n"
    "• /chercher <i>texte</i> — rechercher dans toute la base\n"
    "• /abonner — recevoir les rappels des rendez-vous\n\n"
    "Dans un groupe, mentionnez-moi (@{username}) ou répondez à l'un de mes messages. "
    "Dans n'importe quelle conversation, tapez <code>@{username} logement</code> pour "
    "partager une réponse."
)
MENU_PRIORITIES = "🎯 Priorités"
MENU_PEOPLE = "👥 Élus"
MENU_FIGURES = "📊 Chiffres"
MENU_AGENDA = "📅 Agenda"
MENU_HELP = "❓ Aide"
BACK = "⬅️ Retour"
MORE = "Suite ➡️"
PREVIOUS = "⬅️ Précédent"

PRIORITIES_TITLE = "<b>Les quatre axes du mandat 2021-2026</b>\nChoisissez un axe :"
PRIORITIES_EMPTY = "Aucune priorité n'est enregistrée pour le moment."
AXIS_TITLE = "<b>Axe {number} : {title}</b>"
AXIS_PEOPLE = "Élus : {names}"
AXIS_CHOOSE = "Choisissez une priorité :"
PEOPLE_TITLE = "<b>L'exécutif du territoire</b>"
PEOPLE_CHOOSE = "Touchez un nom pour le détail."
FIGURES_TITLE = "<b>Chiffres clés</b>"
FIGURES_BY_COMMUNE = "🏘️ Par commune"
COMMUNES_TITLE = "<b>Chiffres par commune</b>\nChoisissez une commune :"
AGENDA_TITLE = "<b>Agenda</b>"
AGENDA_UPCOMING = "<b>À venir</b>"
AGENDA_PAST = "<b>Passés</b>"
AGENDA_EMPTY = "Aucun rendez-vous enregistré."
AGENDA_NONE_UPCOMING = "Aucun rendez-vous à venir n'est enregistré pour le moment."
PAST_MARK = "passé"
APPROXIMATE_MARK = "date approximative"
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
    ("rappels", "Quand être prévenu (ex. 7j 1j 2h)"),
    ("resume", "Résumé hebdomadaire du lundi"),
    ("agenda_ics", "Le calendrier à importer (.ics)"),
]
