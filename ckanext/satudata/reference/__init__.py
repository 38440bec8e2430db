"""Reference data, pure (no CKAN import): controlled vocabularies (one data
file each in data/vocabularies/), Kemendagri region codes (data/regions/) and
the years SDI data may cover. The database-backed national region list is
model/region.py."""
