"""Interoperability with national systems: the SKOS concept schemes the DCAT
export points at (concepts.py, schemes.py), Kemendagri's Portal Pelita API
(pelita.py, views.py) and the MQA-style metadata self-check (mqa.py)."""
