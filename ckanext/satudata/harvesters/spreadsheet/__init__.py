"""ckanext-harvest harvester ``satudata_spreadsheet``: OPD data inventories
("Daftar Data Daerah") and their data spreadsheets.

Pure: inventory (the inventory sheet), sheet (normalising a data sheet),
template (the inventory template). CKAN side: harvester (the stages),
settings (the source config), changes (change detection), mapping (the SDI
dataset and its resources), views (the template download).
"""

SOURCE_TYPE = "satudata_spreadsheet"
