"""gunicorn settings for the CKAN web container; every value can be changed
from docker/.env without rebuilding the image."""

import os

bind = "0.0.0.0:5000"
workers = int(os.environ.get("CKAN_WEB_WORKERS", "4"))
threads = int(os.environ.get("CKAN_WEB_THREADS", "1"))
timeout = int(os.environ.get("CKAN_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# CKAN sits behind a reverse proxy that sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("CKAN_WEB_FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
loglevel = "info"
worker_tmp_dir = "/dev/shm"
