"""Create the year's Daftar Data (plan items) and their links to datasets.

Revision ID: 0004_daftar_data
Revises: 0002_region
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_daftar_data"
down_revision = "0002_region"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "satudata_daftar_data",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("tahun", sa.Integer, nullable=False),
        sa.Column("id_ddd", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("nama_data", sa.UnicodeText, nullable=False),
        sa.Column("jenis", sa.UnicodeText),
        sa.Column("klasifikasi", sa.UnicodeText),
        sa.Column("definisi", sa.UnicodeText),
        sa.Column("satuan", sa.UnicodeText),
        sa.Column("klasifikasi_penyajian", sa.UnicodeText),
        sa.Column("jadwal_pemutakhiran", sa.UnicodeText),
        sa.Column("topik", sa.UnicodeText),
        sa.Column("subtopik", sa.UnicodeText),
        sa.Column("standar_data", sa.UnicodeText),
        sa.Column("prioritas", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("kriteria_prioritas", sa.UnicodeText),
        sa.Column("jadwal_rilis", sa.Date),
        sa.Column("attributes", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("row_number", sa.Integer),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    op.create_index(
        "satudata_daftar_data_tahun_id_ddd",
        "satudata_daftar_data",
        ["tahun", sa.text("lower(id_ddd)")],
        unique=True,
    )
    op.create_table(
        "satudata_daftar_data_link",
        sa.Column(
            "item_id",
            sa.UnicodeText,
            sa.ForeignKey("satudata_daftar_data.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("package_id", sa.UnicodeText, primary_key=True, index=True),
        sa.Column("source", sa.Unicode(16), nullable=False),
        sa.Column("created_by", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("satudata_daftar_data_link")
    op.drop_table("satudata_daftar_data")
