"""Stored data-quality scores: table satudata_quality (migration
0006_quality), one row per dataset with its dimensions, deductions and the
evidence they were computed from; aggregates per OPD and for the portal."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column


class QualityScore(tk.BaseModel):
    __tablename__ = "satudata_quality"

    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    score: Mapped[float] = mapped_column(sa.Float, nullable=False)
    grade: Mapped[str] = mapped_column(sa.Unicode(2), nullable=False)
    dimensions: Mapped[dict[str, Any]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="{}"
    )
    deductions: Mapped[list[dict[str, Any]]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="[]"
    )
    evidence: Mapped[dict[str, Any]] = mapped_column(
        postgresql.JSONB, nullable=False, server_default="{}"
    )
    computed: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now()
    )
    gathered: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now()
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "package_id": self.package_id,
            "organization_id": self.organization_id,
            "score": round(self.score, 1),
            "grade": self.grade,
            "dimensions": self.dimensions or {},
            "deductions": self.deductions or [],
            "computed": self.computed.isoformat() if self.computed else None,
            "gathered": self.gathered.isoformat() if self.gathered else None,
        }


def get(package_id: str) -> QualityScore | None:
    # Rows are written with core statements (save, rescored): read afresh.
    return model.Session.get(QualityScore, package_id, populate_existing=True)


def save(
    package_id: str,
    organization_id: str | None,
    quality: dict[str, Any],
    evidence: dict[str, Any],
) -> None:
    """Insert or replace the dataset's row (not committed: the caller's transaction)."""
    now = datetime.datetime.utcnow()
    values = {
        "package_id": package_id,
        "organization_id": organization_id,
        "score": quality["score"],
        "grade": quality["grade"],
        "dimensions": quality["dimensions"],
        "deductions": quality["deductions"],
        "evidence": evidence,
        "computed": now,
        "gathered": now,
    }
    statement = insert(QualityScore).values(**values)
    model.Session.execute(
        statement.on_conflict_do_update(
            index_elements=["package_id"],
            set_={k: statement.excluded[k] for k in values if k != "package_id"},
        )
    )


def rescored(package_id: str, quality: dict[str, Any]) -> None:
    """Update a row's score from its stored evidence (the nightly refresh)."""
    model.Session.execute(
        sa.update(QualityScore)
        .where(QualityScore.package_id == package_id)
        .values(
            score=quality["score"],
            grade=quality["grade"],
            dimensions=quality["dimensions"],
            deductions=quality["deductions"],
            computed=datetime.datetime.utcnow(),
        )
    )


def iter_evidence(batch: int = 1000) -> Iterator[tuple[str, float, str, dict[str, Any]]]:
    """(package_id, score, grade, evidence) of every active dataset's row."""
    query = (
        sa.select(QualityScore.package_id, QualityScore.score, QualityScore.grade,
                  QualityScore.evidence)
        .join(model.Package, model.Package.id == QualityScore.package_id)
        .where(model.Package.state == "active")
        .execution_options(yield_per=batch)
    )  # fmt: skip
    for row in model.Session.execute(query):
        yield row[0], row[1], row[2], row[3]


def _visible(query: sa.Select[Any], include_private: bool) -> sa.Select[Any]:
    query = query.join(model.Package, model.Package.id == QualityScore.package_id).where(
        model.Package.state == "active", model.Package.type == "dataset"
    )
    return query if include_private else query.where(model.Package.private.is_(False))


def by_organization(include_private: bool) -> list[dict[str, Any]]:
    """Per OPD: datasets, mean score, mean of each dimension, grade counts."""
    dims = ("metadata", "conformity", "completeness", "uniqueness", "consistency", "timeliness")
    query = _visible(
        sa.select(
            QualityScore.organization_id,
            sa.func.count(),
            sa.func.avg(QualityScore.score),
            *(sa.func.avg(QualityScore.dimensions[d].as_float()) for d in dims),
        ).group_by(QualityScore.organization_id),
        include_private,
    )
    grades = _visible(
        sa.select(QualityScore.organization_id, QualityScore.grade, sa.func.count()).group_by(
            QualityScore.organization_id, QualityScore.grade
        ),
        include_private,
    )
    counts: dict[str | None, dict[str, int]] = {}
    for org, grade, count in model.Session.execute(grades):
        counts.setdefault(org, {})[grade] = int(count)
    found = []
    for org, count, score, *means in model.Session.execute(query):
        found.append(
            {
                "organization_id": org,
                "datasets": int(count),
                "score": round(float(score), 1),
                "dimensions": {
                    d: None if m is None else round(float(m), 1)
                    for d, m in zip(dims, means, strict=True)
                },
                "grades": counts.get(org, {}),
            }
        )
    return sorted(found, key=lambda o: -o["score"])


def rows(
    include_private: bool, organization_id: str | None = None
) -> Iterable[tuple[QualityScore, model.Package]]:
    """Every visible dataset's row with its package, best first (the evidence export)."""
    query = (
        model.Session.query(QualityScore, model.Package)
        .join(model.Package, model.Package.id == QualityScore.package_id)
        .filter(model.Package.state == "active", model.Package.type == "dataset")
    )
    if not include_private:
        query = query.filter(model.Package.private.is_(False))
    if organization_id:
        query = query.filter(QualityScore.organization_id == organization_id)
    return [
        (row, pkg) for row, pkg in query.order_by(QualityScore.score.desc(), model.Package.name)
    ]
