"""What the portal serves for download, beyond CKAN's own handling: DataStore
dumps safe to open in a spreadsheet program (``datastore_dump``) and a clear
answer when a stored file is gone (``stored_files``). Installed on the Flask
app by the plugin's IMiddleware hook (``install``)."""

from __future__ import annotations

from flask import Flask

from ckanext.satudata.downloads import datastore_dump, stored_files


def install(app: Flask) -> None:
    datastore_dump.install(app)
    stored_files.install(app)
