"""Admin users: from the settings (ADMIN_IDS) and promoted ones, audited."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from knowledge import models
from knowledge.admin_store.audit import audit
from knowledge.admin_store.specs import AdminError


def admin_ids(session: Session, configured: Iterable[int]) -> set[int]:
    return set(configured) | set(session.exec(select(models.AdminUser.user_id)))


def is_admin(session: Session, configured: Iterable[int], user_id: int) -> bool:
    return user_id in set(configured) or session.get(models.AdminUser, user_id) is not None


def add_admin(session: Session, configured: Iterable[int], user_id: int, by: int,
              by_name: str = "") -> bool:
    """Promote `user_id` (`by`, `by_name`: the admin who does); False if already an admin."""
    if is_admin(session, configured, user_id):
        return False
    row = models.AdminUser(user_id=user_id, added_by=by)
    session.add(row)
    audit(session, by, "admin_add", "admin", user_id, None, {"user_id": user_id}, by_name)
    return True


def remove_admin(session: Session, configured: Iterable[int], user_id: int, by: int,
                 by_name: str = "") -> None:
    if user_id in set(configured):
        raise AdminError(f"{user_id} est administrateur par la configuration (ADMIN_IDS) : "
                         "il ne peut être retiré que là.")
    if user_id == by:
        raise AdminError("vous ne pouvez pas vous retirer vous-même : demandez à un autre "
                         "administrateur.")
    row = session.get(models.AdminUser, user_id)
    if row is None:
        raise AdminError(f"{user_id} n'est pas administrateur.")
    session.delete(row)
    audit(session, by, "admin_remove", "admin", user_id, {"user_id": user_id}, None, by_name)
