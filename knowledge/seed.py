"""The seed format: a readable YAML document an admin could edit.

`parse_document` validates a whole document (used for the seed and for admin imports)
against the entries declared in `knowledge.models` (`XIn`); `write_document` writes it into
the database in one transaction; `dump_document` exports the database back into the same
format, so export → import changes nothing. `row_of` and `item_data` are the two
directions of that conversion, field by field from the models, so a new field needs no
edit here.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import Field, ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from knowledge import models
from knowledge.models import (
    ImportItem,
    SkippedTime,
    document_names,
    format_start,
    names_of,
    parse_start,
)
from knowledge.render import short
from knowledge.store import (
    create_tables,
    knowledge_revision,
    mark_knowledge_changed,
    transaction,
)

SEED_RESOURCE = "seminaire-2021.yaml"
MAX_DOCUMENT_BYTES = 2_000_000  # a document of entries, as an admin writes one
# A backup: the entries and every document loaded, passages included (a 500-page report
# weighs about 3 MB). /import reads what Telegram hands a bot, 20 MB; `mandat-bot import`
# reads a server's file, up to MAX_CLI_BACKUP_BYTES (about 60 such reports).
MAX_BACKUP_BYTES = 20 * 1024 * 1024
MAX_CLI_BACKUP_BYTES = 200 * 1024 * 1024


class SeedError(ValueError):
    """A seed/import document that cannot be used; the message is French, for admins."""


class Document(ImportItem):
    """A whole seed/import document: each section a list of entries (`models.XIn`), written
    under its French name (`jalons`), read under either (`milestones`)."""

    model_config = document_names(source_document="document_source", people="elus",
                                  priorities="priorites", figures="chiffres",
                                  milestones="jalons", synonyms="synonymes", facts="faits")

    version: int = Field(default=1, ge=1, le=99)
    source_document: str = Field(default="", max_length=300)
    axes: list[models.AxisIn] = []
    people: list[models.PersonIn] = []
    priorities: list[models.PriorityIn] = []
    figures: list[models.FigureIn] = []
    communes: list[models.CommuneIn] = []
    milestones: list[models.MilestoneIn] = []
    synonyms: list[models.SynonymIn] = []
    facts: list[models.FactIn] = []
    # Optional, unlike the sections above: a backup made before documents existed leaves
    # the documents as they are; one that writes the section replaces them.
    documents: list[models.DocumentIn] = Field(default=[], max_length=1000)


SECTIONS = {"axis": "axes", "person": "people", "priority": "priorities", "figure": "figures",
            "commune": "communes", "milestone": "milestones", "synonym": "synonyms",
            "fact": "facts"}


def missing_sections(document: Document) -> list[str]:
    """The (French) names of the sections a document does not write at all (`faits: []` is
    written, and empty)."""
    return [names_of(Document, name)[0] for name in SECTIONS.values()
            if name not in document.model_fields_set]


def _written(data: Any, model: type[ImportItem], attr: str) -> str:
    """The name `data` gives a field of `model` (French or former; French if it has none)."""
    names = names_of(model, attr)
    return next((name for name in names if isinstance(data, dict) and name in data), names[0])


# libyaml's parser when PyYAML has it (a 2 MB import: 0.4 s instead of 10 s in pure Python);
# the constructor is SafeConstructor's either way (plain data only: no Python objects).
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys, keys that are not text, and values Python
    cannot build (a 5,000-digit number, 2027-13-45): each a SeedError naming the line."""

    def construct_object(self, node, deep=False):  # noqa: ANN001, ANN201 - PyYAML API
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            if isinstance(exc, SeedError):
                raise
            shown = f" « {short(node.value)} »" if isinstance(node, yaml.ScalarNode) else ""
            raise SeedError(f"ligne {node.start_mark.line + 1} : valeur illisible{shown}"
                            ) from exc

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201 - PyYAML API
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise SeedError(f"ligne {key_node.start_mark.line + 1} : clé YAML invalide "
                                "(un nom de champ attendu)")
            if key in seen:
                raise SeedError(f"ligne {key_node.start_mark.line + 1} : clé « {key} » "
                                "en double")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_document(text: str | bytes, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Validate a whole YAML document; any problem → SeedError with a French message.

    The text is parsed once: the node tree it gives is checked (no aliases), built into
    plain data, and kept to name the line of any later problem.
    """
    text = _decoded(text, max_bytes)
    root, data = _read(text)
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        raise SeedError(_describe_validation_error(exc, root)) from exc
    _check_references(document, root, data)
    return document


def _decoded(text: str | bytes, max_bytes: int) -> str:
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise SeedError(f"document trop volumineux ({size} octets, maximum {max_bytes})")
    if isinstance(text, str):
        return text
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError("le document n'est pas en UTF-8") from exc


def _read(text: str) -> tuple[yaml.Node, dict]:
    """The node tree (every node knows its line) and the plain data built from it."""
    root = _compose(text)
    if root is not None:
        _refuse_aliases(root, text)
    data = _construct(text, root) if root is not None else None
    if root is None or not isinstance(data, dict):
        raise SeedError("le document doit être un dictionnaire YAML (axes:, people:, …)")
    return root, data


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc) from exc


def _yaml_problem(exc: yaml.YAMLError) -> SeedError:
    mark = exc.problem_mark if isinstance(exc, yaml.MarkedYAMLError) else None
    if mark is None:
        return SeedError("syntaxe YAML incorrecte")
    where = f"ligne {mark.line + 1}, colonne {mark.column + 1}"
    if "nesting depth" in (exc.problem or ""):
        return SeedError(f"{where} : document trop imbriqué pour être lu")
    return SeedError(f"{where} : syntaxe YAML incorrecte")


def _refuse_aliases(root: yaml.Node, text: str) -> None:
    """An alias (*a) makes one node appear twice in the tree: refused, so that a few lines
    cannot grow into billions of entries ('billion laughs')."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise SeedError(_alias_problem(text))
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _alias_problem(text: str) -> str:
    """Names the first alias and its line (the tree no longer knows where the alias was
    written: the events are read again, up to that alias only)."""
    for event in yaml.parse(text, Loader=_Loader):  # noqa: S506 - safe loader subclass
        if isinstance(event, yaml.AliasEvent):
            return (f"ligne {event.start_mark.line + 1} : les alias YAML (*{event.anchor}) "
                    "ne sont pas acceptés")
    return "les alias YAML ne sont pas acceptés"


def _construct(text: str, root: yaml.Node) -> Any:
    """Plain data from the node tree (the constructor's checks raise SeedError)."""
    loader = _Loader(text)
    try:
        return loader.construct_document(root)
    except yaml.YAMLError as exc:  # a tag the safe loader does not build (!!python/…)
        raise _yaml_problem(exc) from exc
    except RecursionError:
        raise SeedError("document trop imbriqué pour être lu") from None
    finally:
        loader.dispose()


_FRENCH_ERRORS = {
    "extra_forbidden": "clé inconnue",
    "missing": "champ obligatoire manquant",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_parsing": "oui/non attendu (true ou false)",
    "bool_type": "oui/non attendu (true ou false)",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire attendu (champ: valeur)",
    "model_type": "dictionnaire attendu (champ: valeur)",
    "model_attributes_type": "dictionnaire attendu (champ: valeur)",
    "string_too_short": "texte trop court ou vide",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "too_long": "liste trop longue (au plus {max_length} éléments)",
    "string_pattern_mismatch": "format incorrect (minuscules, chiffres et tirets)",
    "greater_than_equal": "valeur trop petite (au moins {ge})",
    "less_than_equal": "valeur trop grande (au plus {le})",
    "literal_error": "valeur non autorisée (attendu : {expected})",
    "enum": "valeur non autorisée (attendu : {expected})",
}


def french_error(error: dict) -> str:
    """A pydantic validation error, told in French."""
    if error["type"] == "value_error":  # ours are French; Python's and libraries' are not
        cause = error.get("ctx", {}).get("error")
        return str(cause) if isinstance(cause, models.InvalidValue) else "valeur invalide"
    template = _FRENCH_ERRORS.get(error["type"], "valeur invalide")
    ctx = {k: str(v).replace(" or ", " ou ") for k, v in error.get("ctx", {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(" (")[0]


def _located(root: yaml.Node, problems: list[tuple[tuple, str]]) -> list[str]:
    """'ligne N (people.0.axis) : problem' for each (location, problem), for an admin: the
    lines come from the node tree of the one parse."""
    told = []
    for loc, problem in problems:
        path = models.without_controls(".".join(str(part) for part in loc))  # a key typed
        told.append(f"ligne {_line_of(root, loc)} ({path}) : {problem}")
    return told


def _line_of(node: yaml.Node, loc: tuple) -> int:
    """The YAML line of a location (the nearest enclosing node when it is missing)."""
    line = node.start_mark.line
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == part), None)
                return (key.start_mark.line + 1) if key is not None else line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line
    return line + 1


def _describe_validation_error(exc: ValidationError, root: yaml.Node) -> str:
    errors = exc.errors()
    lines = _located(root, [(error["loc"], french_error(error)) for error in errors[:5]])
    if len(errors) > 5:
        lines.append(f"… et {len(errors) - 5} autre(s) erreur(s)")
    return "document invalide :\n" + "\n".join(lines)


def _check_references(document: Document, root: yaml.Node, data: dict) -> None:
    """Keys unique per section, axes and leads that exist: refused with their lines (located
    under the names the document `data` gives them)."""
    problems: list[tuple[tuple, str]] = []

    def where(section: str, index: int, attr: str | None = None) -> tuple:
        written = _written(data, Document, section)
        if attr is None:
            return written, index
        item = data[written][index]
        return written, index, _written(item, type(getattr(document, section)[index]), attr)

    for kind in models.KNOWLEDGE_MODELS:
        seen: set[str] = set()
        section = SECTIONS[kind]
        for index, item in enumerate(getattr(document, section)):
            key = natural_key(kind, item)
            if key in seen:
                problems.append((where(section, index), f"« {short(key)} » en double"))
            seen.add(key)
    axes = {axis.number for axis in document.axes}
    people = {person.key for person in document.people}
    for section in ("people", "priorities"):
        for index, item in enumerate(getattr(document, section)):
            if item.axis_number is not None and item.axis_number not in axes:
                problems.append((where(section, index, "axis_number"),
                                 f"axe {item.axis_number} inconnu"))
    for index, priority in enumerate(document.priorities):
        for position, lead in enumerate(priority.leads):
            if lead not in people:
                problems.append(((*where("priorities", index, "leads"), position),
                                 f"élu {lead!r} inconnu"))
    if problems:
        raise SeedError("document incohérent :\n" + "\n".join(_located(root, problems[:10])))


def read_seed_text() -> str:
    return resources.files("knowledge.data").joinpath(SEED_RESOURCE).read_text("utf-8")


def row_of(kind: str, item: models.ImportItem, tz: ZoneInfo) -> models.Sourced:
    """The table row a document entry describes (a milestone's start read in `tz`)."""
    data = item.model_dump(exclude={"source", "start"})
    data.update(source_slide=item.source.slide, source_title=item.source.title)
    if kind == "milestone":
        try:
            data["start"], data["precision"] = parse_start(item.start, tz)
        except SkippedTime as exc:  # the document's other checks do not know the zone
            raise SeedError(f"jalon « {short(item.key)} » : {exc}") from None
    return models.KNOWLEDGE_MODELS[kind](**data)


def item_data(kind: str, row: Any, tz: ZoneInfo, **given: Any) -> dict[str, Any]:
    """A row in the document's format (plain data, the document's French names): what an
    export writes and an import reads. `given`: fields the row does not hold (a synonym's
    key). A milestone's start is its `date` and, when known, its `heure`, as /modifier."""
    if isinstance(row, models.Sourced):
        given["source"] = _named(models.SourceRef, {"slide": row.source_slide,
                                                    "title": row.source_title})
    if kind == "commune":
        given["figures"] = [_named(models.CommuneFigure, figure) for figure in row.figures]
    time = ""
    if kind == "milestone":
        given["start"], _, time = format_start(row.start, row.precision, tz).partition("T")
    model = models.IMPORT_MODELS[kind]
    data = _named(model, {name: given[name] if name in given else getattr(row, name, None)
                          for name in model.model_fields})
    return _with_time(data, time) if time else data


def _named(model: type[ImportItem], values: dict[str, Any]) -> dict[str, Any]:
    """Attribute values → plain data under the document's names for `model`."""
    return {names_of(model, name)[0]: to_jsonable_python(value)
            for name, value in values.items()}


def _with_time(data: dict[str, Any], time: str) -> dict[str, Any]:
    """A milestone's data with its `heure` right after its `date`."""
    placed: dict[str, Any] = {}
    for name, value in data.items():
        placed[name] = value
        if name == "date":
            placed["heure"] = time
    return placed


def document_rows(document: Document, tz: ZoneInfo) -> dict[str, list[models.Sourced]]:
    """The database rows a document describes (synonyms resolved after, by key)."""
    return {kind: [row_of(kind, item, tz) for item in getattr(document, SECTIONS[kind])]
            for kind in models.KNOWLEDGE_MODELS}


def natural_key(entity: str, row: Any) -> str:
    """The key an entry keeps across export and import (its id may change)."""
    if entity == "axis":
        return str(row.number)
    if entity == "commune":
        return row.name
    return row.key


def write_document(session: Session, document: Document, tz: ZoneInfo) -> None:
    """Replace every knowledge entry with the document's (inside the caller's transaction)."""
    mark_knowledge_changed(session)
    session.exec(delete(models.Synonym))  # type: ignore[call-overload]
    for model in models.KNOWLEDGE_MODELS.values():
        session.exec(delete(model))  # type: ignore[call-overload]
    rows = document_rows(document, tz)
    for entity_rows in rows.values():
        session.add_all(entity_rows)
    session.flush()
    ids = {
        entity: {natural_key(entity, row): row.id for row in entity_rows}
        for entity, entity_rows in rows.items()
    }
    for syn in document.synonyms:
        entry_id = ids.get(syn.entity or "", {}).get(syn.key or "")
        if syn.entity and entry_id is None:
            raise SeedError(f"synonyme {syn.term!r} : entrée {syn.entity} {syn.key!r} inconnue")
        session.add(
            models.Synonym(term=syn.term, expansion=syn.expansion, entity=syn.entity,
                           entry_id=entry_id)
        )


def ensure_seeded(engine: Engine, tz: ZoneInfo, *, reset: bool = False) -> bool:
    """Create the tables and load the seed if the knowledge base is empty (or on reset).

    Subscribers, admins and the audit trail survive a reset; deliveries of milestones
    that no longer exist are dropped by the scheduler when it next reconciles.
    """
    create_tables(engine)
    with Session(engine) as session:
        empty = session.exec(select(models.Axis).limit(1)).first() is None and (
            knowledge_revision(session) == 0)  # `init --empty` moves it: left empty
    if not (empty or reset):
        return False
    document = parse_document(read_seed_text())
    with transaction(engine) as session:
        write_document(session, document, tz)
    return True


def ensure_empty(engine: Engine) -> None:
    """Create the tables for a base of documents only: no seed now, nor at any later start
    (the knowledge revision moves, as with any change)."""
    create_tables(engine)
    with transaction(engine) as session:
        mark_knowledge_changed(session)


def dump_document(session: Session, tz: ZoneInfo) -> dict[str, Any]:
    """The whole knowledge base in the seed's format (plain data, ready for yaml.dump)."""
    keys_by_id: dict[str, dict[int, str]] = {}
    for entity, model in models.KNOWLEDGE_MODELS.items():
        rows = session.exec(select(model))
        keys_by_id[entity] = {row.id: natural_key(entity, row) for row in rows}

    def section(kind: str) -> list[dict[str, Any]]:
        model: Any = models.Synonym if kind == "synonym" else models.KNOWLEDGE_MODELS[kind]
        rows = session.exec(select(model).order_by(model.id))
        if kind != "synonym":
            return [item_data(kind, row, tz) for row in rows]
        return [item_data(kind, s, tz, key=keys_by_id.get(s.entity or "", {}).get(
            s.entry_id or -1)) for s in rows]

    return _named(Document, {
        "version": 1,
        "source_document": "Séminaire des élus 2021 — Grand-Orly Seine Bièvre, priorités 2021-2026",
        **{name: section(kind) for kind, name in SECTIONS.items()},
        "documents": export_documents(session),
    })


def export_documents(session: Session) -> list[dict[str, Any]]:
    """Every document with its passages, as the export writes them (oldest first)."""
    rows = session.exec(select(models.Document).order_by(col(models.Document.id)))
    return [models.DocumentIn(**row.model_dump(exclude={"id", "replaces"}), passages=[
        models.PassageIn(page=p.page, text=p.text, heading=p.heading)
        for p in session.exec(select(models.Passage)
                              .where(models.Passage.document_id == row.id)
                              .order_by(col(models.Passage.position)))
    ]).model_dump(mode="json") for row in rows]


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
