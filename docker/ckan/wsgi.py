"""WSGI entry point for gunicorn: the CKAN app built from $CKAN_INI."""

from __future__ import annotations

import os
from logging.config import fileConfig

from ckan.cli import load_config
from ckan.config.middleware import make_app

_ini = os.environ.get("CKAN_INI", "/srv/app/ckan.ini")
fileConfig(_ini, disable_existing_loggers=False)
application = make_app(load_config(_ini))
