"""French text normalisation for matching: case, accents, elisions, SMS style, numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import product

import simplemma
import Stemmer
from babel.numbers import format_decimal
from stop_words import get_stop_words
from text_to_num import alpha2digit

_SNOWBALL = Stemmer.Stemmer("french")
MAX_QUESTION_CHARS = 500  # longer input is cut: nobody types a 10,000-character question

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_APOSTROPHES = re.compile(r"[’‘`´ʼ′]")
_ELISION = re.compile(
    r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)", re.IGNORECASE
)
_GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:[ \u00a0\u202f.]\d{3})+\b")
_DECIMAL = re.compile(r"\b(\d+),(\d+)\b")
# '3 m2', 'en m2', 'combien de m2': square metres; 'la m2', 'le M2': the métro line
_SQUARE_METRES = re.compile(r"(?<=\d)\s?m2\b|\bm²|(?<!\bla )(?<!\ble )\bm2\b", re.IGNORECASE)
_LINE = re.compile(r"\b(?:l|m|ligne|lignes|metro|line)\s?(1[0-9]|[1-9])\b")
_PLUS = re.compile(r"(?<![+\w])\+(?![+\w])|(?<=\s)\+(?=\s?l)")
_REFLEXIVE_ADDRESS = re.compile(r"\b[mst]'adress\w*")
# "compter", "vouloir", "souhaiter", "envisager", "aller" before an infinitive are "prévoir
# de" ('que compte faire l'EPT ?', 'qu'est-ce qu'il veut mener', 'que va-t-on changer'):
# a plan, not a count nor a definition ('veut dire' is one)
_INTENDS = re.compile(r"\b(?:(?:compt|veul|souhait|envisag)(?:e|es|ent|ons|ez)|veu[tx]|va|vont)"
                      r"(?![\s-]+dire\b)"  # 'ça veut dire' means, it plans nothing
                      r"(?=[\s-]+(?:t[\s-]+)?(?:(?:on|il|elle|ils|elles|nous|vous)\s+)?"
                      r"(?:de?\s+)?[a-z]+(?:er|ir|re)\b)")
# 's'est fixé', 's'est donné': the goals the territory set itself, what it plans
_SET_ITSELF = re.compile(r"\bs'(?:est|etait|sont|etaient)(?:[\s-]+t)?"
                         r"(?:[\s-]+(?:il|elle|ils|elles|on))?\s+(?:fixe|donne|assigne)e?s?\b")
# also the frequent "vise président", and "présidnet" typed for "président"
_VICE = re.compile(r"\bvi[cs]e (pr[eé]s\w*)")
_PRESIDENT_TYPO = re.compile(r"\b(vice)?presi(?:dnet|dnt|ndent|dant|det)(e?s?)\b")
_NON_WORD = re.compile(r"[^a-z0-9.%€]+")

# The months, folded as questions are ('fevrier', 'aout'), in calendar order.
MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
          "octobre", "novembre", "decembre")

# SMS and chat shorthand → words (applied token by token after accent removal).
SMS = {
    "c": "c'est", "cest": "c'est", "ki": "qui", "kel": "quel", "kelle": "quelle",
    "koi": "quoi", "kwa": "quoi", "qd": "quand", "kes": "est ce", "keske": "est ce que",
    "kesk": "est ce que",
    "kan": "quand", "kand": "quand", "cb": "combien", "cmb": "combien", "cbien": "combien",
    "pk": "pourquoi", "pq": "pourquoi", "pr": "pour", "ds": "dans", "tt": "tout",
    "tjs": "toujours", "bcp": "beaucoup", "svp": "", "stp": "", "slt": "", "bjr": "",
    "mrc": "", "merci": "", "pb": "probleme", "qqn": "quelqu'un", "qq": "quelque",
    "auj": "aujourd'hui", "ajd": "aujourd'hui", "vs": "vous", "ns": "nous", "jsp": "",
    "dc": "donc", "mm": "meme", "rdv": "rendez vous", "rdvs": "rendez vous", "nb": "nombre",
    "nbre": "nombre", "nbr": "nombre", "ya": "il y a", "assos": "associations", "ke": "que",
    "asso": "association", "sest": "s'est", "lept": "l'ept", "qi": "qui", "qel": "quel",
    "qelle": "quelle", "qels": "quels", "qelles": "quelles", "laxe": "l'axe", "daxe": "d'axe",
    "til": "t il",  # "y a til", "va til": "t-il" typed without its hyphen
    "quest": "est", "quesque": "est ce que", "keskon": "est ce on",
    "kestce": "est ce",  # "quest ce qui": "qu'est-ce qui" without its apostrophe
    "nest": "est", "netait": "etait",  # "ce nest pas": "ce n'est pas" without apostrophe
}

STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette ca c'est d de des du dans donc elle elles en est et etre
    il ils je j la le les leur leurs lui ma mais me mes moi mon ne ni nos notre nous on ou
    par pas pour qu que quel quelle quelles quels qui quoi sa se ses son sur ta te tes toi
    ton tu un une vos votre vous y ont sont sera seront etait fait faire peut peuvent doit
    dois faut il y a t est-ce estce ce sont via chez ici la-bas tout tous toute toutes aussi
    bien alors comme si sinon encore deja plus moins tres trop peu beaucoup meme autre autres
    quelque quelques chaque cela celui celle ceux celles dont lequel laquelle lesquels
    lesquelles auquel duquel comment pourquoi quand combien ou quoi oui non hello hi please
    bonjour salut coucoi the of and for is it who what when how which where are do does i
    need to a an in on about me my svp stp merci voudrais voudrait veux veut aimerais
    savoir dire dis sais connais connait cherche cherchons contacter contact interlocuteur
    interlocutrice referent referente s'occupe occupe occuper gere gerer suit suivre suivi
    porte porter charge responsable dossier dossiers sujet question rapport niveau mon ma mes
    nos notre votre ses leurs ça celle-ci celui-ci concernant concerne concernee concerne
    correspond correspondre quoi domaine truc chose choses gens personne personnes
    ete avoir avait avons avez ai as vais va vont allez allons fois selon entre vers sans
    sous depuis pendant apres avant contre parmi aupres lors afin ainsi cependant puis adresser
    prevoit prevoient prevu prevue prevus prevues pilote piloter pouvez pourriez pourrais
    pourrait donner
    donnez rappeler rappelez indiquer indiquez preciser precisez plait exactement deja
    liste lister inscrit inscrits inscrite inscrites figurent deroule deroulee endroit tenu tenue
    connaitre souhaite souhaiterais souhaiterait voulais voulait aimerait matiere
    eux euh heu hum hein bah ben genre type types sorte sortes coin futur future futurs futures
    """.split()
)

# Words that reveal what kind of answer is wanted (kept out of content matching).
INTENT_WORDS: dict[str, str] = {
    "qui": "who", "who": "who", "elu": "who", "elue": "who", "elus": "who", "vp": "who",
    "interlocuteur": "who", "interlocutrice": "who", "referent": "who", "referente": "who",
    "responsable": "who",
    "official": "who", "charge": "who", "contacter": "who", "porte": "who",
    "vicepresident": "who", "vicepresidente": "who", "vicepresidents": "who",
    "conseiller delegue": "who", "elected official": "who", "delegue": "who",
    "deleguee": "who", "s occupe": "who",
    "quand": "when", "when": "when", "date": "when", "dates": "when", "calendrier": "when",
    "agenda": "when", "etape": "when", "etapes": "when", "phase": "when", "phases": "when",
    "prochain": "when",
    "prochains": "when", "prochaines": "when", "a lieu": "when", "aura lieu": "when",
    "se tient": "when", "se tiendra": "when", "ont lieu": "when",
    "prochaine": "when", "ou en est": "when", "ou en sont": "when", "ou en sera": "when",
    "ou en seront": "when", "quelle annee": "when", "quel jour": "when",
    "echeance": "when", "echeances": "when", "echeancier": "when", "deadline": "when",
    "what day": "when", "which day": "when", "what date": "when", "which date": "when",
    "rendez": "when", "planning": "when", "schedule": "when", "calendar": "when",
    "combien": "figure", "nombre": "figure", "chiffre": "figure", "chiffres": "figure",
    "montant": "figure", "total": "figure", "how many": "figure", "much": "figure",
    "axe": "axis", "axes": "axis", "axis": "axis", "volet": "axis", "volets": "axis",
    "comment": "how", "how": "how", "prevu": "how", "prevue": "how", "prevus": "how",
    "prevues": "how", "retenu": "how", "retenue": "how", "retenus": "how", "retenues": "how",
    "prevoit": "how", "prevoient": "how", "propose": "how", "proposent": "how",
    "fait on": "how", "on fait quoi": "how", "fait quoi": "how", "font quoi": "how",
    "que fait": "how", "que font": "how", "doit faire": "how", "doivent faire": "how",
    "va faire": "how", "vont faire": "how", "il un plan": "how", "y a un plan": "how",
    "faisons": "how",  # 'que fait-on pour X ?' asks what is done, as 'que prévoit-on'
    "portent": "who", "portant": "who",
    "priorite": "priority", "priorites": "priority", "prio": "priority", "prios": "priority",
    "priority": "priority", "priorities": "priority",
    "orientation": "priority", "orientations": "priority", "objectif": "priority",
    "objectifs": "priority", "ambitions": "priority", "grandes lignes": "priority",
    "quoi de neuf": "priority", "en est ou": "when",
    "a quoi sert": "define", "sert a quoi": "define", "a quoi servent": "define",
    "servent a quoi": "define",
    "veut dire": "define", "signifie": "define", "definition": "define", "sigle": "define",
    "acronyme": "define", "est quoi": "define", "what is": "define",
}
# 'comment s'appelle …': a name asked (of an office, a person: see Vocabulary.parse)
NAMING_VERBS = ("appelle", "appellent", "appelait")
INTENT_WORDS.update(dict.fromkeys(NAMING_VERBS, "define"))

# Everyday words that say little about the topic asked (they count for less).
GENERIC_WORDS = frozenset("""
    jour jours semaine mois an ans annee annees temps fois chose choses truc monde demain
    hier aujourd hui matin soir moment instant maintenant actuellement exemple type sorte
    bon bonne bons bonnes mauvais mauvaise grand petit vrai vraie
    """.split()) | frozenset("""
    prepare prepares preparer reunion deliberation debat note futur future actions mesures
    parle parlent parlait plaint plaignent plaindre raconte racontent ecrit ecrivent
    """.split()) | frozenset("""
    ville villes
    """.split())  # how the asker frames the question ('je prépare une réunion sur …', 'il
# parle de …', 'une voisine se plaint de …', where: 'en ville', 'dans chaque ville')

# Words that name the whole mandate, not a subject in it ('les grandes orientations de
# l'EPT pour le mandat'): a priority question with only these asks for the overview.
WHOLE_MANDATE_WORDS = frozenset("""
    mandat mandats mandature ept territoire territoires territorial territoriale
    intercommunalite collectivite grand grands grande grandes principal principaux principale
    principales majeur majeurs majeure majeures gros cles essentiel essentielles essentiels
    nos notre votre vos
    """.split())

COST_WORDS = frozenset({"coute", "couter", "cout", "couts", "coutera", "couteront", "couterait",
                        "coutait", "prix", "tarif", "tarifs", "payer", "gratuit", "gratuite",
                        "gratuits", "gratuites", "gratuitement", "millions", "million",
                        "milliards",
                        "montant", "montants",
                        "cost", "price", "euros", "euro"})
# An amount of money named by what it is for: only a figure in euros answers it (and only
# one that says it is that amount: 'budget' is a detail too, see DETAIL_WORDS).
AMOUNT_WORDS = frozenset({"budget", "budgets", "dotation", "dotations", "enveloppe", "argent",
                          "money"})
RATE_WORDS = frozenset({"taux", "pourcentage", "proportion", "rate", "percentage"})
# How a glossary entry says that the slides use a sigle without spelling it out (its usual
# meaning follows, given as outside knowledge): 'que signifie X ?' is then not answered as if
# the seminar said it (folded, as the engine compares it)
UNEXPLAINED_SIGLE = "sigle non explique dans les diapositives"
# Kinds of detail a question may ask about an entry (contact, personal, practical, opinion).
# Whether the base holds one is read from the entry itself, never assumed here.
DETAIL_WORDS = frozenset("""
    horaires horaire ouverture telephone tel portable mail email courriel adresse coordonnees
    meteo salaire salaires age anniversaire naissance pense pensez avis opinion superficie
    population budget dotation parti encarte affiliation appartenance etiquette maire
    gauche droite phone party address salary siege headquarters mayor numero
    trace arrets terminus frequence
    depute deputee senateur senatrice ministre departemental departementale regional regionale
    loi lois legal legale legalement juridique juridiquement decret decrets code
    reforme reformes prevision previsions forecast forecasts pronostic pronostics
    indemnite remuneration candidat candidate candidature reelection election elections
    effectif effectifs
    insta instagram facebook twitter linkedin tiktok youtube
    """.split())
# Ways of reaching someone: 'comment joindre X ?' asks a contact detail; 'qui contacter
# pour X ?' asks an official ('comment' and no 'qui': see Vocabulary._details).
CONTACT_WORDS = frozenset("""
    contacter joindre ecrire appeler telephoner rencontrer contact reach
    """.split())
# The Métropole du Grand Paris's other territories, and Paris itself: the base speaks of
# Grand-Orly Seine Bièvre alone, so what they do or count is beyond it (unless an entry
# names them: see Vocabulary._elsewhere). « Paris Est Marne Bois » reads « … & Bois ».
OTHER_TERRITORIES = (
    "Est Ensemble", "Plaine Commune", "Paris Terres d'Envol", "Paris Est Marne et Bois",
    "Paris Est Marne Bois", "Grand Paris Grand Est", "Grand Paris Sud Est Avenir",
    "Vallée Sud Grand Paris", "Grand Paris Seine Ouest", "Paris Ouest La Défense",
    "Boucle Nord de Seine", "Paris intra-muros", "la Ville de Paris")
# How a letter addresses its reader ('Madame, Monsieur,'): capitalised, yet no name asked.
ADDRESS_WORDS = frozenset({"madame", "monsieur", "mesdames", "messieurs"})
# Someone asked by their relation to a named official, at another time or in another role.
RELATION_WORDS = frozenset("""
    avant apres precedent precedente predecesseur successeur successeure remplacant
    remplacante ancien ancienne futur future prochain prochaine next previous former
    """.split())
# Public offices a question may ask the holder of; whether the base has one is read from
# its officials' titles (knowledge.query.Vocabulary.title_stems), never assumed here.
ROLE_WORDS = frozenset("""
    directeur directrice dgs secretaire tresorier tresoriere chef cheffe depute deputee
    senateur senatrice prefet prefete questeur questrice rapporteur rapporteure president
    presidente vicepresident vicepresidente conseiller conseillere maire maires adjoint adjointe
    """.split())
# the units a length of time is counted in ('5 ans', '18 mois'), and an amount of money
TIME_UNIT = re.compile(r"(?:ans?|annees?|mois|semaines?|jours?)")
MONEY_UNIT = re.compile(r"(?:[km]|md)?€|(?:(?:millions?|milliards?) )?(?:d )?euros?")
SUPERLATIVE_MIN = re.compile(r"\b(?:(?:le|la|les) moins|minimum|plus petit|least|fewest|lowest"
                             r"|smallest|(?:le|la|les) plus (?:faible|faibles|bas|basse|petit"
                             r"|petite))\b")
SUPERLATIVE_MAX = re.compile(r"\b(?:(?:le|la|les) plus|maximum|plus grand|most|highest|largest"
                             r"|biggest|en tete)\b")


def strip_accents(text: str) -> str:
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, no accents, plain apostrophes, collapsed spaces: for display-free keys."""
    text = _APOSTROPHES.sub("'", strip_accents(text).lower())
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Folded text with elisions removed, hyphens as spaces, numbers and lines canonical."""
    text = _SQUARE_METRES.sub(" metres carres ", text[:MAX_QUESTION_CHARS])
    text = fold(text)
    text = _GROUPED_NUMBER.sub(lambda m: re.sub(r"[ \u00a0\u202f.]", "", m.group()), text)
    text = _DECIMAL.sub(r"\1.\2", text)
    text = _REFLEXIVE_ADDRESS.sub("adresser", text)  # "je m'adresse à qui" is no address
    text = _INTENDS.sub("prevoit", text)
    text = _SET_ITSELF.sub("prevoit", text)
    text = _ELISION.sub("", text)
    text = text.replace("'", " ").replace("-", " ")
    text = _PLUS.sub(" plus ", text)  # "le + de", "l14 + l15"
    text = _LINE.sub(r"ligne \1", text)
    text = _VICE.sub(r"vice\1", text)  # a vice-président is not the président
    text = _PRESIDENT_TYPO.sub(r"\1president\2", text)
    raw = [w.strip(".") for w in _NON_WORD.split(text)]
    raw = [w for w in raw if w]
    words = []
    for index, word in enumerate(raw):
        if word == "c" and index + 1 < len(raw) and raw[index + 1] == "est":
            word = "c"  # already "c'est" (elided apostrophe): keep it as is
        else:
            word = SMS.get(word, word)
        if word:
            words.extend(word.replace("'", " ").split())
    return " ".join(words)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One key per word family: simplemma's lemma where its dictionary knows the word
    ('gèrent' → 'gérer'), folded, then Snowball-stemmed (PyStemmer), so that a word typed
    without accents ('mediatheques') meets its accented form. Numbers and words of three
    letters or fewer (acronyms: 'vp', 'ess', 'bus') stay as they are."""
    if len(word) <= 3 or word.isdigit():
        return word
    return _SNOWBALL.stemWord(fold(simplemma.lemmatize(word, lang="fr")))


# How a French word sounds, roughly: 'konservatoir', 'logeman', 'prézidan' as spoken by
# someone who writes as he speaks meet 'conservatoire', 'logement', 'président'
_SOUNDS = [(re.compile(pattern), sound) for pattern, sound in (
    (r"(.)\1+", r"\1"), (r"ph", "f"), (r"th", "t"), (r"ch", "S"), (r"h", ""),
    (r"qu?", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"gu(?=[eiy])", "g"), (r"g(?=[eiy])", "j"),
    (r"z", "s"), (r"x$", ""), (r"x", "ks"), (r"y", "i"), (r"w", "v"), (r"ti(?=on)", "si"),
    (r"eau|au", "o"), (r"ou", "u"), (r"oi", "wa"), (r"(?:ai|ei)(?=[nm](?![aeiou]))", "e"),
    (r"[ae][nm](?![aeiounAOI])", "A"), (r"o[nm](?![aeiounAOI])", "O"),
    (r"[iu][nm](?![aeiounAOI])", "I"), (r"ai|ei", "e"), (r"(?<=[^e])es?$", ""),
    (r"e[rz]$", "e"), (r"[tdspx]+$", ""),
)]


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """A folded word as it sounds (nasal vowels as capitals, mute endings dropped)."""
    for pattern, sound in _SOUNDS:
        word = pattern.sub(sound, word)
    return word


def stop_form(word: str) -> bool:
    """A form of a stop word's verb ('peux' of pouvoir); the parser leaves it out of a
    question's topic when the base does not use it."""
    return _lemma(word) in _STOP_WORD_VERBS


def tokens(text: str) -> list[str]:
    """Content tokens of already-normalised text (stop words out, in any of their forms:
    'fera', 'font' are forms of 'faire')."""
    return [t for t in text.split() if t not in STOP_WORDS and _lemma(t) not in STOP_LEMMAS]


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    return fold(simplemma.lemmatize(word, lang="fr")) if word else word


def dictionary_form(word: str) -> str:
    """A word's dictionary form ('apprennent' → 'apprendre', 'fermes' → 'ferme'); a word
    the dictionary lacks loses a plural 's' or 'x'."""
    lemma = _lemma(word)
    if lemma == word and len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return lemma


@lru_cache(maxsize=4096)
def is_infinitive(word: str) -> bool:
    """A verb's infinitive ('aider', 'suivre'), as the dictionary knows it: its other forms
    ('aidons', 'suivez') lead back to it. 'chantier' or 'dossier' have none."""
    if len(word) < 5 or not word.endswith(("er", "ir", "re")):
        return False
    base = word[:-2]
    return any(_lemma(form) == word for form in (f"{base}ons", f"{base}ez", f"{base}issons"))


ENGLISH_GRAMMAR = frozenset(get_stop_words("en"))  # 'the', 'which', 'at', 'any'
FRENCH_GRAMMAR = frozenset(fold(w) for w in get_stop_words("fr"))  # 'plusieurs', 'dessus'


_ACCENTED = {"e": "eéèêë", "a": "aàâ", "i": "iîï", "o": "oô", "u": "uùûü", "c": "cç"}
_MAX_ACCENT_FORMS = 4096  # ways to accent a word tried at most (then its e's alone)


@lru_cache(maxsize=65536)
def is_french(word: str) -> bool:
    """A French word, accents typed or not ('année', 'annee'); 'priortés' is none: each
    way to accent the folded word is looked up in simplemma's dictionary (for a long
    word, each way to accent its e's, the accents French uses most)."""
    if simplemma.is_known(word, lang="fr"):
        return True
    folded = fold(word)
    choices = [_ACCENTED.get(letter, letter) for letter in folded]
    if math.prod(map(len, choices)) > _MAX_ACCENT_FORMS:
        choices = [_ACCENTED["e"] if letter == "e" else letter for letter in folded]
        if math.prod(map(len, choices)) > _MAX_ACCENT_FORMS:
            return False
    return any(simplemma.is_known("".join(form), lang="fr") for form in product(*choices))


@lru_cache(maxsize=65536)
def is_english(word: str) -> bool:
    """An English word that is no French one ('handles', 'town'; not 'planning')."""
    return simplemma.is_known(word, lang="en") and not simplemma.is_known(word, lang="fr")


# The verbs among the stop words ('faire', 'gérer'): every form of them is one too.
_VERB_ENDINGS = ("er", "ir", "re", "oir")
STOP_LEMMAS = frozenset(w for w in STOP_WORDS if len(w) > 3 and _lemma(w) == w
                        and w.endswith(_VERB_ENDINGS))
# ...and the verbs a stop word is a form of ('peut': pouvoir), whose other forms ('peux')
# a question says around its topic; the base's texts may use them ('souhaite'): see stop_form
_STOP_WORD_VERBS = STOP_LEMMAS | frozenset(
    _lemma(w) for w in STOP_WORDS if len(_lemma(w)) > 3 and _lemma(w).endswith(_VERB_ENDINGS))


_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w])")


# 'huit virgule neuf millions': the word kept, so that 8,9 stays one number (text2num would
# multiply it out) and 'deux millions de m²' stays said as the base says it
_MILLIONS = re.compile(r"\bmillion(s?)\b")
_MILLIONS_KEPT = "§illion"  # no number word: text2num passes it by
_PER_CENT = re.compile(r"\s*\bpour ?cent\b", re.IGNORECASE)  # a unit, not a hundred


def digits_for_words(text: str) -> str:
    """Numbers typed in words as digits, by text2num ('trois cent douze' → '312',
    'la ligne quinze' → 'la ligne 15'); ten and under stay words when alone ('les deux
    vice-présidents', 'les quatre axes', 'deux fois plus vite')."""
    if not _NUMBER_WORD.search(text.lower()):
        return text  # most questions: text2num not called
    kept = _PER_CENT.sub(" %", _MILLIONS.sub(rf"{_MILLIONS_KEPT}\1", text))
    return alpha2digit(kept, "fr", threshold=10).replace(_MILLIONS_KEPT, "million")


_NUMBER_WORD = re.compile(r"\b(?:trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize"
                          r"|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante"
                          r"|cent|cents|mille|million|millions|virgule|troisi|quatri|cinqui)")


def numbers_in(normalized: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(normalized)]


def number_key(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------------- splitting
Cut = Callable[[str, int], int]


def word_cut(text: str, limit: int) -> int:
    """Where to cut a line longer than `limit`: its last space in the second half, else
    at `limit` itself (one huge word)."""
    space = text.rfind(" ", limit // 2, limit)
    return space if space > 0 else limit


def split_text(text: str, limit: int, cut: Cut = word_cut) -> list[str]:
    """`text` in parts of at most `limit` characters, for messages that have a maximal size.

    Cut between paragraphs, else between lines, else inside a line where `cut` says (the
    bot's HTML passes a cut that never falls inside an entity). Blank parts are dropped.
    This is the one splitter: the bot (bot.formatting.split_html) and the scheduler's
    deliverer both use it, and it lives here because the scheduler may not import `bot`.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for separator, block in _blocks(text, limit, cut):
        candidate = f"{current}{separator}{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        parts.append(current)
        current = block
    parts.append(current)
    return [part for part in parts if part.strip()]


def _blocks(text: str, limit: int, cut: Cut) -> list[tuple[str, str]]:
    """(separator before it, piece): paragraphs, or the lines of a paragraph too long,
    or the pieces of a line too long."""
    blocks: list[tuple[str, str]] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            blocks.append(("\n\n", paragraph))
            continue
        separator = "\n\n"
        for line in paragraph.split("\n"):
            while len(line) > limit:
                at = max(1, cut(line, limit))
                blocks.append((separator, line[:at]))
                separator = "\n"
                line = line[at:].lstrip()
            blocks.append((separator, line))
            separator = "\n"
    return blocks


def french_number(number: float) -> str:
    """1 048 576 the French way (narrow no-break spaces between groups, decimal comma)."""
    return format_decimal(number, locale="fr_FR")


def storable(text: str) -> str:
    """What a text column can hold: NUL removed (PostgreSQL refuses it in text, and a user
    never means it)."""
    return text.replace("\x00", "")
