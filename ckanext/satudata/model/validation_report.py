"""Stored validation reports: table satudata_validation_report (migration
0001_validation_report), one current report per resource."""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column


class ValidationReport(tk.BaseModel):
    __tablename__ = "satudata_validation_report"

    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    status: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False)
    source: Mapped[str] = mapped_column(sa.Unicode(16), nullable=False, server_default="upload")
    data_standard: Mapped[str | None] = mapped_column(sa.UnicodeText)
    file_hash: Mapped[str | None] = mapped_column(sa.Unicode(64))
    row_count: Mapped[int | None] = mapped_column(sa.Integer)
    error_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, server_default="0")
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now()
    )
    finished: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    summary: Mapped[list[dict[str, Any]]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="[]"
    )
    report: Mapped[dict[str, Any]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="{}"
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "package_id": self.package_id,
            "status": self.status,
            "source": self.source,
            "data_standard": self.data_standard,
            "file_hash": self.file_hash,
            "row_count": self.row_count,
            "error_count": self.error_count,
            "created": self.created.isoformat() if self.created else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "summary": self.summary or [],
            "report": self.report or {},
        }

    @property
    def timestamp(self) -> datetime.datetime | None:
        return self.finished or self.created


def get(resource_id: str) -> ValidationReport | None:
    return model.Session.get(ValidationReport, resource_id)


Statuses = dict[str, tuple[str, datetime.datetime | None] | None]


def statuses_of_package(name_or_id: str) -> tuple[tuple[str, ...], Statuses]:
    """Every resource of a dataset (by id or name) with its report's status
    and timestamp (None: no report), in one query; with the dataset's id and
    name (none when it has no resource)."""
    package = model.package_table
    resource = model.resource_table
    report = ValidationReport.__table__
    rows = model.Session.execute(
        sa.select(
            package.c.id, package.c.name, resource.c.id, report.c.status, report.c.finished,
            report.c.created,
        )
        .select_from(
            resource.join(package, package.c.id == resource.c.package_id).outerjoin(
                report, report.c.resource_id == resource.c.id
            )
        )
        .where(sa.or_(package.c.id == name_or_id, package.c.name == name_or_id))
    ).all()  # fmt: skip
    keys = (rows[0][0], rows[0][1]) if rows else ()
    return keys, {
        resource_id: (status, finished or created) if status is not None else None
        for _, _, resource_id, status, finished, created in rows
    }


def save(
    resource_id: str,
    package_id: str,
    *,
    status: str,
    source: str,
    data_standard: str | None = None,
    file_hash: str | None = None,
    row_count: int | None = None,
    error_count: int = 0,
    summary: list[dict[str, Any]] | None = None,
    report: dict[str, Any] | None = None,
    commit: bool = True,
) -> ValidationReport:
    """Insert or replace the resource's report (a re-run replaces it)."""
    now = datetime.datetime.utcnow()
    record = get(resource_id)
    if record is None:
        record = ValidationReport(resource_id=resource_id, created=now)
        model.Session.add(record)
    else:
        record.created = now
    record.package_id = package_id
    record.status = status
    record.source = source
    record.data_standard = data_standard
    record.file_hash = file_hash
    record.row_count = row_count
    record.error_count = error_count
    record.summary = summary or []
    record.report = report or {}
    record.finished = None if status in ("pending", "running") else now
    if commit:
        model.Session.commit()
    return record


def delete_unless_active(package_id: str) -> None:
    """Delete the reports of the package's resources that are no longer active
    (deleted, or purged). Not committed: part of the caller's transaction."""
    active = (
        sa.select(model.Resource.id)
        .where(model.Resource.package_id == package_id)
        .where(model.Resource.state == "active")
    )
    model.Session.execute(
        sa.delete(ValidationReport)
        .where(ValidationReport.package_id == package_id)
        .where(ValidationReport.resource_id.not_in(active))
        .execution_options(synchronize_session=False)
    )


def set_entry(resource_id: str, key: str, value: dict[str, Any] | None) -> None:
    """Set (or with None drop) one entry of a report's ``report`` document and
    commit: the queued job of a pending report (``job``), the DataStore load
    of a passed file (``datastore``). No-op for a resource without a report."""
    record = get(resource_id)
    if record is None:
        return
    document = dict(record.report or {})
    if value is None:
        document.pop(key, None)
    else:
        document[key] = value
    record.report = document
    model.Session.commit()


def pending(created_before: datetime.datetime) -> list[ValidationReport]:
    """Reports still waiting for their validation, saved before the time."""
    return (
        model.Session.query(ValidationReport)
        .filter(ValidationReport.status == "pending")
        .filter(ValidationReport.created < created_before)
        .all()
    )


def with_load(status: str) -> list[ValidationReport]:
    """Reports whose DataStore load is in ``status`` (queued, loaded, failed)."""
    return (
        model.Session.query(ValidationReport)
        .filter(ValidationReport.report["datastore"]["status"].astext == status)
        .all()
    )
