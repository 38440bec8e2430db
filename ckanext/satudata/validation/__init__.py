"""Frictionless validation of tabular resources (CSV, XLSX) against our data
standards, with a personal-data guard. ``engine.validate_file`` is the entry
point for everything outside CKAN's request cycle (harvesters, benchmarks);
``ckan_hooks`` wires it into resource create/update."""
