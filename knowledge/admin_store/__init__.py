"""Editing the knowledge base for the admins: French fields, audited changes, undo, imports.

No Telegram here: the bot parses a command, calls one of these functions inside
`knowledge.store.transaction` and renders the result. Every change writes an `AuditEntry`
(before → after snapshots) in the same transaction. Problems raise `AdminError` with a
French message naming the field and giving an example; nothing is written then.

Concurrency (two admins editing the same entry): field-level last-writer-wins, every write
audited with its before → after, so nothing is lost silently. The operations an admin
confirms after looking at a preview are optimistic: a deletion carries the entry's
`updated_at` stamp, an import the knowledge-base fingerprint, an undo the audited "after"
state; if the entry (or the base) changed in between, the operation is refused.

Imports are diffed by natural key (axis number, `key`, commune name, synonym
(term, entity, key)): entries are added, changed or removed in place, so ids stay stable
(reminder deliveries reference `Milestone.id`), and export → import changes nothing.
"""

from knowledge.admin_store.admins import add_admin, admin_ids, is_admin, remove_admin
from knowledge.admin_store.audit import (
    audit,
    changes_between,
    count_changes,
    known_names,
    recent_changes,
    snapshot,
)
from knowledge.admin_store.dates import milestone_start, parse_date, parse_time, split_date_time
from knowledge.admin_store.entries import (
    check_exportable,
    check_field,
    create_entry,
    delete_entry,
    describe,
    entry_title,
    get_entry,
    list_entries,
    preview_entry,
    snapshot_title,
    stamp,
    update_entry,
)
from knowledge.admin_store.fields import (
    check_length,
    convert,
    field_text,
    parse_assignments,
    resolve_field,
    split_words,
)
from knowledge.admin_store.imports import (
    EntityDiff,
    ImportPlan,
    apply_import,
    export_document,
    mass_deletion_warning,
    parse_import,
    plan_import,
)
from knowledge.admin_store.questions import (
    MAX_TERM,
    attach_question,
    dismiss_question,
    get_question,
    question_term,
    question_text,
    unanswered,
)
from knowledge.admin_store.specs import (
    ENTITIES,
    ENTITY_BY_CODE,
    KIND_NAMES,
    AdminError,
    EntitySpec,
    FieldSpec,
    attr_label,
    entity_spec,
)
from knowledge.admin_store.undo import Undone, last_change, undo_last, undo_problem

__all__ = [
    "ENTITIES", "ENTITY_BY_CODE", "KIND_NAMES", "MAX_TERM", "AdminError", "EntityDiff",
    "EntitySpec", "FieldSpec", "ImportPlan", "Undone", "add_admin", "admin_ids",
    "apply_import", "attach_question", "attr_label", "audit", "changes_between",
    "check_exportable", "check_field", "check_length", "convert", "count_changes",
    "create_entry", "delete_entry", "describe", "dismiss_question", "entity_spec",
    "entry_title", "export_document", "field_text", "get_entry", "get_question", "is_admin",
    "known_names", "last_change", "list_entries", "mass_deletion_warning", "milestone_start",
    "parse_assignments", "parse_date", "parse_import", "parse_time", "plan_import",
    "preview_entry", "question_term", "question_text", "recent_changes", "remove_admin",
    "resolve_field", "snapshot", "snapshot_title", "split_date_time", "split_words", "stamp",
    "unanswered", "undo_last", "undo_problem", "update_entry",
]
