"""Dukcapil population feed harvester (source type ``satudata_dukcapil``).

Pure-Python parts (feed client, records and checks, transform) import no
CKAN module so the benchmark and the sample feed server can use them; the
CKAN side is harvester.py (stages), mapping.py (datasets and resources) and
settings.py (the source config).
"""

SOURCE_TYPE = "satudata_dukcapil"
