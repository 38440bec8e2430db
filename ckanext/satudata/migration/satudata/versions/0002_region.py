"""Create the national region list table.

Revision ID: 0002_region
Revises: 0001_validation_report
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_region"
down_revision = "0001_validation_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "satudata_region",
        sa.Column("code", sa.Unicode(13), primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("level", sa.Unicode(16), nullable=False),
        sa.Column("parent", sa.Unicode(13), index=True),
    )


def downgrade() -> None:
    op.drop_table("satudata_region")
