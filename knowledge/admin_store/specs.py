"""What admins edit: each entity's French fields (label, help, example), and errors."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import SQLModel

from knowledge import models
from knowledge.render import short
from knowledge.text import fold

MAX_VALUE = 1000


class AdminError(ValueError):
    """A refused admin input or operation; the message is French, plain text (not HTML)."""


@dataclass(frozen=True)
class FieldSpec:
    name: str  # as admins type it: "titre"
    attr: str  # the model attribute ("start" for both date and heure)
    help: str
    example: str
    kind: str = "text"  # text | optional | date | time | bool | role | axis | words | items
    required: bool = False  # asked although the model has a default; EntitySpec adds
    max_len: int = MAX_VALUE  # the model's own required fields and its length bounds
    label: str = ""  # what admins read in the guided conversation: "Étape", "Mots-clés"

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name.capitalize())


@dataclass(frozen=True)
class EntitySpec:
    name: str  # "jalon"
    label: str  # "un jalon", for sentences
    kind: str  # the knowledge kind: "milestone"
    model: type[SQLModel]
    fields: tuple[FieldSpec, ...]
    title_attr: str
    code: str  # in callback data

    def __post_init__(self) -> None:
        fields = tuple(replace(f, required=f.required or _model_requires(self.model, f),
                               max_len=_max_length(self.model, f)) for f in self.fields)
        object.__setattr__(self, "fields", fields)

    @property
    def words(self) -> dict[str, str]:
        """The entity's French noun phrases, agreed with its gender (from `label`, "une
        priorité"), for sentences: {entity} priorité, {Entity}, {an}, {the}, {this}, {of_the},
        {of_an}, {none}, and {e}, the feminine ending of participles ("ajoutée")."""
        article, noun = self.label.split(" ", 1)
        feminine = article == "une"
        vowel = fold(noun[:1]) in "aeiouyh"
        the = "l'" if vowel else ("la " if feminine else "le ")
        return {
            "entity": noun, "Entity": noun[:1].upper() + noun[1:], "an": self.label,
            "the": f"{the}{noun}", "of_the": f"de {the}{noun}" if vowel or feminine
            else f"du {noun}",
            "this": f"{'cette' if feminine else 'cet' if vowel else 'ce'} {noun}",
            "of_an": f"d'{self.label}", "none": f"{'aucune' if feminine else 'aucun'} {noun}",
            "e": "e" if feminine else "",
        }

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.required]


def _model_requires(model: type[SQLModel], spec: FieldSpec) -> bool:
    """The model has no default for it (a milestone's time is optional: it shares `start`)."""
    return spec.kind != "time" and model.model_fields[spec.attr].is_required()


def _max_length(model: type[SQLModel], spec: FieldSpec) -> int:
    """The longest value typed for a field: the model's bound for a text, else MAX_VALUE."""
    declared = model.model_fields[spec.attr].metadata
    bound = next((m.max_length for m in declared if getattr(m, "max_length", None)), None)
    return bound if spec.kind in ("text", "optional") and bound else MAX_VALUE


_KEYWORDS = FieldSpec("mots_cles", "keywords", "mots-clés pour la recherche, séparés par des "
                      "virgules", "climat, énergie", "words", label="Mots-clés")

ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec("jalon", "un jalon", "milestone", models.Milestone, (
            FieldSpec("titre", "title", "l'intitulé du rendez-vous", "Approbation du PCAET"),
            FieldSpec("projet", "project", "le projet auquel il appartient", "PCAET"),
            FieldSpec("etape", "phase", "l'étape du projet", "Approbation", label="Étape"),
            FieldSpec("date", "start", "le jour (ou le mois seul), l'heure peut suivre : "
                      "15/03/2027 18h30",
                      "15/03/2027, 2027-03-15, 15 mars 2027 ou mars 2027", "date"),
            FieldSpec("heure", "start", "l'heure, si elle est connue", "10h, 10h30 ou 10:00",
                      "time"),
            FieldSpec("lieu", "location", "où il a lieu", "Conseil territorial, Vitry-sur-Seine",
                      "optional"),
            FieldSpec("description", "description", "quelques mots d'explication",
                      "Vote du plan climat-air-énergie territorial"),
            FieldSpec("approximatif", "approximate", "la date est-elle estimée ?", "oui ou non",
                      "bool", label="Date approximative ?"),
            _KEYWORDS,
        ), "title", "j"),
        EntitySpec("elu", "un élu", "person", models.Person, (
            FieldSpec("nom", "name", "prénom et nom", "Marie DUPONT"),
            FieldSpec("fonction", "title", "la fonction, telle qu'affichée",
                      "Vice-présidente chargée du logement"),
            FieldSpec("delegation", "delegation", "le domaine de la délégation", "Logement",
                      label="Délégation"),
            FieldSpec("role", "role", "president, vice-president ou delegue", "vice-president",
                      "role", label="Rôle"),
            FieldSpec("axe", "axis_number", "le numéro de l'axe du mandat", "2", "axis"),
            _KEYWORDS,
        ), "name", "e"),
        EntitySpec("priorite", "une priorité", "priority", models.Priority, (
            FieldSpec("theme", "theme", "l'intitulé de la priorité",
                      "Un territoire plus solidaire", label="Thème"),
            FieldSpec("axe", "axis_number", "le numéro de l'axe du mandat", "2", "axis"),
            FieldSpec("elements", "items", "les priorités, séparées par « | »",
                      "Rénover les logements | Lutter contre l'habitat indigne", "items",
                      label="Éléments"),
            FieldSpec("constats", "findings", "les constats, séparés par « | »",
                      "Les inégalités restent fortes", "items"),
            _KEYWORDS,
        ), "theme", "p"),
        EntitySpec("chiffre", "un chiffre", "figure", models.Figure, (
            FieldSpec("libelle", "label", "ce que mesure le chiffre", "habitants du territoire",
                      label="Libellé"),
            FieldSpec("valeur", "value", "la valeur, telle qu'affichée", "593 434"),
            FieldSpec("unite", "unit", "l'unité", "habitants", label="Unité"),
            FieldSpec("contexte", "context", "la source ou la précision utile",
                      "recensement 2018"),
            _KEYWORDS,
        ), "label", "c"),
        EntitySpec("fait", "un fait", "fact", models.Fact, (
            FieldSpec("titre", "title", "le sigle ou l'intitulé", "ANRU"),
            FieldSpec("texte", "text", "ce qu'il faut en savoir",
                      "Agence nationale pour la rénovation urbaine"),
            _KEYWORDS,
        ), "title", "f"),
        EntitySpec("synonyme", "un synonyme", "synonym", models.Synonym, (
            FieldSpec("terme", "term", "le mot que tapent les élus", "logt"),
            FieldSpec("expansion", "expansion", "les mots de la base qu'il désigne", "logement",
                      required=True),  # a synonym pinned to one entry comes from /questions
        ), "term", "s"),
    )
}
ENTITY_BY_CODE = {spec.code: spec for spec in ENTITIES.values()}
_ENTITY_ALIASES = {"elus": "elu", "jalons": "jalon", "priorites": "priorite",
                   "chiffres": "chiffre", "synonymes": "synonyme", "faits": "fait",
                   "rendez-vous": "jalon", "rdv": "jalon"}
# A role as admins type it (and read it in /journal).
ROLE_WORDS = {models.Role.PRESIDENT: "president", models.Role.VICE_PRESIDENT: "vice-president",
              models.Role.DELEGATE: "delegue"}
# Every knowledge kind's French name (the audit trail uses these).
KIND_NAMES = {"axis": "axe", "person": "elu", "priority": "priorite", "figure": "chiffre",
              "commune": "commune", "milestone": "jalon", "fact": "fait",
              "synonym": "synonyme"}


def entity_spec(word: str) -> EntitySpec:
    """'jalon', 'Élus', 'priorités' → its EntitySpec; AdminError otherwise."""
    name = fold(word).strip()
    name = _ENTITY_ALIASES.get(name, name)
    if name not in ENTITIES:
        raise AdminError(f"entité « {short(word)} » inconnue. Entités possibles : "
                         f"{', '.join(ENTITIES)}.")
    return ENTITIES[name]


_ATTR_NAMES = {"number": "numéro", "precision": "précision", "axis_number": "axe",
               "name": "nom", "title": "titre", "keywords": "mots_cles",
               "short_title": "titre court", "key": "clé",
               "variants": "variantes", "figures": "chiffres", "text": "texte",
               "highlight": "à retenir", "leads": "référents", "source_slide": "diapositive",
               "source_title": "source", "entity": "entrée", "entry_id": "n° d'entrée"}


def attr_label(entity: str, attr: str) -> str:
    """The French name of a model attribute ('start' → 'date', 'location' → 'lieu')."""
    if attr == "start":
        return "date"
    spec = ENTITIES.get(entity)
    names = {f.attr: f.name for f in spec.fields} if spec else {}
    return names.get(attr, _ATTR_NAMES.get(attr, attr))


def attr_display(entity: str, attr: str) -> str:
    """The French name admins read for a model attribute, as the guided conversation
    labels it ('phase' → 'étape', 'keywords' → 'mots-clés'), else its typed name."""
    spec = ENTITIES.get(entity)
    labels = {f.attr: f.label for f in spec.fields} if spec and attr != "start" else {}
    label = labels.get(attr, "").rstrip(" ?")
    return label[:1].lower() + label[1:] if label else attr_label(entity, attr)


def field_error(spec: FieldSpec, problem: str) -> AdminError:
    return AdminError(f"« {spec.name} » : {problem} (exemple : {spec.name}={spec.example}).")
