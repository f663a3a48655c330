"""Query parsing: a French question → a `Query` (intent, entities, weighted words).

The `Vocabulary` is everything parsing needs to know about the knowledge base: communes
and their spellings, people's surnames, entry names, synonyms, and the word lists that
depend on the data (which words ask for a commune's figures, which years name the
mandate's period). It is rebuilt from the database on every reload, so an admin's
additions are parsed like the seed. (Just over 500 lines: parsing is one concern.)
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import simplemma
from rapidfuzz import fuzz, process

from knowledge import models
from knowledge.answers import Intent
from knowledge.index import FuzzyIndex, Position
from knowledge.render import KnowledgeView
from knowledge.text import (
    AMOUNT_WORDS,
    CONTACT_WORDS,
    COST_WORDS,
    DETAIL_WORDS,
    ENGLISH_GRAMMAR,
    FRENCH_GRAMMAR,
    GENERIC_WORDS,
    INTENT_WORDS,
    MAX_QUESTION_CHARS,
    MONEY_UNIT,
    MONTHS,
    NAMING_VERBS,
    OTHER_TERRITORIES,
    RATE_WORDS,
    ROLE_WORDS,
    STOP_WORDS,
    SUPERLATIVE_MAX,
    SUPERLATIVE_MIN,
    TIME_UNIT,
    dictionary_form,
    digits_for_words,
    fold,
    is_english,
    is_french,
    is_infinitive,
    normalize,
    number_key,
    numbers_in,
    stem,
    stop_form,
    tokens,
)
from knowledge.tuning import (
    COMMON_FUZZY,
    COMMUNE_FUZZY,
    CONTEXT_WEIGHT,
    FRAME_WEIGHT,
    GENERIC_WEIGHT,
    JOINED_FUZZY,
    JOINED_GAIN,
    JOINED_MIN_CHARS,
    OTHER_NAME,
    PERSON_FUZZY,
    POSSESSIVE_WEIGHT,
    SPELLING_FUZZY,
    SYNONYM_FUZZY,
    SYNONYM_WORD_FUZZY,
    TERRITORY_FUZZY,
    TOPIC_IDF_SHARE,
    UNKNOWN_WORD_SHARE,
)

INTENT_PHRASES = sorted((w for w in INTENT_WORDS if " " in w), key=len, reverse=True)
POSSESSIVES = {"mon", "ma", "mes", "notre", "nos"}
# Words that ask for figures in general, whatever the base holds.
FIGURE_WORDS = {stem(w) for w in ("chiffres", "chiffre", "nombre", "combien")}
COMMUNE_WORDS = {stem(w) for w in ("commune", "communes", "ville", "villes")}
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–—à]\s*((?:19|20)\d\d)\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# one place's share of an amount asked ('combien pour Ivry seulement ?', 'la part de Vitry')
# 'quel objectif chiffré', 'de combien … réduire': a number is asked, whatever its unit
_NUMBER_ASKED = re.compile(r"\b(?:(?:objectifs?|cibles?|engagements?|ambitions?|baisses?|"
                           r"hausses?|reductions?) chiffree?s?|quantifiee?s?|de combien)\b")
# 'à part', 'mis à part': separately, or but for; 'prendre part': join in; no topic
# ('part'), though 'à part' may ask a share ('Choisy à part, combien pour Ivry ?')
_APART = re.compile(r"\b(?:(?:mise?s? )?a|pris|pren\w*) part\b")
_SHARE = re.compile(r"\b(?:seule?|seulement|uniquement|(?<!quelque )(?<!nulle )(?<!autre )part"
                    r"|revient|chacune?|repartition)\b")  # not 'quelque part': somewhere
# 'combien de temps', 'quelle durée': a length of time is asked
_DURATION = re.compile(r"\b(?:combien de temps|duree|how long|combien d annees"
                       rf"|en (?:\d+|deux|trois|quatre|cinq|six|dix) {TIME_UNIT.pattern})\b")
# a thing to do, not a question ('réserve une salle', 'inscrivez-moi'): the bot only answers
_REQUEST = re.compile(r"(?:\breservez|(?:^|[.!?,;:]\s*)reserver?|\b(?:tu|vous|voudrais|voudrait"
                      r"|aimerais|veux|souhaite|souhaiterais|merci de|besoin de) (?:me |nous )?"
                      r"reserver)[\s-]+(?:moi |nous )?"  # not 'compte-t-on réserver des locaux'
                      r"(?:une?|deux|trois|\d+|la|le|les|des|ma|mon)\b"  # not 'est réservé le'
                      r"|\binscri(?:s|vez)[\s-]+(?:moi|nous)\b|\b(?:m|nous) ?'? ?inscrire\b")
# a change foretold ('les impôts vont augmenter ?', 'va-t-il se représenter ?'): no one knows
_PREDICTED = re.compile(r"\b(?:va|vont)(?:[ -]t)?(?:[ -](?:il|elle|ils|elles))? (?:encore |"
                        r"continuer (?:a |d'?))?(?:augmenter|baisser|diminuer|monter|grimper"
                        r"|exploser|se representer|gagner|perdre)\b"
                        r"|\bse represente(?:ra|nt|ront)?\b|\breelu(?:e|s)?\b|\breelection\b")
_PERSON_PRONOUNS = frozenset({"il", "elle", "lui", "son", "sa", "ses"})  # one named before
# how short the answer should be ('en deux mots', 'en 3 points', 'deux phrases sur', 'en
# gros'): no subject
_BREVITY = re.compile(r"\b(?:en (?:un|une|deux|trois|quatre|cinq|quelques|\d) (?:mots?|lignes?"
                      r"|points|phrases?|puces|tirets|bullets?)(?: (?:maximum|max|maxi))?"
                      r"|(?:une|deux|trois|quatre|cinq|quelques|\d) (?:phrases?"
                      r"|paragraphes?)|en (?:bref|gros|resume|résumé)|grosso modo|vite fait"
                      r"|in short|in a nutshell|tl ?dr)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SINCE = re.compile(r"\b(?:depuis|since|a partir de|des)\s+(?:19|20)\d\d\b")  # a start

_ORDINALS = {"un": 1, "premier": 1, "deux": 2, "deuxieme": 2, "second": 2, "trois": 3,
             "troisieme": 3, "quatre": 4, "quatrieme": 4,
             "one": 1, "first": 1, "two": 2, "three": 3, "third": 3, "four": 4, "fourth": 4}
# an axis named by its number: "axe 2", "axe deux", "2e axe", "deuxième axe", "third axis"
AXIS_NAMED = re.compile(r"\b(?:axe|axis) (?:n )?(\d|un|deux|trois|quatre|one|two|three|four)\b"
                        r"|\b(\d(?:e|eme|er)?|premier|deuxieme|second|troisieme|quatrieme"
                        r"|first|third|fourth) (?:priority )?(?:axe|axis)\b")
_LINES = re.compile(r"\bligne (\d+)((?:\s+(?:et|ou|plus)(?:\s+sur)?(?:\s+la)?(?:\s+ligne)?"
                    r"\s+\d{1,2}\b)*)")
_LINE_BY_ARTICLE = re.compile(r"\b(?:(?:sur|de|pour|dans) )?la (\d{1,2})\b(?! ?%)")
_LINE_PAIR = re.compile(r"\bla (\d{1,2}) (?:ou|et) (?:sur )?la (\d{1,2})\b(?! ?%)")
_LINE_CONTINUED = re.compile(r"\b(?:et|ou) (?:sur )?la (\d{1,2})\b(?! ?%)")
_LISTING = re.compile(r"\b(?:liste|lister|quels|quelles|ensemble des|resume|resumer|tout ce qu\w*"
                      r"|detail|detailler|enumere\w*)\b")
# a sum of figures asked ('quelle somme' asks an amount of money)
_TOTAL = re.compile(r"\b(?:totale?s?|en tout|(?<!quelle )somme|cumul\w*|additionn\w*)\b|\+")
_COMPARATOR = re.compile(r"(?<!\ble )(?<!\bla )(?<!\bles )\b(plus|moins|au moins|au dela|au dessus"
                         r"|en dessous|superieur|inferieur)(?: de| a)? (\d+)\b"
                         r"|\b(?:qu )?(un seul|une seule)\b")
# an adjective said before its noun ('combien de nouvelles gares'): the noun is counted
_PREPOSED_WORDS = (r"nouv\w*|grand\w*|gros\w*|petit\w*|principa\w*|vrai\w*|ancien\w*"
                   r"|premi\w*|dernier\w*|bons?|bonnes?|autres?")
_PREPOSED = rf"(?:(?:{_PREPOSED_WORDS})\s+)?"
_PREPOSED_WORD = re.compile(_PREPOSED_WORDS)
# X in 'combien de X', also with 'il y a' between the two: what is counted
_COUNTED = re.compile(r"\b(?:combien|nombre|nb|cb)\s+(?:(?:il\s+)?y\s+a\s+(?:t\s+il\s+)?)?"
                      r"(?:de\s+|des\s+|d\s+)?" + _PREPOSED
                      + r"([a-z]\w+)"
                      r"(?:\s+(?:de|du|des|d)\s+([a-z]\w+))?")
_COUNTED_TOO = re.compile(r"^\s+(?:et|ou)\s+(?:de\s+|des\s+|d\s+)?([a-z]\w{3,})")
_AFTER_YEAR = re.compile(r"\b(?:apres|au dela de|a partir de|des|en)"
                         r"(?: (?:les|la|l) (?:prochaines? )?(?:elections|municipales|mandature)"
                         r"(?: de| en)?)? ((?:19|20)\d\d)\b")
# the mandate after this one ('après les prochaines municipales', 'le prochain mandat')
_NEXT_MANDATE = re.compile(r"\b(?:apres|a l issue) (?:des |les )?(?:prochaines )?(?:elections"
                           r"|municipales)\b|\b(?:prochain|nouveau) mandat\b|\bmandat suivant\b"
                           r"|\b(?:apres (?:le |ce )?|a (?:l )?issue du )mandat\b"
                           r"|\bafter the (?:\d{4} )?(?:next )?(?:municipal )?elections?\b"
                           r"|\bnext (?:term|mandate)\b")

# 'quel jour ?', 'à quelle date exacte ?': a day is asked, not a month or a year
_DAY_ASKED = re.compile(r"\bquel jour\b|\b(?:date|jour)s?(?: et (?:le |l )?(?:heure|lieu))? "
                        r"(?:exact|precis)e?s?\b"
                        r"|\b(?:what|which|exact) day\b|\bexact date\b|\bexactly\b.*\bday\b")
# 'la population de chaque commune', 'commune par commune': one figure per commune asked
_PER_COMMUNE = re.compile(r"\b(?:par|chaque|pour chaque|dans chaque|chacune des|chacune de nos)"
                          r"(?: \d+)? (?:communes?|villes?)\b"
                          r"|\b(?:commune|ville) par (?:commune|ville)\b")
_COMMUNES_ASKED = re.compile(r"\bquel(?:le)?s (?:communes|villes)\b")
# 'quelles piscines …', 'les écoles, lesquelles ?', 'liste des entreprises', 'which companies':
# the names of things of a kind, which only a text naming them answers
_MEMBERS = (r"(entreprises?|societes?|bailleurs?|rues?|ecoles?|colleges?|lycees?|piscines?"
            r"|mediatheques?|bibliotheques?|associations?|partenaires?|signataires?|membres?"
            r"|prestataires?|centres?|laboratoires?|quartiers?|sites?|friches?|zones?|gares?"
            r"|stations?|companies|schools|streets|members|partners|pools)")
_MEMBERS_ASKED = re.compile(rf"\b(?:quel(?:le)?s|which)(?: \w+)? {_MEMBERS}\b"
                            rf"|\b{_MEMBERS}\b(?: \w+){{0,6}} lesquel(?:le)?s\b"
                            rf"|\b(?:liste|listes|noms?|names?) (?:des|de ces|of the|of) "
                            rf"(?:\w+ )?{_MEMBERS}\b")
# 'où les consulter ?', '… on les télécharge où ?' (not 'ça se trouve où ?', a place)
_WHERE_TO_READ = re.compile(r"\bou (?:(?:puis je|peut on|les|le|la|l) )*(?:re)?"
                            r"(?:trouv|consult|ecout|lire|telecharg|voir)\w*"
                            r"|(?<!\bse )\b(?:re)?(?:trouv|consult|ecout|telecharg)\w* ou$")
# 'dans quelle ville …' asks where: 'ville' is the asking, not the subject ('politique de
# la ville')
_IN_WHICH_PLACE = re.compile(r"\bdans quelle (?:ville|commune)\b")
_WHERE = re.compile(r"(?:^|\W)où(?:\W|$)|\b(?:endroit|lieu du|localisation|quels? lieux?)\b|"
                    + _IN_WHICH_PLACE.pattern)
_ORIGIN = re.compile(r"\bd[’']\s*(?:où|ou)\s+(?:vien|sort|provien|tir|sont issu|est issu)\w*")
# reported speech: « … » or "…" (a resident's words forwarded by the asker)
_QUOTED = re.compile(r"«[^»]{8,}»|\"[^\"]{8,}\"|“[^”]{8,}”")
_QUOTED_POSSESSIVE = re.compile(r"\b(?:mon|ma|mes|notre|nos)\b", re.IGNORECASE)
_ARTICLE_FOR = {"mon": "le", "ma": "la", "mes": "les", "notre": "le", "nos": "les"}
# 'les cités où l'on démolit, quelle élue … ?': a relative 'où' after a noun asks no place
# when another word asks
_RELATIVE_WHERE = re.compile(r"\b(?:le|la|les|l|un|une|des|du|au|aux|ce|cet|cette|ces)\W+"
                             r"[^\W\d]{3,}\s+(?:[«\"“][^»\"”]{1,40}[»\"”]\s+)?où\s+\w")
# a title, then its office ('vice-présidente aux sports', 'élu à l'habitat'): no detail
_OFFICE = re.compile(r"\b(?:vice ?presidente?|presidente?|delegue|deleguee|elue?|adjointe?"
                     r"|conseillere?|charge|chargee|vp) (?:au|aux|a) (?:(?:la|le|les|l) )?(\w+)")
_OTHER_ASK = re.compile(r"\b(?:qui|quel|quelle|quels|quelles|quand|combien|comment|lequel"
                        r"|laquelle|lesquels|lesquelles|quoi|est ce qu)\b")
# 'que signifie X', 'X stands for': what a sigle's letters mean, not what the thing is
_MEANING = re.compile(r"\b(?:veu(?:t|lent) dire|signifi(?:e|ent|cation)|sigle|acronyme|"
                      r"stands? for|means?)\b")
_STRONG_DEFINE = re.compile(r"\b(?:veut dire|signifie|definition|sigle|acronyme)\b")
# 'ou se trouve …' typed without its accent: 'ou' opening a question asks where
_WHERE_UNACCENTED = re.compile(r"ou (?:se |s )?(?:etai\w*|est|sont|a eu|ont eu|trouve\w*|passe\w*"
                               r"|tien\w*|tenai\w*|deroul\w*|aura|auront)\b"
                               r"|.*\b(?:passee?|tenue?|deroulee?|lieu) ou$")  # 'passé ou ?'
# Who describes themselves ("je suis conseillère à Fresnes", "maire-adjoint au commerce
# d'Orly"): context of the asker, not the subject asked.
_ASKER = re.compile(
    r"(?:\bje suis|\ben tant qu(?:e|')|\bj interviens|\bje viens d\W?etre|\bje debute"
    r"|\bi(?:'m| am|m)\b"  # 'I'm a new elected official, …': the asker, not the ask
    r"|\bnouvellement|\bfraichement"
    r"|(?:^|[,;:.?!]\s*)(?:bonjour\s*,?\s*)?(?:nouvel\w*\s+)?(?:maire[\s-])?(?:adjoint|adjointe"
    r"|adjt|conseiller|conseillere|elu|elue|maire|delegue|deleguee)\b"
    r"(?=\s+(?:a|au|aux|de|du|municipal\w*|delegue\w*)\b|\s+d'))"
    r"[^,;:.?!]*?(?=\s+et\s|\s+nous\s|\s+on\s|\s+mais\s|\s+je\s|\s+j'|[,;:.?!]|$)")
# how the asker holds what they say ('je crois que', 'vous confirmez ?') or wants it told
# (slang 'en mode résumé': the manner, not the modes of life): no subject
_HEDGE = re.compile(r"\b(?:je (?:crois|pense|suppose|me souviens)|il me semble|en mode"
                    r"|j'?ai (?:entendu|lu)(?: dire)?|on m'?a (?:dit|explique)"
                    r"|(?:vous )?(?:confirmez|confirmes)(?: vous| tu)?"
                    r"|je me trompe|si je ne me trompe pas)(?: qu(?:e\b|'))?")
# a letter's formula of request ('je vous saurais gré de bien vouloir m'indiquer …'): no
# subject, whatever it asks
_POLITE = re.compile(r"\b(?:je vous saurais gre d|auriez[ -]vous l'?obligeance d|je vous prie d"
                     r"|je me permets de vous (?:solliciter|demander|ecrire)(?: afin)?(?: d)?"
                     r"|merci d|veuillez)e?'?(?: bien)?(?: vouloir)?(?: me\b| m'?)?"
                     r"\s*(?:indiquer|communiquer|preciser|transmettre|faire savoir|faire "
                     r"connaitre|donner|connaitre)?\b"
                     r"|\b(?:donne[sz]?|indique[sz]?|rappelle[sz]?)[ -](?:moi|nous)\b")
# who passes a question on ('un usager au guichet demande si …'): no subject
_REPORTED = re.compile(
    r"(?:^|(?<=[,;:.?!]))[^,;:.?!]{0,60}?\b(?:me |m'|nous |lui )?(?:a |ont |avait )?"
    r"(?:demande|demandent|demandait|(?:voudrai(?:t|ent)|veu(?:t|lent)|aimerai(?:t|ent)"
    r"|souhaite(?:nt)?|cherche(?:nt)? a) savoir|se demande(?:nt)?)\s+"
    r"(?:(?:euh|donc|alors|en fait|du coup)\s+)*(?=(?:si|s'il|s'ils|qui|quel\w*|quand|combien"
    r"|comment|ou|pourquoi|ce que|ce qu'|a qui)\b)")
# 'signé avec qui ?', 'avec qui ce contrat est-il conclu ?': a partner, not an official
# (unless the asker wants to talk to someone: 'avec qui en parler ?')
_PARTNER = re.compile(r"\bavec qui\b")
_BEARS_ON = re.compile(r"\bport(?:e|ent|ait) sur\b")
_TO_OFFICIALS = re.compile(r"\baux elu(?:e|s|es)?\b")
_TALK = re.compile(r"\b(?:parl|discut|echang|voi[rst]|rencontr|contact|travaill)\w*")
# the topic of a delegation asked: "délégué au tourisme", "vp tourisme", "chargé de la X"
_DELEGATION = re.compile(r"\b(?:delegue|deleguee|delegues|deleguees|vicepresident\w*|vp|charge"
                         r"|chargee|occupe|referent|referente|responsable)"
                         r"\s+(?:(?:de|du|des|a|au|aux|la|le|les|l|pour|en|sur|dans|ce|cet|cette"
                         r"|ces)\s+)*"
                         r"(?!(?:delegue|deleguee|charge|chargee|vicepresident\w*|vp"
                         r"|competente?s?|concernee?s?|designee?s?|attitree?s?|idoine|adequate?"
                         r"|cote)\b)"  # 'côté élus': a side, no office
                         r"([a-z]\w+)\b(?! (?:t )?(?:il|elle|ils|elles|on)\b)"  # 'convient-il'
                         r"|\b(?:who is the|qui est le|qui est la)\s+"
                         r"(?!(?:delegue|deleguee|vicepresident\w*|vp|bon|bonne|person|personne"
                         r"|people|one|right|guy|man|woman|lady)\b)([a-z]\w+)")  # 'the person …'
# the complement of a delegation's head word: 'retour' [des chômeurs à l'] 'emploi'
_COMPLEMENT = re.compile(r"\s+(?:a|au|aux|de|du|des|d|contre|pour)\s+(?:(?:l|la|le|les)\s+)?"
                         r"([a-z]\w+)")
# a judgement asked of someone ('est-elle une bonne élue ?'; 'le bon élu' is the right one)
_JUDGED = re.compile(r"\best (?:il |elle |ce )?(?:un|une) (?:bon|bonne|mauvais|mauvaise"
                     r"|excellent|excellente)\b|\bpour ou contre\b"  # a stance, too
                     r"|\b(?:est|sont) (?:il |elle |ils |elles )?(?:favorable|oppose)e?s? "
                     r"(?:a|aux?)\b|\b(?:sa|leur) position sur\b"  # an official's position:
                     r"|\bposition (?:de|d|du) (?!(?:l )?(?:ept|territoire|seminaire|elus)\b)"
                     r"[a-z ]{2,40}? (?:sur|quant a|concernant|vis a vis)\b"  # not the
                     # territory's (its priorities say it)
                     r"|(?<!ept )(?<!territoire )(?<!grand orly seine bievre )"  # an official's
                     r"\b(?:est (?:il|elle)|(?:il|elle) est) pour (?:la|le|les|l|un|une|des)\b"
                     r"|\b(?:pro|for) or against\b|\bin favou?r of\b"
                     r"|\bwhat do (?:you|they|people) think\b|\b(?:a )?(?:good|bad) idea\b")
# what became of a plan after the seminar ('le plan vélo a-t-il été voté depuis ?')
_OUTCOME = re.compile(r"\b(?:a|ont|est|sont)(?: t)?(?: il| elle| ils| elles)?"
                      r"(?: bien| finalement| definitivement| deja| enfin)* (?:ete )?"
                      r"(?:adopte|app?rouve|vote|inaugure|livre|acheve|remporte|gagne)e?s?\b"
                      r"|\b(?:adopte|app?rouve|vote)e?s? (?:\w+ )?(?:finalement|au final)\b"
                      r"|\blaureats?\b"  # who won a call or a contract
                      r"|\b(?:ont|a) (?:ete|donne)\b.*\b(?:resultats?|bilan|retombees)\b"
                      r"|\b(?:resultats?|bilan|retombees)\b.*\b(?:ont|a) (?:ete|donne)\b"
                      # … or will become of it: who is chosen, how it ends, a vote's margin
                      r"|\b(?:sera|seront|va|vont|prevoit|prevoient)(?: t)?"
                      r"(?: il| elle| ils| elles)?(?: etre)?"
                      r" (?:retenue?s?|choisie?s?|selectionnee?s?|prolongee?s?)\b"
                      r"|\b(?:va|vont|prevoit|prevoient) etre prolonger\b"  # for 'prolongé'
                      # ('va' + infinitive reads 'prévoit' once normalised)
                      r"|\b(?:aboutir|remporter)(?:a|ont)\b|\ba (?:l )?unanimite\b"
                      r"|\bwill\b.*\b(?:reach|achieve|succeed|win|meet)\b"
                      r"|\bwill\b.*\bbe (?:extended|chosen|selected|free)\b")
# 'X relève de quelle orientation / est rangé sous quelle priorité ?': where X is filed
_BELONGS = re.compile(r"\b(?:releve|relevent|appartient|appartiennent|range|rangee|ranges"
                      r"|depend|dependent|fait partie|font partie) (?:de|a|dans|sous)"
                      r" (?:quel|quelle|quels|quelles)\b")
# 'la politique du logement': the noun after it is the topic ('politique de la ville' is one)
_CITY_POLICY = re.compile(r" (?=politiques? de la villes?\b)")  # not 'en ville': a topic
_POLICY_OF = re.compile(r" (?=politiques? (?:de la|du|des|de l|d|en matiere d[eu]?) (?!vill?e\b))")
# 'où en est / en sera le plan vélo ?': how far along, a date — no place
_HOW_FAR = re.compile(r"\bou en (?:est|sont|sera|seront|etait|etaient|etions|sommes)\b")
# '…, pour qu'il puisse la solliciter': a clause of purpose asks nothing
_PURPOSE_WORDS = r"(?:pour|afin)\s+qu(?:e\b|'|\b)"
_PURPOSE = re.compile(r"\s*" + _PURPOSE_WORDS)
# '…, afin qu'elle le cite en séance ?': why the asker asks, once the ask is said
_TRAILING_PURPOSE = re.compile(r",\s*" + _PURPOSE_WORDS + r"[^,;:.?!]*[?!.]*\s*$")
_PURPOSE_CLAUSE = re.compile(r"\b" + _PURPOSE_WORDS + r"[^,;:.?!]*"
                             # 'la semaine prochaine': when the asker acts, no date asked
                             r"|\b(?:semaine|mois|an|annee|lundi|mardi|mercredi|jeudi|vendredi"
                             r"|fois) prochaine?\b")
# 'la rénovation de l'éclairage, c'est pour 2022 ?': when something is due
_DUE_IN = re.compile(r"\b(?:est|sera|seront|prevue?s?|programmee?s?|attendue?s?)(?: \w+){0,3}?"
                     r" (?:pour|en|d ici) (?:(?:fin|debut|mi) )?(?:(?:janvier|fevrier|mars|avril"
                     r"|mai|juin|juillet|aout|septembre|octobre|novembre|decembre) )?"
                     r"(?:19|20)\d\d\b")
_WRITINGS = {"note", "notes", "courrier", "mail", "message", "lettre", "rapport", "point",
             "discours", "agenda", "dossier", "intervention", "cabinet", "equipe"}
_HAPPENED = frozenset({"passe", "passee", "deroule", "deroulee", "tenu", "tenue", "eu",
                       "organise", "organisee", "lieu"})
_UNITS = frozenset({"km", "km2", "kilometres", "kilometre", "hectares", "tonnes", "kwh", "mwh"})
# the word after 'axe' ('l'axe emploi', 'l'axe de la transition'): an axis named by its title
AXIS_WORD = re.compile(r"\b(?:axe|axis) (?:(?:de la|de l|du|des|de|sur la|sur le|sur l|sur les|sur"
                       r"|pour la|pour le|pour l|pour les) )?"
                       r"(\w+)")
# the verbs that say where a topic is filed, in 'dans quel axe est rangé X ?'
_PLACING = frozenset({"range", "rangee", "ranges", "rangees", "ranger", "classe", "classee",
                      "classes", "classer",
                      "classees", "place", "placee", "places", "placees", "situe", "situee",
                      "situes", "situees", "positionne", "positionnee", "inscrit", "inscrite"})
_PLACED_BY = [({"prioritaire", "prioritaires"}, re.compile(r"\baxes? prioritaires?\b")),
              ({"partie"}, re.compile(r"\b(?:fai[ts]|font|faire|faisant) partie\b"))]
# a clause that says again, in other words, what the question is about
_RESTATES = re.compile(r"^\s*(?:autrement dit|(?:c )?est a dire|en (?:d )?autres termes"
                       r"|je veux dire|cad)\b")
_CLAUSES = re.compile(r"[;:.?!]+|,\s+")
_ASKS = re.compile(r"\b(?:qui|quel|quelle|quels|quelles|quand|combien|comment|lequel|laquelle|ou"
                   r"|que|qu|quoi)\b")
# a polite request asks too: 'Dites-moi l'élu des activités productives.'
_REQUESTS = re.compile(r"\b(?:pouvez vous|pourriez vous|peux tu|pourrais tu|merci de|j aimerais"
                       r"|je voudrais|je souhaiterais|je cherche|donnez moi|dites moi"
                       r"|indiquez moi|precisez moi|rappelez moi)\b")
REFERRING = {"son", "sa", "ses", "leur", "leurs"}
COUNTING_VERBS = {"compte", "comptent", "compose", "composee", "composent", "regroupe",
                  "regroupent", "rassemble", "rassemblent", "totalise", "contient", "reunit",
                  "reunissent", "comprend", "comprennent", "englobe", "inclut"}
WHO_ASKS = {"qui", "quel", "quelle", "quels", "quelles", "lequel", "laquelle", "who", "which"}
KIND_WORDS = {"priorites", "priorite", "prioritaire", "prioritaires", "calendrier", "agenda",
              "chiffres", "axes", "etapes", "elus", "dates"}
NOT_COUNTED = {"temps", "fois", "coute", "coutent", "cout", "euros", "argent", "millions",
               "million", "milliards",  # 'combien de millions': an amount, not a count
               "eleve", "elevent", "monte", "montent", "represente", "representent",  # verbs
               "deja", "maintenant", "actuellement", "aujourd", "exactement", "environ",
               "precisement", "desormais", "encore"}  # 'c'est combien maintenant ?': when
ANYONE = {"personnes", "gens", "individus"}  # 'combien de personnes': any people counted
_FRONTED = re.compile(r"^([A-ZÀ-Ý][\wÀ-ÿ'-]+)\s*[,:]")
# a first name and a surname ('Sophie Martin'), each pair of capitalised words in turn
_FULL_NAME = re.compile(r"\b(?=([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?) ([A-ZÀ-Ý][\wÀ-ÿ'-]+))")
# capitalised, not first in a sentence, and not numbered ('Line 15' is a line, no name)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-Ý][\wÀ-ÿ'-]+)(?![\wÀ-ÿ'-]|\s+\d)")


@dataclass
class Places:
    """Communes named in the asking clause, and around it (the asker's context)."""

    asked: list[int] = field(default_factory=list)
    context: list[int] = field(default_factory=list)
    fronted: list[int] = field(default_factory=list)  # 'Pour Ivry, …': a clause of its own
    asking_text: str = ""


@dataclass
class Query:
    text: str
    normalized: str
    intents: set[str]
    positions: list[Position]
    content: list[str]
    numbers: list[float]
    lines: list[str]
    axis_number: int | None
    commune_ids: list[int]
    person_ids: list[int]
    wants_cost: bool
    wants_rate: bool
    superlative: str | None
    expansions: list[str] = field(default_factory=list)  # synonyms the question used
    synonym_topics: list[str] = field(default_factory=list)  # topics its exact synonyms name
    intent: Intent | None = None  # the kind of answer wanted (see main_intent)
    listing: bool = False  # "quels sont les…", "liste", "tous": a list is wanted
    total: bool = False  # "au total", "en tout", "+": a sum is wanted
    comparator: tuple[str, float] | None = None  # ("gt", 20) for "plus de 20"
    wants_number: bool = False  # 'quel objectif chiffré': only a stated number answers
    wants_duration: bool = False  # a length of time asked: an entry stating one first
    meaning_asked: bool = False  # 'que veut dire X': the letters of a sigle spelt out
    counted: str | None = None  # the noun of "combien de X": X must be what is counted
    counted_too: list[str] = field(default_factory=list)  # "combien de X et (de) Y": Y
    where: bool = False  # "où …": a place is wanted
    day_asked: bool = False  # "quel jour", "date exacte": a day, not a month or a year
    communes_asked: bool = False  # "quelles communes …": the answer must name communes
    members_asked: str | None = None  # "quelles piscines …": the answer must name them
    month_asked: tuple[int, int] | None = None  # "en mars 2022": (2022, 3); (2022, 0): the year
    topic: list[str] = field(default_factory=list)  # content words the base knows
    future_year: int | None = None  # a year after everything the base speaks of
    elsewhere: str | None = None  # another territory named ('Est Ensemble')
    years: list[int] = field(default_factory=list)  # 'en 2023' (not 'de 2021 à 2026')
    share_asked: bool = False  # 'combien pour Ivry seulement ?': one place's share
    per_commune: bool = False  # 'la population de chaque commune': one figure per commune
    request: bool = False  # 'réserve une salle': something to do, not to answer
    axes_said: list[int] = field(default_factory=list)  # 'l'axe emploi': named by a title word
    followed: Query | None = None  # the question a fragment was completed from
    unheard_counted: bool = False  # "combien de lignes de bus": the base never says "bus"
    details: list[str] = field(default_factory=list)  # "téléphone", "horaires" asked
    unknown_subject: list[str] = field(default_factory=list)  # a delegation's unknown topic
    delegation: list[str] = field(default_factory=list)  # "délégué au X", "vp X": the X
    answered: list[tuple[str, int]] = field(default_factory=list)  # entries of its answer
    excluded: list[tuple[str, int]] = field(default_factory=list)  # "qui d'autre ?"
    ask: str = ""  # the sentence that asks, as typed (its context left out)


# an opening sentence of thanks or greeting ('Merci beaucoup.'): courtesy, not the subject
_COURTESY = re.compile(r"^\s*(?:merci|bonjour|bonsoir|salut|hello)\b[^.!?;]*(?:[.!;]+(?:\s+|$)|$)",
                       re.IGNORECASE)
_EXCUSE = re.compile(r"^\s*(?:excusez|pardon)\b(?:[-\s]moi)?\s*[,!.]+\s*", re.IGNORECASE)
# a sentence opened by an adverb and a comma ('Concrètement, …', 'Franchement, …'): the
# adverb frames the question, it is not its subject (see Vocabulary._adverb_dropped)
_OPENING_ADVERB = re.compile(r"(^|[.!?:]\s+)\w+ment\s*,\s*")
# a '-ment' word after another word ('composé officiellement', 'gère réellement les') …
_INNER_ADVERB = re.compile(r"(?<=\w)(\s+)(\w{5,}ment)\b")
# … is an adverb unless an article or preposition makes it a noun ('du stationnement')
_NOUN_MARKERS = frozenset("""le la les l du de des d au aux un une mon ma mes ton ta tes son sa
    ses notre nos votre vos leur leurs ce cet cette ces en par pour sur sans avec dans a""".split())


_GREETING_WORD = re.compile(r"^\s*\w+\s*[,!.]*\s*")
# 'ma commune', 'nos habitants': the asker's own place is what is asked about
_OWN_PLACE = re.compile(r"\b(?:ma|mon|notre|nos|mes) (?:commune|ville|habitants|administres)\b"
                        r"|\b(?:chez|pour) nous\b")


def axis_number(match: re.Match | None) -> int | None:
    """'axe 2', 'axe deux', '2e axe', 'deuxième axe' → 2."""
    if match is None:
        return None
    word = next(g for g in match.groups() if g)
    return _ORDINALS.get(word) or int(re.sub(r"\D", "", word))


def main_intent(intents: set[str], normalized: str, numbers: list[float],
                asking: str = "") -> Intent | None:
    """The kind of answer wanted; an explicit 'quand' beats a 'qui' (`asking`: the asking
    words, a relative 'qui' removed: 'le nombre qui marque : combien d'élus ?')."""
    words = set(normalized.split())
    if Intent.DEFINE in intents and intents & {Intent.WHEN, Intent.PRIORITY} and not (
            _STRONG_DEFINE.search(normalized)):  # 'c'est quoi les étapes / la priorité'
        intents = intents - {Intent.DEFINE}
    if Intent.WHO in intents and Intent.WHEN in intents:
        return Intent.WHEN if words & {"quand", "when", "date", "annee", "mois"} else Intent.WHO
    if Intent.WHO in intents and Intent.FIGURE in intents and not set(
            (asking or normalized).split()) & {"qui", "who"}:
        return Intent.FIGURE  # "combien d'élus…" counts officials, it doesn't name one
    for intent in (Intent.DEFINE, Intent.WHO, Intent.WHEN, Intent.FIGURE, Intent.AXIS,
                   Intent.HOW, Intent.PRIORITY):
        if intent in intents:
            return intent
    return Intent.FIGURE if numbers else None


def _is_detail(word: str) -> bool:
    return word in DETAIL_WORDS or word.rstrip("sx") in DETAIL_WORDS


def _said_as(phrase: str, wanted: list[str], text: str, lemmas: list[str]) -> str | None:
    """How a synonym's phrase is said in the text (`wanted`, `lemmas`: the phrase's and the
    text's words' lemmas): as written, or inflected ('apprendre à nager' said 'apprennent à
    nager'); None if not."""
    if f" {phrase} " in f" {text} ":
        return phrase
    for start in range(len(lemmas) - len(wanted) + 1):
        if lemmas[start:start + len(wanted)] == wanted:
            return " ".join(text.split()[start:start + len(wanted)])
    return None


# what follows an asking 'qui' ('natation qui s'en occupe', 'le PLUi qui le porte', 'qui est')
_IN_CHARGE = frozenset({"s", "se", "en", "le", "la", "les", "l", "lui", "est", "sont", "gere",
                        "gerent", "suit", "suivent", "pilote", "pilotent", "occupe", "occupent",
                        "soccupe", "dirige", "anime", "coordonne", "mene", "fait", "va",
                        "tient", "tiennent", "decide", "preside", "represente"})
# a question answered by yes or no: 'est-ce que …', 'y a-t-il', '… s'occupe-t-elle …',
# 'est-il prévu', 'c'est bien X qui'
YES_NO = re.compile(r"^est ce qu|\b(?:y a|est ce|\w+ t (?:il|elle|ils|elles|on)|(?:sont|ont|va"
                    r"|vont|peut|peuvent|doit|existe) (?:il|elle|ils|elles|on)|prevue?s?"
                    r"|envisagee?s?)\b"
                    r"|(?<!qui )\b(?:est|a|suit|gere) (?:il|elle|ils|elles|on)\b"
                    r"|(?<!quel )(?<!quelle )(?<!qui )\best (?:bien )?(?:\w+ ){1,3}qui\b")
PRESIDENT_TITLES = {"president", "presidente"}
# words and the gaps between them, to join two words typed apart (« con servatoire »)
_WORD_OR_GAP = re.compile(r"\w+|\W+")
# the office alone or of the territory; group 1: the body he would head otherwise
_PRESIDENT = re.compile(r"\bpresidente?\b(?: (?:de|du|des|d) (?:la |l )?(\w+))?")
_AXIS_WORDS = {"axe", "axes", "axis"}
_OWN_BODY_WORDS = {"ept", "territoire", "conseil", "gosb", "grand"}
_SENTENCES = re.compile(r"[?!.;]+")  # where a sentence ends
_FIRST_PERSON = re.compile(r"(?:je|j|nous|on)\b")  # a clause the asker tells of themselves
_OF = frozenset({"de", "du", "des"})  # a noun's complement: 'discours de rentrée'
# 'au point 2', 'n° 4', 'page 12', 'le 12 juin': a number that labels, not a quantity
_LABEL_NUMBER = re.compile(r"\b(?:point|n|no|numero|page|article|chapitre|question)\s+\d+\b"
                           r"|\b\d{1,2}(?:er)?(?= (?:" + "|".join(MONTHS) + r")\b)")
_IN_MONTH = re.compile(r"\b(?:en|pour|au cours de|durant|pendant) (?:(" + "|".join(MONTHS)
                       + r") )?((?:19|20)\d\d)\b")


def _month_asked(normalized: str) -> tuple[int, int] | None:
    """'en mars 2022' → (2022, 3); 'en 2022' → (2022, 0)."""
    match = _IN_MONTH.search(normalized)
    if match is None:
        return None
    month = MONTHS.index(match.group(1)) + 1 if match.group(1) else 0
    return int(match.group(2)), month


def _dictionary_words(question: str) -> frozenset[str]:
    """The question's words a French dictionary lists (as typed, accents help), folded."""
    return frozenset(fold(w) for w in re.findall(r"\w+", question.lower())
                     if len(w) > 3 and simplemma.is_known(w, lang="fr"))


def _adjective_counted(normalized: str, counted: re.Match[str]) -> list[str]:
    """'combien de grandes opérations': a figure of 'grands projets' may count them too
    (the adjective is the label's own word)."""
    before = normalized[counted.start():counted.start(1)].split()
    return before[-1:] if before and _PREPOSED_WORD.fullmatch(before[-1]) else []


def _complements(text: str, words: frozenset[str]) -> set[str]:
    """Those of `words` that complement a noun ('la baisse des coûts', 'la hausse des
    prix'): the topic of that noun, not what the question asks ('quel coût ?')."""
    tokens = text.split()
    return {w for i, w in enumerate(tokens) if w in words and i >= 2
            and tokens[i - 1] in ("des", "du", "de") and tokens[i - 2] not in STOP_WORDS
            and tokens[i - 2] not in INTENT_WORDS}


def _english_words(question: str) -> frozenset[str]:
    """In a question with English grammar words ('the', 'which'), its English words no
    French dictionary lists, as typed ('handles'; 'éducation' is French), folded."""
    words = re.findall(r"\w+", question.lower())
    if not any(w in ENGLISH_GRAMMAR and is_english(w) for w in words):
        return frozenset()
    return frozenset(fold(w) for w in words if is_english(w))


def _who_unasked(text: str) -> str:
    """'avec qui' asks for a partner (no 'who' of the base), unless to talk with them;
    'ma question porte sur …' says what it is about, it asks no one who carries it; and
    'présenté aux élus' says to whom, it asks none."""
    text = _TO_OFFICIALS.sub(" ", _BEARS_ON.sub(" ", text))
    return text if _TALK.search(text) else _PARTNER.sub(" ", text)


_SUBJECT_PRONOUNS = {"on", "il", "elle", "ils", "elles", "je", "j", "tu", "nous", "vous"}
_OTHER_ASKS = {"qui", "quel", "quelle", "quels", "quelles", "lequel", "laquelle", "combien",
               "comment", "ou"}


def _conjunction_quand_removed(text: str) -> str:
    """'Quel élu joindre quand on a un souci de logement ?': a 'quand' before a pronoun,
    in a question another word asks, says when one asks, it does not ask when."""
    words = text.split()
    if not _OTHER_ASKS & set(words):
        return text
    return " ".join(w for i, w in enumerate(words) if not (
        w == "quand" and i + 1 < len(words) and words[i + 1] in _SUBJECT_PRONOUNS))


_DEMONSTRATIVES = frozenset({"celui", "celle", "ceux", "celles"})  # 'celui qui …' is relative


def _relative_qui_removed(text: str) -> str:
    """'que prévoit-on pour les communes qui montent un projet ?': a 'qui' after a noun,
    in a question another word asks, is a relative pronoun (after 'c'est', 'à', 'pour',
    first, or alone to ask — 'natation qui s'en occupe' — it asks who)."""
    words = text.split()
    relative = [i for i, w in enumerate(words) if w == "qui" and i > 0 and (
        words[i - 1] not in STOP_WORDS or words[i - 1] in _DEMONSTRATIVES)]
    if not any(w in INTENT_WORDS for w in words if w != "qui") and YES_NO.search(text):
        # a yes/no question: a 'qui' after a noun tells of it when no verb of being in
        # charge follows ('les réverbères qui grésillent, un plan est-il prévu ?')
        relative = [i for i in relative if i + 1 < len(words)
                    and words[i + 1] not in _IN_CHARGE | STOP_WORDS
                    and INTENT_WORDS.get(words[i + 1]) is None]
    elif not any(INTENT_WORDS.get(w, "who") != "who" for w in words):
        return text  # 'l'élu de X qui …': who is asked anyway
    if not relative:
        return text
    return " ".join(w for i, w in enumerate(words) if i not in relative)


def _possessives_quoted(match: re.Match[str]) -> str:
    """« mon logement est insalubre », quoted from a resident: their home is the subject,
    not the asker's own situation (which 'mon' outside quotes is)."""
    return _QUOTED_POSSESSIVE.sub(lambda m: _ARTICLE_FOR[m.group(0).lower()], match.group(0))


def _ask_sentence(text: str) -> str:
    """The sentence that asks ('Je prépare une note au Maire. Quel élu suit X ?' → the
    second): the last one with a question mark, else with an asking word or a polite
    request ('Dites-moi …'), else all."""
    sentences = [s for s in re.split(r"(?<=[.!?])(?<!\bM\.)(?<!\bMM\.)\s+", text.strip())
                 if s.strip()]  # 'M. Decrouy' goes on
    asking = ([s for s in sentences if "?" in s]
              or [s for s in sentences if _ASKS.search(said := normalize(s))
                  or _REQUESTS.search(said)])
    found = asking[-1] if asking else text
    at = sentences.index(found) if found in sentences else 0
    if at and len(normalize(found).split()) <= 3 and not _ASKS.search(normalize(found)):
        found = f"{sentences[at - 1]} {found}"  # 'On dit que X. Exact ?': the claim asks
    head, colon, tail = found.rpartition(" : ")  # 'j'ai besoin d'un chiffre : combien de …'
    return tail if colon and len(tail.split()) >= 3 and _ASKS.search(normalize(tail)) else found


def proper_nouns(text: str) -> list[str]:
    """Capitalised words not starting a sentence: names of people, places, organisations;
    and a name put first ('Massy, quel chiffre ?') that no French dictionary knows."""
    text = text.strip()
    fronted = _FRONTED.match(text)
    first = ([fronted.group(1)] if fronted and not simplemma.is_known(fronted.group(1).lower(),
                                                                       lang="fr") else [])
    return first + [w for w in _CAPITALISED.findall(text) if (not w.isupper() or len(w) > 1)
                    and w.lower() not in ENGLISH_GRAMMAR]  # 'What', 'Where': no names


def _only_kind(name: str) -> bool:
    """'Priorités 2021-2026': a kind of entry and a period, no name of its own."""
    return all(w in KIND_WORDS or w in STOP_WORDS or w.isdigit() for w in name.split())


def _comparator(normalized: str) -> tuple[str, float] | None:
    """'plus de 20' → ('gt', 20); 'moins de 5' → ('lt', 5); 'un seul' → ('eq', 1)."""
    match = _COMPARATOR.search(normalized)
    if match is None:
        return None
    if match.group(3):
        return ("eq", 1.0)
    word, value = match.group(1), float(match.group(2))
    if word in ("plus", "au dela", "au dessus", "superieur"):
        return ("gt", value)
    if word == "au moins":
        return ("ge", value)
    return ("lt", value)


def close_to_any(word: str, names: set[str]) -> bool:
    return any(fuzz.ratio(word, name) >= COMMUNE_FUZZY for name in names)


class Vocabulary:
    """What the parser knows of the knowledge base (rebuilt on each reload)."""

    def __init__(self, view: KnowledgeView, synonyms: list[models.Synonym],
                 index: FuzzyIndex) -> None:
        self.view = view
        self.index = index
        self._said = " ".join(f" {normalize(text)} " for doc in index.docs
                              for text, _ in doc.fields)  # to tell a phrase from a bag
        self._runs: dict[str, list[list[str]]] = {}
        self._joined: dict[str, str] = {}  # two words typed apart → the base's word, or ''
        self._words: dict[str, str] = {}  # a word as typed → normalised
        self._by_length: dict[int, list[str]] = {}  # see _near_lengths
        # the other territories no entry names, each with its words (read once per base)
        named = {name: _WORD.findall(fold(name.removeprefix("la "))) for name in OTHER_TERRITORIES}
        self.other_territories = [(name, words) for name, words in named.items()
                                  if f" {' '.join(words)} " not in self._said]
        self._build_synonyms(synonyms)
        self._build_entities()
        self._build_domain_words()
        # the words a misspelt one is written as: the base's, its synonyms', the asking ones
        self._spelling_words = frozenset(
            w for w in [*index.word_terms, *(w for t in self.synonyms for w in t.split()),
                        *(w for t in INTENT_WORDS for w in t.split()), *KIND_WORDS, *ROLE_WORDS]
            if w.isalpha() and len(w) >= 4)
        self._spelling_list = sorted(self._spelling_words)
        self._corrections: dict[str, str] = {}  # a word as typed → its spelling, or ''

    def _build_synonyms(self, synonyms: list[models.Synonym]) -> None:
        self.synonyms: dict[str, list[str]] = defaultdict(list)
        self.pinned: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for syn in synonyms:
            term = normalize(syn.term)
            if not term:
                continue
            if syn.expansion:
                self.synonyms[term].append(normalize(syn.expansion))
                if " " not in term and stem(term) != term:
                    self.synonyms[stem(term)].append(normalize(syn.expansion))
            if syn.entity and syn.entry_id is not None:
                self.pinned[term].append((syn.entity, syn.entry_id))
        self.single_synonyms = [t for t in self.synonyms if " " not in t]
        self.learned_words: frozenset[str] = frozenset()  # see with_learned
        self.common_words = sorted({*STOP_WORDS, *INTENT_WORDS, *GENERIC_WORDS})
        self._expansions: dict[str, list[str]] = {}
        self._owners: dict[str, set[int]] = {}
        self.phrase_terms = sorted(
            (t for t in {*self.synonyms, *self.pinned} if " " in t), key=len, reverse=True
        )
        self.phrase_lemmas = {t: [dictionary_form(w) for w in t.split()]
                              for t in self.phrase_terms}
        # 'école de musique' → conservatoires, by the stem of its head noun ('ecol'): what
        # a counted noun said with its complement stands for
        self.phrases_by_head: dict[str, list[tuple[set[str], list[str]]]] = defaultdict(list)
        for term in self.phrase_terms:
            if term in self.synonyms:
                words = {stem(w) for w in term.split() if w not in STOP_WORDS}
                self.phrases_by_head[stem(term.split()[0])].append((words, [
                    e for e in self.synonyms[term] if " " not in e]))  # a noun, not a topic

    def with_learned(self, lexicon: dict[str, str]) -> Vocabulary:
        """A copy that also reads the words learned from labelled questions
        (knowledge/lexicon.py) as synonyms, where no hand-written synonym stands."""
        learned = copy.copy(self)
        learned.synonyms = defaultdict(list, {t: list(e) for t, e in self.synonyms.items()})
        for word, expansion in lexicon.items():
            if word not in learned.synonyms:
                learned.synonyms[word].append(expansion)
        # a learned word is read as written, never as a typo: the words near it were seen
        # in the labelled questions too, and not learned ('écrit' is not 'écris')
        learned.learned_words = frozenset(lexicon) - set(self.synonyms)
        learned._expansions, learned._owners = {}, {}
        return learned

    def said_for(self, noun: str, normalized: str) -> list[str]:
        """The noun a synonym of several words the question uses for `noun` stands for
        ('combien d'écoles de musique' → conservatoires; not a topic: 'permis de construire'
        → 'PLUi règles d'urbanisme')."""
        said = {stem(w) for w in normalized.split()}
        return [w for words, expansion in self.phrases_by_head.get(stem(noun), [])
                if words <= said for w in expansion]

    def _build_entities(self) -> None:
        view = self.view
        self.commune_names: list[tuple[str, int]] = []
        for commune in view.communes.values():
            for name in {commune.name, *commune.variants}:
                folded = normalize(name)
                if folded:
                    self.commune_names.append((folded, commune.id))
        self.commune_names.sort(key=lambda item: -len(item[0]))
        self.commune_windows: dict[int, dict[str, list[tuple[str, int]]]] = defaultdict(
            lambda: defaultdict(list))
        self.communes_by_first_word: dict[str, list[int]] = defaultdict(list)
        for name, commune_id in self.commune_names:
            if len(name) >= 5:
                self.commune_windows[len(name.split())][name[0]].append((name, commune_id))
            first, _, rest = name.partition(" ")
            if rest and commune_id not in self.communes_by_first_word[first]:
                self.communes_by_first_word[first].append(commune_id)
        self.places = {frozenset(stem(p) for p in name.split() if p not in STOP_WORDS)
                       for name, _ in self.commune_names}
        names = [(f.title, ("fact", f.id)) for f in view.facts.values()]
        names += [(p.name, ("project", i)) for i, p in enumerate(view.projects)]
        names += [(p.title, ("person", p.id)) for p in view.people.values()]
        # for a 'qui …', each several-word part of a delegation names its holder
        self.delegations_by_first_word: dict[str, list[tuple[str, tuple[str, int]]]] = (
            defaultdict(list))
        for person in view.people.values():
            for part in re.split(r",| et ", person.delegation):
                words = normalize(part).split()
                if len([w for w in words if w not in STOP_WORDS]) >= 2:
                    self.delegations_by_first_word[words[0]].append(
                        (" ".join(words), ("person", person.id)))
        names += [(a.short_title, ("axis", a.id)) for a in view.axes.values()]
        self.entry_names = [(normalize(name), key) for name, key in names
                            if len(normalize(name)) >= 2 and not _only_kind(normalize(name))]
        self.projects_by_stem: dict[str, list[int]] = defaultdict(list)
        for i, project in enumerate(view.projects):
            for part in {stem(t) for t in normalize(project.name).split()}:
                self.projects_by_stem[part].append(i)
        self.names_by_first_word: dict[str, list[tuple[str, tuple[str, int]]]] = defaultdict(list)
        for name, key in self.entry_names:
            self.names_by_first_word[name.split()[0]].append((name, key))
        self.numbers_own: dict[str, list[int]] = defaultdict(list)
        self.numbers_around: dict[str, list[int]] = defaultdict(list)
        for figure in view.figures.values():
            for n in numbers_in(normalize(figure.value)):
                self.numbers_own[number_key(n)].append(figure.id)
            for n in numbers_in(normalize(f"{figure.label} {figure.context}")):
                self.numbers_around[number_key(n)].append(figure.id)
        # the offices the base's officials hold ('président', 'conseiller délégué')
        self.title_stems = {stem(w) for p in view.people.values()
                            for w in normalize(p.title).split()}
        self.person_stems = {p.id: {stem(w) for w in normalize(
            f"{p.title} {p.delegation or ''} {' '.join(p.keywords)}").split()}
            for p in view.people.values()}  # what each official is in charge of
        self.delegation_stems = set().union(*self.person_stems.values())
        self.surnames: list[tuple[str, int]] = []
        for person in view.people.values():
            for part in normalize(person.name).split():
                if len(part) >= 4 and part not in STOP_WORDS:
                    self.surnames.append((part, person.id))
        self.name_parts = frozenset(part for part, _ in self.surnames)
        self.president_ids = [p.id for p in view.people.values()
                              if normalize(p.title) in PRESIDENT_TITLES]

    def _build_domain_words(self) -> None:
        """Word lists that depend on this base, derived from its entries."""
        view = self.view
        labels = {fig["label"] for c in view.communes.values() for fig in c.figures}
        # words that ask for a commune's own figures: those of their labels ("bénéficiaires")
        self.commune_figure_stems = {stem(t) for label in labels
                                     for t in tokens(normalize(label)) if not t.isdigit()}
        self.commune_figure_stems |= FIGURE_WORDS
        # the lines the communes' figures are given for ('ligne 14'): 'sur la 14' names one
        self.line_numbers = {n for label in labels
                             for n in re.findall(r"\bligne (\d+)", normalize(label))}
        # what a "which commune has the most …" question may rank communes by
        others = {stem(t) for f in view.figures.values() for t in tokens(normalize(f.label))}
        self.ranking_stems = (self.commune_figure_stems - FIGURE_WORDS - others) | COMMUNE_WORDS
        # years that name a period the base speaks of ("priorités 2021-2026"): not figures
        self.period_years: set[int] = set()
        for text in view.all_texts():
            for start, end in _PERIOD.findall(fold(text)):
                if int(start) < int(end) <= int(start) + 20:
                    self.period_years.update(range(int(start), int(end) + 1))
        # the words entries are named and filed by (keywords, themes, titles, delegations)
        self.label_stems = self.delegation_stems | {stem(t) for text in [
            *(f"{p.theme} {' '.join(p.keywords)}" for p in view.priorities.values()),
            *(f"{f.title} {' '.join(f.keywords)}" for f in view.facts.values()),
            *(f"{f.label} {' '.join(f.keywords)}" for f in view.figures.values()),
            *(f"{p.name} {' '.join(p.keywords)}" for p in view.projects)]
            for t in tokens(normalize(text))}
        self.frame_words = self._frame_words()
        self.named_with_asks = self._named_with_asks()
        self.frame_starts = {f[:k] for f in self.frame_words for k in range(5, len(f) + 1)}
        self.axis_title_stems = {a.id: {stem(w) for w in normalize(f"{a.title} {a.short_title}")
                                        .split() if w not in STOP_WORDS and not self.is_frame(w)}
                                 for a in view.axes.values()}
        years = [m.start.year for p in view.projects for m in p.milestones]
        years += [int(y) for text in view.all_texts() for y in re.findall(r"\b20\d\d\b", text)]
        self.latest_year = max([*years, *self.period_years] or [0])

    def _named_with_asks(self) -> list[tuple[str, str]]:
        """Names of entries with a 'who' word after their head ('Séminaire des élus',
        'gestion responsable'), and the same names without it: said in a question, the
        name does not ask 'who'."""
        names = [normalize(re.sub(r"\d", " ", t)) for t in [
            *(f.title for f in self.view.facts.values()),
            *(p.theme for p in self.view.priorities.values())]]
        for label in (normalize(f.label) for f in self.view.figures.values()):
            words = label.split()  # 'Ateliers élus au Lavoir…': its head, to the who-word
            heads = [i for i, w in enumerate(words[1:4], 1) if INTENT_WORDS.get(w) == "who"]
            names += [" ".join(words[:heads[0] + 1])] if heads else []
        found = []
        for name in dict.fromkeys(n for n in names if len(n.split()) > 1):
            words = name.split()
            kept = [words[0], *(w for w in words[1:] if INTENT_WORDS.get(w) != "who")]
            if len(kept) < len(words):
                found.append((f" {name} ", f" {' '.join(kept)} "))
        return found

    def _frame_words(self) -> set[str]:
        """The words by which the base names its own scope: the glossary entries of its
        period ('Priorités 2021-2026') and of its institution (the acronym its texts cite
        most, 'EPT', with the territory's name among its keywords). They frame a question
        ('les priorités du mandat en matière de X') rather than say what it is about."""
        facts = list(self.view.facts.values())
        texts = [*self.view.all_texts(), *(t for p in self.view.priorities.values()
                                           for t in [*p.items, *p.findings])]
        acronyms = Counter(w for text in texts for w in re.findall(r"\b[A-Z]{2,}\b", text))
        titled = {normalize(f.title): f for f in facts}
        named = [titled[a.lower()] for a, _ in acronyms.most_common() if a.lower() in titled][:1]
        named += [f for f in facts if _PERIOD.search(fold(f.title))]
        # the territory's own name ('Grand-Orly Seine Bièvre') is no commune ('Orly')
        self.scope_facts = {f.id for f in named}
        self.scope_names = sorted({normalize(k) for f in named for k in f.keywords
                                   if len(normalize(k).split()) > 1}, key=len, reverse=True)
        return {w.rstrip("s") for f in named
                for w in normalize(f"{f.title} {' '.join(f.keywords)}").split()
                if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()}

    def is_frame(self, word: str) -> bool:
        """'mandat' frames the question (the base says 'mandature'): a frame word or its
        start, whole words only ('sein' is not 'Seine')."""
        root = word.rstrip("s")
        return len(root) > 2 and (root in self.frame_words or root in self.frame_starts)

    def framed(self, positions: list[Position]) -> list[Position]:
        """Frame words count FRAME_WEIGHT when another word of the question is a topic."""
        frames = [all(self.is_frame(c) for c in p.candidates) for p in positions]
        if not any(frames) or not any(not frame and any(self.is_topic(c) for c in p.candidates)
                                      for p, frame in zip(positions, frames, strict=True)):
            return positions
        return [replace(p, weight=p.weight * FRAME_WEIGHT) if frame else p
                for p, frame in zip(positions, frames, strict=True)]

    # ------------------------------------------------------------------ parsing
    def parse(self, question: str, previous: Query | None = None) -> Query:
        """The question understood; a fragment after `previous` ('et pour Orly ?')
        takes from it what it lacks."""
        share_asked = bool(_SHARE.search(fold(question)))  # before '-ment' words are dropped
        question = digits_for_words(question[:MAX_QUESTION_CHARS])
        question = self._typos_corrected(self._split_words_joined(question))  # as spelt
        question = self._courtesy_removed(self._someone_else(question))
        question = _QUOTED.sub(_possessives_quoted, question)
        normalized = normalize(question)
        folded = fold(question)
        subject_text = _IN_WHICH_PLACE.sub(" ou ", _HEDGE.sub(" ", _POLITE.sub(" ", _REPORTED.sub(
            " ", _APART.sub(" ", _ASKER.sub(" ", _TRAILING_PURPOSE.sub(" ?", folded)))))))
        subject = normalize(subject_text)
        english = _english_words(question)
        delegation = [word for sentence in _SENTENCES.split(subject_text)  # 'X ? on …'
                      for word in self._delegation(normalize(sentence), english)]
        ask = _ask_sentence(question)  # the sentence that asks, not its context
        ask_text = normalize(ask)
        asking = _conjunction_quand_removed(_relative_qui_removed(_who_unasked(
            re.sub(r"\bce qu[ie]\b", " ", normalize(_ASKER.sub(" ", _PURPOSE_CLAUSE.sub(
                " ", fold(ask))))))))  # '…, pour que je prépare le rendez-vous' asks no date
        padded = f" {asking} "  # the relative "ce qui" asks no "who"
        for name, unasked in self.named_with_asks:  # 'le séminaire des élus' asks no 'who'
            padded = padded.replace(name, unasked)
        intents = {Intent(intent) for word, intent in INTENT_WORDS.items()
                   if f" {word} " in padded}
        if set(NAMING_VERBS) & set(padded.split()) and ROLE_WORDS & set(padded.split()):
            intents = intents - {Intent.DEFINE} | {Intent.WHO}  # 'comment s'appelle le DGS ?'
        if _DUE_IN.search(padded) or _DAY_ASKED.search(padded):  # 'c'est pour 2022 ?',
            intents.add(Intent.WHEN)  # 'le jour exact de …': a date is asked or checked
        if normalized.startswith(("est ce que ", "est quoi ")) and not intents & {
                Intent.HOW, Intent.PRIORITY}:  # "qu'est-ce…", not "qu'est-ce qu'on prévoit"
            intents.add(Intent.DEFINE)
        lines = [n for m in _LINES.finditer(normalized)
                 for n in [m.group(1), *re.findall(r"\d+", m.group(2))]]
        lines += [n for n in _LINE_BY_ARTICLE.findall(normalized)  # 'sur la 14'
                  if n in self.line_numbers and n not in lines]
        lines += [n for pair in _LINE_PAIR.findall(normalized) for n in pair  # 'la 14 ou la 15'
                  if n in self.line_numbers and n not in lines]
        lines += [n for n in _LINE_CONTINUED.findall(normalized)  # '… et la 14'
                  if lines and n in self.line_numbers and n not in lines]
        axis_match = AXIS_NAMED.search(normalized)
        comparator = _comparator(normalized)
        masked = _LABEL_NUMBER.sub(" ", _COMPARATOR.sub(" ", AXIS_NAMED.sub(" ", _LINES.sub(
            " ", subject))))
        numbers = [n for n in numbers_in(masked) if n not in self.period_years]
        dictionary = _dictionary_words(question)
        places, positions, content, rest = self._clauses(subject_text, dictionary, english)
        positions = self.framed(positions)
        asker_places = [c for m in _ASKER.finditer(folded)
                        for c in self._find_communes(normalize(m.group()))[0]]
        commune_ids = self._communes_asked(places, asker_places, lines, rest)
        person_ids = self._find_people(rest, dictionary)
        if not person_ids and "presiden" in normalized:  # 'est-ce le président qui …'
            person_ids = self._president_checked(question)
        if not person_ids and set(ask_text.split()) & _PERSON_PRONOUNS:  # 'une réunion avec
            named = self._find_people(normalized, dictionary)  # X. Que fait-
            person_ids = named if len(named) == 1 else []  # elle ?': X, named before
        asked = set(rest.split()) & set(places.asking_text.split())  # the asking clause
        asked -= _complements(places.asking_text, COST_WORDS)  # 'maîtrise des coûts': a topic
        counted = _COUNTED.search(normalized)
        if counted:  # 'combien de communes compte l'EPT': the verb of counting is no topic
            positions = [p for p in positions if not set(p.candidates) & COUNTING_VERBS]
        relative = bool(_RELATIVE_WHERE.search(ask.lower()) and _OTHER_ASK.search(ask_text))
        where = bool(_WHERE.search(ask.lower()) or _WHERE.search(ask_text)
                     or _WHERE_UNACCENTED.match(ask_text)) and not (
            relative or _HOW_FAR.search(normalized) is not None or "en est ou" in normalized
            or _WHERE_TO_READ.search(normalized)  # 'où les consulter ?': online will do
            or len(set(lines)) > 1  # 'la 14 ou la 15 : où y en a-t-il le plus ?': a line
            or _ORIGIN.search(ask.lower()) is not None)  # 'd'où viennent …': a source
        if where:  # 'il s'est passé où ?': the event's verb names no topic ('Pass-Piscine')
            positions = [p for p in positions if p.candidates[0] not in _HAPPENED] or positions
        reading = _WHERE_TO_READ.search(normalized)  # 'où les consulter ?': how, not what
        if reading:
            verb = reading.group().split()[-1]
            positions = [p for p in positions if p.candidates[0] != verb] or positions
        intent = main_intent(intents, normalized, numbers, asking)
        axes_said = self._axes_said(normalized)
        if intent is None and Intent.AXIS not in intents and axes_said:
            intent = Intent.AXIS  # 'résumer l'axe solidarités : ses grands chantiers ?'
            intents = intents | {Intent.AXIS}
        if _BELONGS.search(ask_text) and intent in (Intent.PRIORITY, None):
            intent = Intent.AXIS  # 'X dépend de quelle priorité ?': where X is filed
            intents = (intents | {Intent.AXIS}) - {Intent.PRIORITY}  # no list of priorities
        if intent == Intent.AXIS:  # 'dans quel axe prioritaire est rangé X': X is the topic
            placing = _PLACING.union(*(words for words, said in _PLACED_BY
                                       if said.search(normalized)))
            positions = [p for p in positions if not set(p.candidates) & placing] or positions
        if where and intent == Intent.WHO and not {"qui", "who"} & set(normalized.split()):
            intent = None  # "où se sont réunis les élus": a place, not a person
        query = Query(
            intent=intent,
            text=question, normalized=normalized, intents=intents, positions=positions,
            content=content, numbers=numbers, lines=list(dict.fromkeys(lines)),
            axis_number=axis_number(axis_match),
            commune_ids=commune_ids, person_ids=person_ids,
            expansions=[e for w in rest.split() for e in self.expansions_of(w)],
            synonym_topics=[t for w in rest.split() for e in self.synonyms.get(w, [])
                            for t in normalize(e).split() if self.is_topic(t)],
            wants_cost=any(w in COST_WORDS or MONEY_UNIT.fullmatch(w) or (
                w in AMOUNT_WORDS and intent in (None, Intent.FIGURE, Intent.DEFINE))
                for w in asked),
            # 'budget, qui ?' asks a person; 'c'est quoi le budget', '300 € ?' an amount
            wants_rate=any(w in RATE_WORDS for w in asked) or bool(
                re.search(r"\b(?:quelle part|what share)\b", ask_text)),
            meaning_asked=bool(_MEANING.search(normalized)),
            wants_duration=bool(_DURATION.search(ask_text)),
            wants_number=bool(_NUMBER_ASKED.search(ask_text)) and not (
                counted and self._counted(counted.group(1))),
            superlative="min" if SUPERLATIVE_MIN.search(ask_text)
            else "max" if SUPERLATIVE_MAX.search(ask_text) else None,
            listing=bool(_LISTING.search(ask_text)),
            total=bool(_TOTAL.search(fold(question))),
            comparator=comparator,
            counted=self._counted(counted.group(1)) if counted else next(
                (w for w in normalized.split() if w in _UNITS), None),  # 'km de pistes ?'
            counted_too=[*(self.unelided(w) for w in _COUNTED_TOO.findall(
                normalized[counted.end():])[:1]), *_adjective_counted(normalized, counted)
                         ] if counted else [],
            where=where,
            day_asked=bool(_DAY_ASKED.search(normalized)),
            communes_asked=bool(_COMMUNES_ASKED.search(ask_text)),
            members_asked=next((g for m in _MEMBERS_ASKED.finditer(ask_text)
                                for g in m.groups() if g), None),
            month_asked=_month_asked(normalized),
            topic=[w for w in content if self.is_topic(w)],
            future_year=self._future_year(normalized, numbers),
            elsewhere=self._elsewhere(folded),
            share_asked=share_asked,
            per_commune=bool(_PER_COMMUNE.search(normalized)),
            request=bool(_REQUEST.search(folded)),
            years=[int(y) for y in YEAR.findall(_SINCE.sub(" ", _PERIOD.sub(" ", folded)))],
            axes_said=axes_said,
            unheard_counted=bool(counted and counted.group(2)
                                 and self.unheard(counted.group(2))),
            unknown_subject=[w for w in delegation if self.unknown_word(w)],
            delegation=delegation,
            details=self._details(content, folded, ask_text, english, self.name_parts),
            ask=ask,
        )
        if previous is not None and self.is_fragment(query):
            return self.follow(query, previous)
        if previous is not None and normalized.startswith("et ") and query.intent is None:
            return replace(query, intent=previous.intent)  # "et le PLUi ?" after a "qui …"
        return query

    def _delegation(self, subject: str, english: frozenset[str]) -> list[str]:
        """The X of 'délégué au X', 'vp X': not a verb ('chargé d'accompagner …', 'VP
        oversees …') nor the territory itself ('vp au territoire pour …'); 'who is the X'
        names an office, in English too."""
        return [word for m in _DELEGATION.finditer(subject)  # 'lagriculture': l'agriculture
                if not is_infinitive(word := self._head_or_complement(
                    self.unelided(m.group(m.lastindex)), subject[m.end():]))
                and not (m.lastindex == 1 and word in english)
                and not self.is_frame(word) and word != "territoire"
                and word not in STOP_WORDS]  # 'référente sur ce sujet' names no office

    def _head_or_complement(self, word: str, after: str) -> str:
        """'chargée du retour des chômeurs à l'emploi': when the base lacks the head word
        but knows the word that follows it, that word names the office ('emploi'); else the
        head word itself."""
        complement = _COMPLEMENT.match(after)
        if complement and self.unknown_word(word) and not self.unknown_word(
                known := self.unelided(complement.group(1))) and known not in STOP_WORDS \
                and known != "territoire" and not self.is_frame(known):  # 'X au territoire'
            return known
        return word

    def _axes_said(self, normalized: str) -> list[int]:
        """The axes the question names by a word of their title after 'axe' ('l'axe
        solidarités', 'l'axe de l'emploi'): the asker named them, not only the topic."""
        said = {stem(m.group(1)) for m in AXIS_WORD.finditer(normalized)}
        return [a for a, title in self.axis_title_stems.items() if said & title]

    def _counted(self, word: str) -> str | None:
        """The noun of 'combien de X'; 'delus' is 'd'élus' typed without its apostrophe."""
        word = self.unelided(word)
        if word in ANYONE:
            return "personnes"
        if word in NOT_COUNTED or word in STOP_WORDS or word.isdigit():
            return None
        return word

    def unelided(self, word: str) -> str:
        """'delus', 'lhabitat': an elided article typed without its apostrophe, when the
        rest is a word the base knows and the whole is not, nor a French word ('serait')."""
        if (len(word) > 4 and word[0] in "dlnst" and word[1] in "aeiouhy"
                and self.unheard(word) and not self.unheard(word[1:])
                and not simplemma.is_known(word, lang="fr")):
            return word[1:]
        return word

    @staticmethod
    def _details(content: list[str], folded: str, ask_text: str,
                 english: frozenset[str] = frozenset(),
                 names: frozenset[str] = frozenset()) -> list[str]:
        """Kinds of detail asked ('téléphone', 'parti'), not the asker's own ('mon maire'),
        nor a verb ('m'adresser'), nor a French adjective after its noun ('volume horaire';
        'political party' is English; 'Labrousse mail ?' names an official first)."""
        words = normalize(folded).split()
        pairs = list(zip(words, words[1:], strict=False))
        own = {b for a, b in pairs if a in POSSESSIVES}
        clauses = [normalize(part).split() for part in re.split(r"[,:;?!(]", folded)]
        pairs = [pair for clause in clauses  # 'Leprêtre : âge ?' is no noun and adjective
                 for pair in zip(clause, clause[1:], strict=False)]
        own |= {c for a, b, c in zip(words, words[1:], words[2:], strict=False)  # 'une note
                if (a == "pour" and b in ("le", "la", "les"))  # pour le maire', 'une note
                or (a in _WRITINGS and b in ("au", "aux", "a", "du"))  # au maire': its reader
                or (a in ("apres", "selon", "croire") and b in ("le", "la", "les"))}  # 'selon
        # le maire, X serait …': who said it, no detail asked
        own |= {d for a, b, c, d in zip(words, words[1:], words[2:], words[3:], strict=False)
                if a in _WRITINGS and (b, c) == ("de", "la")}  # 'le dossier de la maire'
        own |= set(_OFFICE.findall(" ".join(words)))
        after_noun = {b for a, b in pairs if not (a in STOP_WORDS or a in INTENT_WORDS
                                                  or _is_detail(a) or a.isdigit()
                                                  or a in ROLE_WORDS or a in english
                                                  or a in names
                                                  or a == "conseil")}  # 'conseil régional'
        asked = set(ask_text.split())  # 'Note au Maire. Quel VP …?': only the ask's details
        details = [w for w in content if _is_detail(w) and w in asked and w not in own
                   and w not in after_noun and not re.search(rf"\b[mst]'{w[:5]}", folded)]
        if asked & {"comment", "how"} and not asked & WHO_ASKS and asked & CONTACT_WORDS:
            details.append("coordonnées")
        if _JUDGED.search(ask_text):
            details.append("avis")
        if re.search(r"\bquel(?:le)? heures?\b|\bwhat time\b", ask_text):  # a time of day
            details.append("heure")
        if re.search(r"\bhow old\b", ask_text):
            details.append("âge")
        if _PREDICTED.search(folded):  # as typed: 'va' + verb reads 'prévoit' once normalised
            details.append("prévision")
        if _OUTCOME.search(ask_text) and not (  # 'approuvé quand ?' asks its date, not
                re.search(r"\b(?:quand|when|date)\b", ask_text)  # what became of it
                and not re.search(r"\b(?:ete|finalement|deja|enfin|final)\b", ask_text)):
            details.append("issue")
        return details

    def _communes_asked(self, places: Places, asker_places: list[int],
                        lines: list[str], rest: str) -> list[int]:
        """The communes the question is about. A commune named only around the asking
        clause ('élue à Ivry, je prépare … : que prévoit l'EPT ?') is the asker's context;
        it becomes the subject when the ask is about a commune's own figures (its lines,
        the words of its figures' labels), about 'ma commune', 'nos habitants', or when the
        question names no topic in any clause ('Pour Ivry, combien sur la 14 ?'; not 'Pour
        Ivry, le plan vélo compte : quelles dates ?')."""
        context = [c for c in [*places.context, *asker_places] if c not in places.asked]
        if not context:
            return places.asked
        ask = places.asking_text
        stems = self.commune_figure_stems - FIGURE_WORDS
        if ((lines and (_LINES.search(ask) or _LINE_BY_ARTICLE.search(ask)))
                or _OWN_PLACE.search(ask) or any(stem(w) in stems for w in ask.split())):
            return [*places.asked, *context]
        if places.fronted and not any(self.is_topic(w) for w in rest.split()):
            return [*places.asked, *places.fronted]  # 'Pour Ivry, combien sur la 14 ?'
        named = [c for c in places.context if c not in places.asked]
        if lines and named:  # 'Villejuif sur la ligne 14, c'est combien ?' (not the asker's)
            return [*places.asked, *named]
        return places.asked

    def _split_words_joined(self, question: str) -> str:
        """Two words that the base never uses side by side but uses as one, as
        dictation splits them: « con servatoire », « in digne », « la brousse ». A pair
        whose parts the base both uses alone (or as stop words) stays apart; « vis
        président » is joined by a close spelling."""
        parts = _WORD_OR_GAP.findall(question)
        out: list[str] = []
        i = 0
        while i < len(parts):
            if i + 2 < len(parts) and parts[i + 1] == " " and not (  # not 's'est'
                    i + 3 < len(parts) and parts[i + 3][:1] in "'’") and (
                    joined := self._pair_joined(parts[i], parts[i + 2])):
                out.append(joined)
                i += 3
                continue
            out.append(self._glued_split(parts[i]))
            i += 1
        return "".join(out)

    def _typos_corrected(self, question: str) -> str:
        """A misspelt word ('priortés', 'calendrer', 'sémnaire') written as the one word of
        the base or of the asking words it is close to: every rule then reads it. In a
        question in English, an English word is no typo ('priories' is one in French)."""
        english = _english_words(question)
        return "".join(part if fold(part.lower()) in english else self._spelt(part)
                       for part in _WORD_OR_GAP.findall(question))

    def _spelt(self, word: str) -> str:
        """The word as the base or the asking words spell it, if it is a typo of one only."""
        typed = self._normalized_word(word) if word.isalpha() and len(word) >= 5 else ""
        if not typed.isalpha() or typed in self._spelling_words or is_french(word.lower()):
            return word
        found = self._corrections.get(typed)
        if found is None:
            close = [(c, r) for c, r, _ in process.extract(
                typed, self._spelling_list, scorer=fuzz.ratio, score_cutoff=SPELLING_FUZZY,
                limit=2) if c[0] == typed[0] and abs(len(c) - len(typed)) <= 2]
            found = self._corrections[typed] = close[0][0] if close and (
                len(close) == 1 or close[0][1] > close[1][1]) else ""  # one closest word
            if len(self._corrections) > 20_000:
                self._corrections.clear()
        return found or word

    def _glued_split(self, word: str) -> str:
        """A word typed glued to the next ('planvelo', '#PlanVélo') as the base's two words;
        only a word nothing else reads (no base word close to it, no dictionary's)."""
        glued = self._normalized_word(word) if word.isalpha() and len(word) >= 7 else ""
        if not glued.isalpha() or self.index.term_matches(glued) or is_french(
                word.lower()) or simplemma.is_known(glued, lang="en"):
            return word
        splits = [(glued[:k], glued[k:]) for k in range(3, len(glued) - 2)
                  if glued[:k] in self.index.word_terms and glued[k:] in self.index.word_terms
                  and not {glued[:k], glued[k:]} & STOP_WORDS]
        if not splits:
            return word
        first, second = max(splits, key=lambda pair: min(map(len, pair)))
        return f"{first} {second}"

    def _pair_joined(self, first: str, second: str) -> str:
        """The one word of the base two typed words make, as typed if spelt so; ''."""
        if not (first.isalpha() and second.isalpha()):
            return ""
        a, b = self._normalized_word(first), self._normalized_word(second)
        if not (a.isalpha() and b.isalpha()):
            return ""
        if self._base_word(a) and self._base_word(b):
            return ""
        if min(len(a), len(b)) < 2 or a in STOP_WORDS or b in STOP_WORDS:  # 'plu i', 'la
            # brousse' join only into a word as spelt ('des places' is no 'espaces')
            return first + second if a + b in self.index.word_terms else ""
        joined = self._joined.get(a + b)
        if joined is None:
            if len(self._joined) > 20_000:
                self._joined.clear()
            joined = self._joined[a + b] = self._base_spelling(a, b)
        return (first + second if joined == a + b else joined) if joined else ""

    def _normalized_word(self, word: str) -> str:
        normalized = self._words.get(word)
        if normalized is None:
            normalized = self._words[word] = normalize(word)
            if len(self._words) > 50_000:
                self._words.clear()
        return normalized

    def _base_word(self, word: str) -> bool:
        """A word the base uses, or a stop word; a letter alone is neither ('plu i'), but
        for the words 'a' and 'y'."""
        return (len(word) > 1 or word in "ay") and (
            word in STOP_WORDS or word in self.index.word_terms)

    def _base_spelling(self, first: str, second: str) -> str:
        """The base's word two parts spell together, as is or close to it (long words
        only, and closer than either part alone: 'vp numérique' is no 'numérique', nor
        'intercommunale fuit' 'intercommunalité')."""
        word = first + second
        if word in self.index.word_terms:
            return word
        if len(word) < JOINED_MIN_CHARS:
            return ""
        close = process.extractOne(word, self._near_lengths(len(word)), scorer=fuzz.ratio,
                                   score_cutoff=JOINED_FUZZY)
        if close is None or close[1] <= max(fuzz.ratio(first, close[0]),
                                            fuzz.ratio(second, close[0])) + JOINED_GAIN:
            return ""
        return close[0]

    def _near_lengths(self, length: int) -> list[str]:
        """The base's words whose length lets them be JOINED_FUZZY close to a word of this
        length (fuzz.ratio = 2 × matches / total length): the others cannot match."""
        near = self._by_length.get(length)
        if near is None:
            share = JOINED_FUZZY / 100
            low, high = length * share / (2 - share), length * (2 - share) / share
            near = self._by_length[length] = [
                w for w in self.index.words if low <= len(w) <= high]
        return near

    def _courtesy_removed(self, question: str) -> str:
        """An opening sentence of thanks is dropped (it is about the last answer); of a
        greeting, only its first word: the rest may say what the question is about
        ('Bonjour, je prépare une réunion sur le PLUi.'). Opening adverbs and how short the
        answer should be ('en deux mots') go too."""
        excuse = _EXCUSE.match(question)  # 'Excusez-moi, qui …': courtesy, not the subject
        if excuse and normalize(question[excuse.end():]):
            question = question[excuse.end():]
        question = _OPENING_ADVERB.sub(self._adverb_dropped, question)
        question = _INNER_ADVERB.sub(self._inner_adverb_dropped, question)
        brief = _BREVITY.sub(" ", question)  # 'en deux mots, …': how, not what
        question = brief if normalize(brief) else question
        match = _COURTESY.match(question)
        if match is None:
            return question
        rest = question[match.end():]
        if fold(match.group()).lstrip().startswith("merci"):
            return rest if normalize(rest) else question  # thanks alone: all of it is courtesy
        greeted = _GREETING_WORD.sub("", question, count=1)
        return greeted if normalize(greeted) else question

    def _clauses(self, text: str, dictionary: frozenset[str] = frozenset(),
                 english: frozenset[str] = frozenset()
                 ) -> tuple[Places, list[Position], list[str], str]:
        """Communes, weighted positions, content words and remaining text of the question.

        The clause that asks ('…, qui contacter ?') is the subject; the others are its
        context and count for less, unless the asking clause names no topic itself.
        """
        clauses = [c for c in _CLAUSES.split(text) if normalize(c)]
        heads = [i for i, c in enumerate(clauses) if not _PURPOSE.match(fold(c))]
        asking = [i for i in heads if _ASKS.search(normalize(clauses[i]))] or [
            i for i in heads  # 'il me faudrait le nom de l'élue référente'
            if any(f" {word} " in f" {normalize(clauses[i])} " for word in INTENT_WORDS)]
        main = asking[-1] if asking and len(clauses) > 1 else None
        parsed = []
        places = Places(asking_text=normalize(clauses[main]) if main is not None
                        else normalize(text))
        for i, clause in enumerate(clauses or [text]):
            padded = f" {_RESTATES.sub('', normalize(clause))} "
            for phrase in INTENT_PHRASES:
                padded = padded.replace(f" {phrase} ", " ")
            found, rest = self._find_communes(padded.strip(), dictionary | english)  # nor English
            where = places.asked if main is None or i == main else places.context
            where += [c for c in found if c not in where]
            if found and where is places.context and not any(
                    w not in STOP_WORDS for w in rest.split()):  # the clause is only a place
                places.fronted += found
            positions, content = self._positions(rest.split(), english)
            parsed.append((positions, content, rest))
        # '…, c'est-à-dire le budget ?': the clause that restates is the subject
        subject = next((i for i, c in enumerate(clauses) if main is not None and i > main
                        and _RESTATES.match(normalize(c))), main)
        positions, content, rests = [], [], []
        for i, (clause_positions, clause_content, rest) in enumerate(parsed):
            # after the question, what the asker tells of themselves is why they ask (a
            # clause before it may bring the topic: 'je monte une recyclerie : qui … ?')
            own = subject is not None and i > subject and _FIRST_PERSON.match(
                normalize(clauses[i])) is not None
            for position in clause_positions:
                # around the subject clause, words the base never uses are narrative
                narrative = subject is not None and i != subject and (own or not any(
                    self.index.term_matches(c) for c in position.candidates))
                scale = CONTEXT_WEIGHT if narrative else 1.0
                positions.append(replace(position, weight=position.weight * scale))
            content += clause_content
            rests.append(rest)
        if not any(self._heard(p) for p in positions):  # "priorités ?" alone, or beside
            # words the base never uses ('des élus, on était combien à cogiter ?'): the kind word is
            # the topic
            words = [w for w in normalize(text).split() if w in KIND_WORDS]
            positions += [Position((w,)) for w in words]
            content += words
        return places, positions, content, " ".join(rests)

    def _heard(self, position: Position) -> bool:
        """Whether the base uses a word of this position (a typo of one too)."""
        return any(self.index.term_matches(c) for c in position.candidates)

    def _adverb_dropped(self, match: re.Match[str]) -> str:
        """'Concrètement, que prévoit-on pour X ?' → 'que prévoit-on pour X ?': an opening
        '-ment' word no entry is named or filed by, when the rest names a topic of its own
        ('Logement, que prévoit-on ?' keeps its subject, and so does 'Stationnement, que
        prévoit-on ?', to be told the base does not know)."""
        word = normalize(match.group(0)).split()[-1]
        rest = normalize(match.string[match.end():]).split()
        if stem(word) in self.label_stems or not any(map(self.is_topic, rest)):
            return match.group(0)
        return match.group(1)

    def _inner_adverb_dropped(self, match: re.Match[str]) -> str:
        """'Le territoire compte officiellement combien de communes ?': a '-ment' word that
        French dictionaries do not list as a noun (simplemma knows 'logement', not
        'réellement'), that no entry uses and that no article makes a noun is an adverb:
        it would only fuzzy-match a noun of the base ('réellement' ~ 'renouvellement')."""
        word = match.group(2)
        before = normalize(match.string[:match.start()]).split()
        if (simplemma.is_known(word.lower(), lang="fr") or stem(normalize(word)) in
                self.label_stems or (before and before[-1] in _NOUN_MARKERS)):
            return match.group(0)
        return match.group(1)

    def is_topic(self, word: str) -> bool:
        """A word that says what the question is about: known to the base, and not so
        common in it that it says nothing ('territoire')."""
        if word in GENERIC_WORDS or word in KIND_WORDS or word.isdigit():
            return False
        idf = self.index.position_idf(Position((word,)))
        return idf != self.index.unknown_idf and idf >= TOPIC_IDF_SHARE * self.max_idf

    @property
    def max_idf(self) -> float:
        return self.index.unknown_idf / UNKNOWN_WORD_SHARE

    def _future_year(self, normalized: str, numbers: list[float]) -> int | None:
        """A year after all the base speaks of ('qui sera VP en 2031', 'après 2026')."""
        latest = self.latest_year
        for year in [int(n) for n in numbers if 1900 < n < 2100 and n == int(n)]:
            if year > latest:
                return year
        after = _AFTER_YEAR.search(normalized)
        if after and int(after.group(1)) >= max(self.period_years or {latest}):
            if normalized[after.start():].startswith(("apres", "au dela")):
                return int(after.group(1))
        if _NEXT_MANDATE.search(normalized):
            return max(self.period_years or {latest})  # what comes after its end
        return None

    def _elsewhere(self, folded: str) -> str | None:
        """Another territory the question names ('Plaine Commune', misspelt too: 'plaine
        comune'), that no entry names; « c'est ensemble » is not Est Ensemble."""
        said = re.findall(r"(?:\b[cn]')?\w+", folded)  # 'c'est' stays one word
        windows: dict[int, list[str]] = {}  # the question's runs of n words, by n
        for name, wanted in self.other_territories:
            if len(wanted) not in windows:
                runs = (said[start:start + len(wanted)]
                        for start in range(len(said) - len(wanted) + 1))
                windows[len(wanted)] = [" ".join(run) for run in runs if "'" not in "".join(run)]
            if process.extractOne(" ".join(wanted), windows[len(wanted)], scorer=fuzz.ratio,
                                  score_cutoff=TERRITORY_FUZZY):
                return name
        return None

    def is_fragment(self, query: Query) -> bool:
        """'et pour Orly ?', 'et son calendrier ?', 'qui d'autre ?': it needs what came before."""
        words = query.normalized.split()
        if words and words[0] in REFERRING:  # "son calendrier ?", "ses priorités ?"
            return True
        continued = bool(words) and (words[0] == "et" or "autre" in words or "autres" in words
                                     or bool(REFERRING & set(words)))
        return bool(words) and not query.topic and not query.person_ids and (
            continued or (len(words) <= 6 and not self.asks_its_own_subject(query))
        ) and not any(self.unknown_word(w) for w in query.content)

    @staticmethod
    def own_subject(query: Query) -> list[str]:
        """The words naming what the question is about, beyond details, kinds of entry and
        asking words ('le calendrier ?', 'c'est quand ?', 'combien à Ivry ?' name none)."""
        return [w for w in query.content if w not in query.details
                and w not in KIND_WORDS and w not in INTENT_WORDS]

    @classmethod
    def asks_its_own_subject(cls, query: Query) -> bool:
        """'Quand a lieu la prochaine réunion ?': an asking word and a noun of its own make a
        new question, even short and about nothing the base holds as a topic; 'c'est
        quand ?', 'combien à Ivry ?' name no subject and need the previous one."""
        return query.intent is not None and bool(cls.own_subject(query))


    @classmethod
    def follow(cls, query: Query, previous: Query) -> Query:
        """A fragment completed with the previous question: its subject, unless the fragment
        names one of its own ('et pour la culture ?' after 'qui s'occupe du logement ?' asks
        the same thing of culture), and what it asked, where and of which line."""
        if cls.own_subject(query) and not REFERRING & set(query.normalized.split()):
            return replace(
                query, commune_ids=query.commune_ids or previous.commune_ids,
                lines=query.lines or previous.lines,
                intent=query.intent or previous.intent,
                intents=query.intents or previous.intents,
                followed=replace(previous, followed=None))
        return replace(
            query,
            positions=[*previous.positions, *query.positions],
            content=[*previous.content, *query.content],
            topic=previous.topic,
            commune_ids=query.commune_ids or previous.commune_ids,
            lines=query.lines or previous.lines,
            person_ids=previous.person_ids if query.intent in (None, previous.intent) else [],
            axis_number=query.axis_number or previous.axis_number,
            intent=query.intent if query.intent or _ASKS.search(query.normalized)
            else previous.intent,
            intents=query.intents or previous.intents,
            expansions=[*previous.expansions, *query.expansions],
            followed=replace(previous, followed=None),
            excluded=previous.answered if {"autre", "autres"} & set(query.normalized.split())
            else [],
        )

    def _find_communes(self, normalized: str, dictionary: frozenset[str] = frozenset()
                       ) -> tuple[list[int], str]:
        """Communes named (or misspelt: 'Vitri') in the question, and the rest of it; a word
        of the `dictionary` (the question's French words, folded) is no misspelt name
        ('réunis' is not 'Rungis')."""
        found: list[int] = []
        padded = f" {normalized} "
        for name in self.scope_names:
            padded = padded.replace(f" {name} ", " ")
        normalized = padded.strip()
        for name, commune_id in self.commune_names:
            if f" {name} " in padded:
                if commune_id not in found:
                    found.append(commune_id)
                padded = padded.replace(f" {name} ", " ")
        if found:
            return found, padded.strip()
        words = normalized.split()
        for size, by_letter in self.commune_windows.items():  # fuzzy, same-length windows
            for i in range(len(words) - size + 1):
                window = " ".join(words[i : i + size])
                for name, commune_id in by_letter.get(window[0], ()):
                    if window in dictionary and not name.startswith(window):
                        continue  # 'réunis' is not 'Rungis' misspelt
                    if commune_id not in found and fuzz.ratio(window, name) >= COMMUNE_FUZZY:
                        found.append(commune_id)
                        padded = padded.replace(f" {window} ", " ")
        return found, padded.strip()

    def partial_communes(self, query: Query) -> list[int]:
        """'villeneuve' alone: the communes whose name starts with it (to ask which)."""
        if query.commune_ids:
            return []
        padded = f" {query.normalized} "
        if any(f" {name} " in padded for name, _ in self.commune_names):
            return []  # 'le maire de Villeneuve-Saint-Georges' named one (as the asker's)
        found: list[int] = []
        for word in query.normalized.split():
            if len(word) < 5 or word in STOP_WORDS:
                continue
            found += [c for c in self.communes_by_first_word.get(word, ()) if c not in found]
        return found if len(found) > 1 else []

    def _president_checked(self, question: str) -> list[int]:
        """The territory's president, named by his office in a yes/no question (« est-ce
        le président qui … ? »); not the head of another body (the Région's), nor beside
        an axis whose content may be asked."""
        for sentence in _SENTENCES.split(question):
            normalized = normalize(sentence)
            if YES_NO.search(normalized) and not _AXIS_WORDS & set(normalized.split()) and any(
                    match.group(1) is None or match.group(1) in _OWN_BODY_WORDS
                    for match in _PRESIDENT.finditer(normalized)):
                return list(self.president_ids)
        return []

    def _someone_else(self, question: str) -> str:
        """The question without an official's first name said with another surname
        ('Sophie Martin, directrice de cabinet', who signs a message): that is someone
        else, whose surname alone is left."""
        for first, last in _FULL_NAME.findall(question):
            parts = normalize(first).split()
            owners = {pid for part, pid in self.surnames if part in parts}
            said = normalize(last)
            if owners and not any(said[:1] == part[:1] or fuzz.ratio(said, part) >= OTHER_NAME
                                  for pid in owners  # 'Sophie Labrouse' is a typo
                                  for part in normalize(self.view.people[pid].name).split()):
                question = question.replace(f"{first} {last}", last)
        return question

    def _find_people(self, normalized: str, dictionary: frozenset[str] = frozenset()
                     ) -> list[int]:
        """People named in the question; a first name shared by two people is not enough;
        a word of the `dictionary` is no misspelt name ('mairie' is not 'Marie')."""
        hits: dict[int, int] = defaultdict(int)
        for word in normalized.split():
            if len(word) < 4 or word in STOP_WORDS:
                continue
            owners = ({pid for part, pid in self.surnames if word == part}
                      if word in dictionary else self._owners.get(word))
            if owners is None:
                owners = self._owners[word] = {
                    pid for part, pid in self.surnames if word == part
                    or (len(word) >= 5 and fuzz.ratio(word, part) >= PERSON_FUZZY)}
                if len(self._owners) > 20_000:
                    self._owners.clear()
            for pid in owners:
                hits[pid] += 2 if len(owners) == 1 else 1
        if not hits:
            return []
        best = max(hits.values())
        return [pid for pid, count in hits.items() if count >= max(2, best / 2)]

    def _positions(self, words: list[str], english: frozenset[str] = frozenset()
                   ) -> tuple[list[Position], list[str]]:
        text = " ".join(words)
        positions: list[Position] = []
        lemmas = [dictionary_form(w) for w in words]
        for phrase in self.phrase_terms:
            wanted = self.phrase_lemmas[phrase]
            if wanted[0] not in lemmas:  # neither said as written nor inflected
                continue
            said = _said_as(phrase, wanted, text, lemmas)
            if said:
                weight = min(len(phrase.split()), 2)  # it stood for several words
                if all(self.index.term_matches(w) for w in phrase.split()):
                    weight /= 2  # the base's own words ('pacte financier') stay the subject
                else:
                    text = f" {text} ".replace(f" {said} ", " ").strip()
                    lemmas = [dictionary_form(w) for w in text.split()]
                for expansion in self.synonyms.get(phrase, []):
                    positions.extend(self.expansion_positions(expansion, weight))
        content: list[str] = []
        previous, owned = "", False
        policy_of = {text[:m.start()].count(" ") for m in _POLICY_OF.finditer(f" {text}")}
        city_policy = {text[:m.start()].count(" ") + 3  # 'ville' is the topic there
                       for m in _CITY_POLICY.finditer(f" {text}")}
        for index, word in enumerate(map(self.unelided, text.split())):
            policy = index in policy_of  # 'la politique du logement': logement is the topic
            # "mon quartier", "nos chantiers", "mon édito de janvier": the asker's
            # situation, not the topic asked
            owned_now = previous in POSSESSIVES or (owned and previous in _OF)
            scale = POSSESSIVE_WEIGHT if owned_now else 1.0
            if word == "quartier" and previous in ("du", "de"):
                scale *= GENERIC_WEIGHT  # 'le garage du quartier': where, not the policy
            owned = owned if word in _OF else owned_now
            previous = word
            if (word in STOP_WORDS or word in INTENT_WORDS or word in COST_WORDS
                    or ((word in FRENCH_GRAMMAR or stop_form(word)) and not self.index.uses(word))
                    or (len(word) == 1 and not word.isdigit())
                    or (word.isdigit() and int(word) in self.period_years)):
                continue
            content.append(word)
            expansions = self.expansions_of(word)
            if not expansions:
                weight = GENERIC_WEIGHT if (
                    word in GENERIC_WORDS and index not in city_policy) or policy else 1.0
                if word in english and not self.index.uses(word):
                    weight = CONTEXT_WEIGHT  # 'who handles X': English the base can't read
                elif weight == 1.0 and self._verb_unheard(word):
                    weight = CONTEXT_WEIGHT  # 'qui inviter ?': the asker's doing, no topic
                positions.append(Position((word,), weight * scale))
                continue
            # a word the base knows keeps its weight; one it doesn't lends it to its synonyms
            known = bool(self.index.term_matches(word))
            if known:
                positions.append(Position((word,), scale))
            share = (0.5 if known else 1.0) * scale / len(expansions)
            for expansion in expansions:
                positions.extend(self.expansion_positions(expansion, share))
        return positions, content

    def expansion_positions(self, expansion: str, weight: float) -> list[Position]:
        """A synonym's expansion, its weight shared among its words; words the base says
        together ('agriculture urbaine') are a phrase, matched as one (index.score)."""
        words = [w for w in expansion.split() if w not in STOP_WORDS]
        positions: list[Position] = []
        for phrase in self._phrases(expansion):
            kept = tuple(w for w in phrase if w not in STOP_WORDS)
            positions += [Position((w,), weight / len(words), kept) for w in kept]
        return positions

    def _phrases(self, expansion: str) -> list[list[str]]:
        """The words cut into the longest runs the base says as such, left to right (once
        per expansion: the base's text is long)."""
        cached = self._runs.get(expansion)
        if cached is not None:
            return cached
        words, runs, start = expansion.split(), [], 0
        while start < len(words):
            end = len(words)
            while end > start + 1 and f" {' '.join(words[start:end])} " not in self._said:
                end -= 1
            runs.append(words[start:end])
            start = end
        self._runs[expansion] = runs
        return runs

    def expansions_of(self, word: str) -> list[str]:
        """Synonym expansions of a word, also of a misspelt synonym ('piscnies')."""
        cached = self._expansions.get(word)
        if cached is None:
            cached = self._expansions[word] = self._find_expansions(word)
            if len(self._expansions) > 20_000:
                self._expansions.clear()
        return cached

    def _find_expansions(self, word: str) -> list[str]:
        found = self.synonyms.get(word) or self.synonyms.get(stem(word))
        plural = stem(f"{word}s") if not found and self.learned_words else ""
        if plural in self.learned_words:  # a learned word in the singular: 'gribouillon'
            found = self.synonyms[plural]  # and 'gribouillons' stem apart
        if found or len(word) < 5:
            return found or []
        close = self.index.term_matches(word)
        if close:  # the typo is close to a base word: that word's synonyms, if any
            return self.synonyms.get(close[0][0], [])
        match = process.extractOne(stem(word), self.single_synonyms, scorer=fuzz.ratio,
                                   score_cutoff=SYNONYM_FUZZY)
        if match and match[0][0] == word[0] and abs(len(match[0]) - len(word)) <= 2 and (
                fuzz.ratio(word, match[0]) >= SYNONYM_WORD_FUZZY):
            return self.synonyms[match[0]]  # a typo: first letter kept, two letters off
        return []

    def _verb_unheard(self, word: str) -> bool:
        """A verb the base never uses, in any form ('convient', 'inviter')."""
        return is_infinitive(dictionary_form(word)) and not self.index.term_matches(word)

    def unknown_word(self, word: str) -> bool:
        """A real word the base lacks: not a typo of a known or of a common word."""
        if len(word) < 4 or not self.unheard(word) or self.expansions_of(word):
            return False
        common = process.extractOne(word, self.common_words, scorer=fuzz.ratio,
                                    score_cutoff=COMMON_FUZZY)
        return common is None

    def unheard(self, word: str) -> bool:
        """A word neither the base, its synonyms nor its names know (typos are known)."""
        folded = normalize(word)
        return bool(folded) and not folded.isdigit() and not any(
            self.index.term_matches(part) or part in self.synonyms or part in STOP_WORDS
            for part in folded.split())
