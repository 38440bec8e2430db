"""Create the stored data-quality scores of datasets (issue 16).

Revision ID: 0006_quality
Revises: 0005_review
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_quality"
down_revision = "0005_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "satudata_quality",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("grade", sa.Unicode(2), nullable=False),
        sa.Column("dimensions", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("deductions", postgresql.JSONB, nullable=False, server_default="[]"),
        sa.Column("evidence", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("computed", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("gathered", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("satudata_quality")
