"""The package installs non-editable and ships every data file it needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import ckanext.satudata

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ckanext" / "satudata"


def _source_data_files() -> set[str]:
    """Non-Python files of the package that git tracks or would track."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "ckanext/satudata"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {name for name in listed if not name.endswith(".py") and (ROOT / name).is_file()}


def test_wheel_ships_every_data_file(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("ckanext_satudata-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())

    missing = sorted(_source_data_files() - shipped)
    assert not missing, f"not in the wheel: {missing}"
    for required in (
        "ckanext/satudata/config_declaration.yaml",
        "ckanext/satudata/reference/data/vocabularies/topic.yaml",
        "ckanext/satudata/reference/data/regions/wilayah_paser_6401.csv",
        "ckanext/satudata/schemas/dataset.yaml",
        "ckanext/satudata/migration/satudata/alembic.ini",
    ):
        assert required in shipped


def test_installed_copy_is_not_editable() -> None:
    installed = Path(ckanext.satudata.__file__).resolve()
    assert "site-packages" in installed.parts, installed
    assert PACKAGE not in installed.parents
