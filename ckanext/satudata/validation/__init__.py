"""Frictionless validation of tabular resources against our data standards,
with a personal-data guard.

Pure (no CKAN import): reader (the one reader of CSV/XLSX), guard (NIK/KK),
keys, checks, messages, engine (tables), content (what a file is), inspection (the gate's decision: ``inspect_file``).
CKAN side: service (what a resource's content is and how it is validated),
hooks (inside CKAN's write actions), jobs (background validation and the
DataStore load), datastore (the typed load), reports (stored reports as CKAN
shows them), views (the report page).
"""
