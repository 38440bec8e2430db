"""Table satudata_review_event (migration 0005_review): the review history of
a dataset, one row per transition or decision, never updated, so it
survives every later edit. A decision keeps the walidata's comment per item
and a snapshot of what was reviewed (the next review's diff starts there)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column


class ReviewEvent(tk.BaseModel):
    __tablename__ = "satudata_review_event"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    # "dataset": the dataset itself; "revision": the pending change of a published one.
    subject: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False, server_default="dataset")
    action: Mapped[str] = mapped_column(sa.Unicode(32), nullable=False)
    from_state: Mapped[str | None] = mapped_column(sa.Unicode(32))
    to_state: Mapped[str] = mapped_column(sa.Unicode(32), nullable=False)
    actor: Mapped[str | None] = mapped_column(sa.UnicodeText)  # user name
    origin: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False, server_default="user")
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now()
    )
    comment: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, server_default="")
    items: Mapped[list[dict[str, Any]]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="[]"
    )
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(postgresql.JSONB)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "package_id": self.package_id,
            "subject": self.subject,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "actor": self.actor,
            "origin": self.origin,
            "created": self.created.isoformat() if self.created else None,
            "comment": self.comment,
            "items": self.items or [],
        }


def record(
    package_id: str,
    *,
    subject: str,
    action: str,
    from_state: str | None,
    to_state: str,
    actor: str | None,
    origin: str = "user",
    comment: str = "",
    items: list[dict[str, Any]] | None = None,
    snapshot: dict[str, Any] | None = None,
) -> ReviewEvent:
    """Add an event to the session (committed with the transition)."""
    event = ReviewEvent(
        id=str(uuid.uuid4()),
        package_id=package_id,
        subject=subject,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        origin=origin,
        created=datetime.datetime.utcnow(),
        comment=comment,
        items=items or [],
        snapshot=snapshot,
    )
    model.Session.add(event)
    return event


def history(package_id: str) -> list[ReviewEvent]:
    """Every event of a dataset, newest first."""
    return (
        model.Session.query(ReviewEvent)
        .filter(ReviewEvent.package_id == package_id)
        .order_by(ReviewEvent.created.desc())
        .all()
    )


def last_of(package_id: str, actions: tuple[str, ...]) -> ReviewEvent | None:
    """The newest event of ``package_id`` among ``actions``."""
    return (
        model.Session.query(ReviewEvent)
        .filter(ReviewEvent.package_id == package_id)
        .filter(ReviewEvent.action.in_(actions))
        .order_by(ReviewEvent.created.desc())
        .first()
    )


def last_submissions(package_ids: list[str]) -> dict[str, datetime.datetime]:
    """{package id: when it (or its revision) was last submitted}, in one query."""
    if not package_ids:
        return {}
    rows = (
        model.Session.query(ReviewEvent.package_id, sa.func.max(ReviewEvent.created))
        .filter(ReviewEvent.package_id.in_(package_ids))
        .filter(ReviewEvent.to_state == "menunggu_persetujuan")
        .group_by(ReviewEvent.package_id)
    )
    return {package_id: created for package_id, created in rows}


def last_decisions(package_ids: list[str]) -> dict[str, ReviewEvent]:
    """{package id: its newest approval or rejection}, in one query."""
    if not package_ids:
        return {}
    newest = (
        model.Session.query(
            ReviewEvent.package_id, sa.func.max(ReviewEvent.created).label("created")
        )
        .filter(ReviewEvent.package_id.in_(package_ids))
        .filter(ReviewEvent.action.in_(("approve", "reject")))
        .group_by(ReviewEvent.package_id)
        .subquery()
    )
    rows = model.Session.query(ReviewEvent).join(
        newest,
        sa.and_(
            ReviewEvent.package_id == newest.c.package_id,
            ReviewEvent.created == newest.c.created,
        ),
    )
    return {event.package_id: event for event in rows}


def withdrawn_by_source(package_id: Any) -> Any:
    """SQL: whether the dataset's last unpublishing was its harvester's (the
    record left its source) rather than the walidata's; true for a dataset
    flagged before the workflow (no unpublishing recorded)."""
    last_origin = (
        sa.select(ReviewEvent.origin)
        .where(ReviewEvent.package_id == package_id)
        .where(ReviewEvent.action == "unpublish")
        .order_by(ReviewEvent.created.desc())
        .limit(1)
        .scalar_subquery()
    )
    return sa.func.coalesce(last_origin, "harvest") == "harvest"
