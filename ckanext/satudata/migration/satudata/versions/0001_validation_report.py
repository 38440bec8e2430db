"""Create the validation report table.

Revision ID: 0001_validation_report
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_validation_report"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "satudata_validation_report",
        # One current report per resource: a re-run replaces it.
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.Unicode(16), nullable=False),
        sa.Column("source", sa.Unicode(16), nullable=False, server_default="upload"),
        sa.Column("data_standard", sa.UnicodeText),
        sa.Column("file_hash", sa.Unicode(64)),
        sa.Column("row_count", sa.Integer),
        sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("finished", sa.DateTime),
        sa.Column("summary", postgresql.JSONB, nullable=False, server_default="[]"),
        sa.Column("report", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'success', 'failure', 'error')",
            name="satudata_validation_report_status_check",
        ),
    )


def downgrade() -> None:
    op.drop_table("satudata_validation_report")
