"""The year's Daftar Data: table satudata_daftar_data (migration
0004_daftar_data), one row per planned item (ID DDD unique within a year),
with the Daftar Data Daerah attributes, Data Prioritas and the planned
release date (Jadwal Rilis). Its links to datasets: daftar_data_link.py;
what the plan means and how it progresses: planning/."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

# Typed columns of an item besides its identity (what the pages filter and
# show); the other Daftar Data Daerah cells are kept in ``attributes``.
ITEM_FIELDS = (
    "nama_data",
    "jenis",
    "klasifikasi",
    "definisi",
    "satuan",
    "klasifikasi_penyajian",
    "jadwal_pemutakhiran",
    "topik",
    "subtopik",
    "standar_data",
    "prioritas",
    "kriteria_prioritas",
    "jadwal_rilis",
)


class PlanItem(tk.BaseModel):
    __tablename__ = "satudata_daftar_data"

    id: Mapped[str] = mapped_column(
        sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4())
    )
    tahun: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    id_ddd: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    organization_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    nama_data: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    jenis: Mapped[str | None] = mapped_column(sa.UnicodeText)
    klasifikasi: Mapped[str | None] = mapped_column(sa.UnicodeText)
    definisi: Mapped[str | None] = mapped_column(sa.UnicodeText)
    satuan: Mapped[str | None] = mapped_column(sa.UnicodeText)
    klasifikasi_penyajian: Mapped[str | None] = mapped_column(sa.UnicodeText)
    jadwal_pemutakhiran: Mapped[str | None] = mapped_column(sa.UnicodeText)
    topik: Mapped[str | None] = mapped_column(sa.UnicodeText)
    subtopik: Mapped[str | None] = mapped_column(sa.UnicodeText)
    standar_data: Mapped[str | None] = mapped_column(sa.UnicodeText)
    prioritas: Mapped[bool] = mapped_column(
        sa.Boolean, nullable=False, default=False, server_default=sa.false()
    )
    kriteria_prioritas: Mapped[str | None] = mapped_column(sa.UnicodeText)
    jadwal_rilis: Mapped[datetime.date | None] = mapped_column(sa.Date)
    attributes: Mapped[dict[str, str]] = mapped_column(
        postgresql.JSONB, nullable=False, default=dict, server_default="{}"
    )
    row_number: Mapped[int | None] = mapped_column(sa.Integer)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "tahun": self.tahun,
            "id_ddd": self.id_ddd,
            "organization_id": self.organization_id,
        }
        for name in ITEM_FIELDS:
            data[name] = getattr(self, name)
        data["prioritas"] = bool(self.prioritas)
        data["jadwal_rilis"] = self.jadwal_rilis.isoformat() if self.jadwal_rilis else None
        data["attributes"] = dict(self.attributes or {})
        data["created"] = self.created.isoformat() if self.created else None
        data["modified"] = self.modified.isoformat() if self.modified else None
        return data


def get(item_id: str) -> PlanItem | None:
    return model.Session.get(PlanItem, item_id)


def of_year(
    tahun: int,
    organization_id: str | None = None,
    topik: str | None = None,
    prioritas: bool | None = None,
) -> list[PlanItem]:
    """The items of a year's plan, in the order of the imported list."""
    query = model.Session.query(PlanItem).filter(PlanItem.tahun == tahun)
    if organization_id:
        query = query.filter(PlanItem.organization_id == organization_id)
    if topik:
        query = query.filter(PlanItem.topik == topik)
    if prioritas is not None:
        query = query.filter(PlanItem.prioritas.is_(prioritas))
    return query.order_by(PlanItem.row_number, PlanItem.id_ddd).all()


def years() -> list[int]:
    """The years that have a plan, newest first."""
    rows = model.Session.query(PlanItem.tahun).distinct().order_by(PlanItem.tahun.desc())
    return [tahun for (tahun,) in rows]


def with_id_ddd(id_ddd: str, organization_id: str) -> list[PlanItem]:
    """An OPD's items with this ID DDD, in every year's plan (case ignored)."""
    return (
        model.Session.query(PlanItem)
        .filter(sa.func.lower(PlanItem.id_ddd) == id_ddd.strip().lower())
        .filter(PlanItem.organization_id == organization_id)
        .all()
    )
