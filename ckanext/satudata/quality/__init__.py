"""Kualitas data: one score per dataset, per OPD and for the portal,
computed from the evidence the portal stores, saying what to fix.

- ``rules`` (*pure*): the six dimensions (Metadata, Conformity, Completeness,
  Uniqueness, Consistency, Timeliness), each 0-100, their deductions, the
  weighted score and grade; the rule written once;
- ``messages`` (*pure*): each deduction's cause and fix (catalog msgids);
- ``evidence``: what the rules score, gathered from the dataset, its MQA
  points (interop/assessment.py), validation reports and DataStore tables;
- ``service``: recomputation on change (plugin hooks, the validation's
  ``evidence_changed`` signal), the nightly refresh, the index kept in step;
- ``exporting``: the evidence table an EPSS assessor attaches (XLSX/CSV);
- ``views``: the public overview ``/kualitas`` and the OPD ranking.

Table: model/quality_score.py; actions and auth: logic/action/quality.py,
logic/auth/quality.py; index field and facet: catalog/search.py.
"""
