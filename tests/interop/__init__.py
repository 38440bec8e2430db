"""Interoperability tests (a package, so the package-scoped demo portal and its
web server end with this folder, not with the session)."""
