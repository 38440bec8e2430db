"""Perencanaan: the year's Daftar Data (what each OPD will produce, its Data
Prioritas and its Jadwal Rilis) as a plan the portal tracks.

- ``progress`` (*pure*): an item's stage computed from its linked datasets
  (planned -> collected -> verified -> published, overdue past its release
  date by catalog/freshness.py's rule) and the tallies per OPD and kabupaten;
- ``importing``: a year's list from the inventory template, read by the one
  inventory reader (harvesters/spreadsheet/inventory.py), all or nothing;
- ``service``: the items of a year with their progress, as a user may see them;
- ``exporting``: the Daftar Data Daerah and the Jadwal Rilis as XLSX and CSV;
- ``views``: the public Jadwal Rilis and Daftar Data pages, the boards.

Tables: model/daftar_data.py, model/daftar_data_link.py; actions and auth:
logic/action/planning.py, logic/auth/planning.py.
"""
