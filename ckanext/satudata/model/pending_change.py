"""Table satudata_pending_change (migration 0005_review): the proposed next
version of a published dataset, kept apart from it so the public keeps the
published version until the walidata publishes this one.

- ``data``: the proposed dataset as package_update takes it (package_show
  form, new resources with the ids they will have);
- ``files``: {resource id: staged upload} — files that passed the gate,
  kept in storage beside (never over) the published ones;
- ``validations``: {resource id: the validation of that file}, recorded for
  the resource once the change is published, as the upload hooks would.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column


class PendingChange(tk.BaseModel):
    __tablename__ = "satudata_pending_change"

    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    state: Mapped[str] = mapped_column(sa.Unicode(32), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(postgresql.JSONB, nullable=False)
    files: Mapped[dict[str, Any]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="{}"
    )
    validations: Mapped[dict[str, Any]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="{}"
    )
    author: Mapped[str | None] = mapped_column(sa.UnicodeText)
    origin: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False, server_default="user")
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now()
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now()
    )


def get(package_id: str) -> PendingChange | None:
    return model.Session.get(PendingChange, package_id)


def in_states(package_ids: list[str] | None, states: tuple[str, ...]) -> list[PendingChange]:
    query = model.Session.query(PendingChange).filter(PendingChange.state.in_(states))
    if package_ids is not None:
        query = query.filter(PendingChange.package_id.in_(package_ids))
    return query.all()


def save(
    package_id: str,
    *,
    state: str,
    data: dict[str, Any],
    files: dict[str, Any],
    validations: dict[str, Any],
    author: str | None,
    origin: str,
) -> PendingChange:
    """Insert or replace the pending change of ``package_id`` (not committed)."""
    now = datetime.datetime.utcnow()
    change = get(package_id)
    if change is None:
        change = PendingChange(package_id=package_id, created=now)
        model.Session.add(change)
    change.state = state
    change.data = data
    change.files = files
    change.validations = validations
    change.author = author
    change.origin = origin
    change.modified = now
    # CKAN's session does not autoflush: later reads in this transaction (a
    # harvester's hold_validation before its commit) must find the row.
    model.Session.flush()
    return change


def delete(package_id: str) -> None:
    model.Session.query(PendingChange).filter_by(package_id=package_id).delete()
