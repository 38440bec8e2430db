"""The demo (``make demo``) and the sample servers the tests use: the loader
(sysadmin, OPDs, topic groups, harvest sources), the OPD file server
(opd_files, serving files/), the ArcGIS-style Dukcapil feed (dukcapil_feed)
and the builder of the sample OPD files (build_opd)."""
