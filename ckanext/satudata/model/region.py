"""Table satudata_region (migration 0002_region): region codes beyond the
tenant, the national list loaded with ``ckan satudata regions load FILE``,
and the lookups that combine it with the shipped tenant list.

A code is known when it is in the shipped tenant list (reference/regions.py),
in this table, or is one of the tenant's own ancestors (its province).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.satudata.reference import regions


class RegionRecord(tk.BaseModel):
    __tablename__ = "satudata_region"

    code: Mapped[str] = mapped_column(sa.Unicode(13), primary_key=True)
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    level: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False)
    parent: Mapped[str | None] = mapped_column(sa.Unicode(13), index=True)


def is_known(code: str) -> bool:
    """Whether ``code`` (dotted) is a known Kemendagri region."""
    if code in regions.tenant_regions():
        return True
    root = regions.tenant_root()
    if root.startswith(code + "."):
        return True  # an ancestor of the tenant, e.g. its province
    return model.Session.get(RegionRecord, code) is not None


def names_of(codes: Iterable[str]) -> dict[str, str]:
    """{code: name} of the known ones among ``codes``: the tenant's from the
    shipped list, the others in one query (a facet of many codes)."""
    tenant = regions.tenant_regions()
    names = {code: tenant[code].name for code in codes if code in tenant}
    others = {code for code in codes if code not in tenant}
    if others:
        rows = model.Session.query(RegionRecord.code, RegionRecord.name).filter(
            RegionRecord.code.in_(sorted(others))
        )
        names.update({code: name for code, name in rows})
    return names


def load(records: Iterable[regions.Region], batch_size: int = 5000) -> int:
    """Insert or update regions in one transaction; returns how many."""
    table = RegionRecord.__table__
    count = 0
    batch: list[dict[str, str | None]] = []

    def flush() -> None:
        if not batch:
            return
        stmt = insert(table).values(batch)
        stmt = stmt.on_conflict_do_update(
            index_elements=["code"],
            set_={
                "name": stmt.excluded.name,
                "level": stmt.excluded.level,
                "parent": stmt.excluded.parent,
            },
        )
        model.Session.execute(stmt)
        batch.clear()

    try:
        for region in records:
            batch.append(
                {
                    "code": region.code,
                    "name": region.name,
                    "level": region.level,
                    "parent": region.parent,
                }
            )
            count += 1
            if len(batch) >= batch_size:
                flush()
        flush()
        model.Session.commit()
    except Exception:
        # A bad line anywhere leaves the table as it was.
        model.Session.rollback()
        raise
    return count


def find(code: str) -> regions.Region | None:
    """A known region by dotted code: the shipped tenant list first, then this table."""
    tenant = regions.tenant_regions().get(code)
    if tenant is not None:
        return tenant
    record = model.Session.get(RegionRecord, code)
    if record is None:
        return None
    return regions.Region(str(record.code), str(record.name), str(record.level))
