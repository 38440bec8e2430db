"""ckanext-harvest harvesters of ckanext-satudata (OPD spreadsheets, Dukcapil feed)."""
