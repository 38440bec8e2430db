"""ckanext-harvest harvester ``satudata_spreadsheet``: OPD data inventories
("Daftar Data Daerah") and their data spreadsheets."""
