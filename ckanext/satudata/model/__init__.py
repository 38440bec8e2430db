"""ORM models of ckanext-satudata's own tables, one module per table; the
tables are created by the Alembic migrations in migration/satudata/
(``ckan db upgrade -p satudata``)."""
