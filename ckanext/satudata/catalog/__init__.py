"""The catalogue as people and systems find it: search index fields and
facets (search), topic groups (topics), vocabulary choices (choices),
freshness (the pure rule), the figures of the home and OPD pages (stats), the
DCAT profile (dcat) and the portal's own pages (views)."""
