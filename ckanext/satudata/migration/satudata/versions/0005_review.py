"""The walidata's review (pemeriksaan): its history and the pending changes
of published datasets; datasets that exist before the workflow stay public.

Revision ID: 0005_review
Revises: 0004_daftar_data
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_review"
down_revision = "0004_daftar_data"
branch_labels = None
depends_on = None

PUBLISHED = "ditayangkan"
# The harvesters' flag of a record that left its source: it already said
# "not shown", so it keeps that meaning now that the status is enforced.
WITHDRAWN = "tidak_ditayangkan"


def upgrade() -> None:
    op.create_table(
        "satudata_review_event",
        # One row per transition or decision, never updated: the history
        # survives every later edit of the dataset.
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("subject", sa.Unicode(16), nullable=False, server_default="dataset"),
        sa.Column("action", sa.Unicode(32), nullable=False),
        sa.Column("from_state", sa.Unicode(32)),
        sa.Column("to_state", sa.Unicode(32), nullable=False),
        sa.Column("actor", sa.UnicodeText),
        sa.Column("origin", sa.Unicode(16), nullable=False, server_default="user"),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("comment", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("items", postgresql.JSONB, nullable=False, server_default="[]"),
        sa.Column("snapshot", postgresql.JSONB),
        sa.CheckConstraint(
            "subject IN ('dataset', 'revision')", name="satudata_review_event_subject_check"
        ),
    )
    op.create_index(
        "idx_satudata_review_event_package_created",
        "satudata_review_event",
        ["package_id", "created"],
    )
    op.create_table(
        "satudata_pending_change",
        # The proposed new version of a published dataset (the public keeps
        # the published one until the walidata publishes this).
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.Unicode(32), nullable=False),
        sa.Column("data", postgresql.JSONB, nullable=False),
        sa.Column("files", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("validations", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("author", sa.UnicodeText),
        sa.Column("origin", sa.Unicode(16), nullable=False, server_default="user"),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    # Existing datasets keep their visibility: published, unless a harvester
    # had flagged them withdrawn. (The search index follows on the next
    # `ckan search-index rebuild`; until then every dataset keeps the labels it
    # was indexed with, and package_show reads the status from here.)
    op.execute(
        sa.text(
            """
            UPDATE package
            SET extras = COALESCE(extras, '{}'::jsonb) || jsonb_build_object('status_data', :published)
            WHERE type = 'dataset'
              AND COALESCE(extras ->> 'status_data', '') <> :withdrawn
            """
        ).bindparams(published=PUBLISHED, withdrawn=WITHDRAWN)
    )


def downgrade() -> None:
    op.drop_table("satudata_pending_change")
    op.drop_index("idx_satudata_review_event_package_created", "satudata_review_event")
    op.drop_table("satudata_review_event")
