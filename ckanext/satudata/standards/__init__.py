"""Data standards (SDI's first principle): frictionless Table Schemas in
tables/ (registry), the files people download (files: JSON, Excel
template) and the pages serving them (views)."""
