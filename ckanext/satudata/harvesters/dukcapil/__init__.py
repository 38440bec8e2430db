"""Dukcapil population feed harvester (source type ``satudata_dukcapil``).

Pure-Python parts (feed client, checks, transform) import no CKAN module so the
benchmark and the sample feed server can use them; the CKAN plugin lives in
``harvester.py``.
"""
