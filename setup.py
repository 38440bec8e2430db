"""Build hook only; the package metadata lives in pyproject.toml.

Compiles the message catalogs (i18n/<lang>/LC_MESSAGES/*.po) into the .mo
files CKAN loads, at build time, so that `pip install .` and the wheel ship
them and no compiled file is committed.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        i18n = Path(self.build_lib) / "ckanext" / "satudata" / "i18n"
        for po_path in sorted(i18n.glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
