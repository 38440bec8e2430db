"""Which datasets fulfil a Daftar Data item: table satudata_daftar_data_link
(migration 0004_daftar_data). A link is made by the spreadsheet harvester
(``harvest``, by the row's ID DDD), by the plan import (``id_ddd``: a
dataset of the item's OPD already carrying its ID DDD) or by hand
(``manual``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.satudata.model.daftar_data import PlanItem, with_id_ddd

HARVEST = "harvest"
ID_DDD = "id_ddd"
MANUAL = "manual"
SOURCES = (HARVEST, ID_DDD, MANUAL)


class PlanLink(tk.BaseModel):
    __tablename__ = "satudata_daftar_data_link"

    item_id: Mapped[str] = mapped_column(
        sa.UnicodeText,
        sa.ForeignKey("satudata_daftar_data.id", ondelete="CASCADE"),
        primary_key=True,
    )
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, index=True)
    source: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False)
    created_by: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )


def add(item_id: str, package_id: str, source: str, user: str | None = None) -> bool:
    """Link a dataset to an item (no commit); False when it was linked already."""
    statement = (
        insert(PlanLink.__table__)
        .values(
            item_id=item_id,
            package_id=package_id,
            source=source,
            created_by=user,
            created=datetime.datetime.utcnow(),
        )
        .on_conflict_do_nothing()
    )
    result = model.Session.execute(statement)
    return bool(result.rowcount) if isinstance(result, CursorResult) else False


def remove(item_id: str, package_id: str) -> bool:
    """Unlink (no commit); False when there was no such link."""
    deleted = (
        model.Session.query(PlanLink)
        .filter(PlanLink.item_id == item_id, PlanLink.package_id == package_id)
        .delete(synchronize_session=False)
    )
    return bool(deleted)


def of_items(item_ids: Iterable[str]) -> dict[str, list[PlanLink]]:
    """The links of each item (oldest first); items without links are absent."""
    ids = list(item_ids)
    if not ids:
        return {}
    found: dict[str, list[PlanLink]] = {}
    query = (
        model.Session.query(PlanLink)
        .filter(PlanLink.item_id.in_(ids))
        .order_by(PlanLink.created, PlanLink.package_id)
    )
    for link in query:
        found.setdefault(link.item_id, []).append(link)
    return found


def link_by_id_ddd(package_id: str, organization_id: str, id_ddd: str, source: str) -> list[str]:
    """Link a dataset to its OPD's items with ``id_ddd`` (in every year's plan
    that lists it) and commit; returns the ids of the items newly linked."""
    linked = [
        item.id for item in with_id_ddd(id_ddd, organization_id) if add(item.id, package_id, source)
    ]
    model.Session.commit()
    return linked


def link_datasets_carrying_id_ddd(items: Iterable[PlanItem]) -> int:
    """Link each item to the active datasets of its OPD whose ``id_dds`` is
    the item's ID DDD (case ignored); no commit. Returns the links made."""
    by_key = {(item.organization_id, item.id_ddd.strip().lower()): item for item in items}
    if not by_key:
        return 0
    id_dds = sa.func.lower(sa.func.trim(model.Package.extras["id_dds"].astext))
    rows = (
        model.Session.query(model.Package.id, model.Package.owner_org, id_dds)
        .filter(model.Package.state == "active")
        .filter(model.Package.type == "dataset")
        .filter(id_dds.in_({key for _, key in by_key}))
    )
    made = 0
    for package_id, owner_org, code in rows:
        item = by_key.get((owner_org, code))
        if item is not None and add(item.id, package_id, ID_DDD):
            made += 1
    return made
