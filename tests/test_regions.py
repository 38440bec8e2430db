"""Region codes: parsing, the shipped tenant list and `ckan satudata regions load`."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.logic import ValidationError
from ckan.tests.helpers import call_action

from ckanext.satudata.model import region as region_store
from ckanext.satudata.reference import regions


@pytest.mark.parametrize(
    ("raw", "dotted", "level"),
    [
        ("64", "64", "provinsi"),
        ("6401", "64.01", "kabupaten"),
        ("6471", "64.71", "kota"),
        ("64.01.04", "64.01.04", "kecamatan"),
        ("6401041001", "64.01.04.1001", "kelurahan"),
        ("64.01.01.2009", "64.01.01.2009", "desa"),
    ],
)
def test_codes_normalise_and_know_their_level(raw, dotted, level) -> None:
    assert regions.normalize_code(raw) == dotted
    assert regions.code_level(dotted) == level


@pytest.mark.parametrize("bad", ["6401-04", "64.1", "640104100", "64.01.04.10011", "", "Paser"])
def test_malformed_codes_are_refused(bad) -> None:
    with pytest.raises(regions.RegionCodeError):
        regions.normalize_code(bad)


def test_tenant_list_is_paser() -> None:
    tenant = regions.tenant_regions()
    levels = [r.level for r in tenant.values()]
    assert regions.tenant_root() == "64.01"
    assert (levels.count("kecamatan"), levels.count("desa") + levels.count("kelurahan")) == (
        10,
        144,
    )
    assert tenant["64.01.03"].name == "Paser Belengkong"  # Kemendagri spelling, not BPS's
    assert all(r.parent in tenant for r in tenant.values() if r.code != "64.01")


NATIONAL_SAMPLE = """kode,nama,tingkat
64,Kalimantan Timur,provinsi
64.02,Kutai Kartanegara,kabupaten
64.02.01,Semboja,kecamatan
64.71,Balikpapan,kota
"""


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_regions_load_cli_makes_codes_known(cli, tmp_path: Path, sysadmin, sdi_dataset) -> None:
    csv_file = tmp_path / "wilayah.csv"
    csv_file.write_text(NATIONAL_SAMPLE, encoding="utf-8")
    assert not region_store.is_known("64.02.01")

    result = cli.invoke(ckan_cli, ["satudata", "regions", "load", str(csv_file)])

    assert result.exit_code == 0, result.output
    assert "Loaded 4 regions" in result.output
    assert region_store.is_known("64.02.01")
    assert region_store.names_of(["64.71", "64.01.04", "99.99"]) == {
        "64.71": "Balikpapan",
        "64.01.04": "Tanah Grogot",
    }
    dataset = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **sdi_dataset(kode_wilayah=["64.02.01"]),
    )
    assert dataset["kode_wilayah"] == ["64.02.01"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_regions_load_bad_line_stores_nothing(cli, tmp_path: Path, sysadmin, sdi_dataset) -> None:
    csv_file = tmp_path / "wilayah.csv"
    csv_file.write_text(NATIONAL_SAMPLE + "64.02.0X,Rusak,kecamatan\n", encoding="utf-8")

    result = cli.invoke(ckan_cli, ["satudata", "regions", "load", str(csv_file)])

    assert result.exit_code != 0
    assert "line 6" in result.output and "64.02.0X" in result.output
    assert not region_store.is_known("64.02")
    with pytest.raises(ValidationError, match="not in the region reference list"):
        call_action(
            "package_create",
            context={"user": sysadmin["name"]},
            **sdi_dataset(tingkat_wilayah="kabupaten", kode_wilayah=["64.02"]),
        )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_region_facet_names_codes_beyond_the_tenant_in_one_query(
    cli, tmp_path: Path, sysadmin, sdi_dataset
) -> None:
    from ckan import model
    from sqlalchemy import event

    csv_file = tmp_path / "wilayah.csv"
    csv_file.write_text(NATIONAL_SAMPLE, encoding="utf-8")
    assert cli.invoke(ckan_cli, ["satudata", "regions", "load", str(csv_file)]).exit_code == 0
    for name, code, level in (
        ("data-semboja", "64.02.01", "kecamatan"),
        ("data-balikpapan", "64.71", "kota"),
    ):
        call_action(
            "package_create",
            context={"user": sysadmin["name"]},
            **sdi_dataset(name=name, kode_wilayah=[code], tingkat_wilayah=level),
        )
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = model.Session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = call_action("package_search", **{"facet.field": '["vocab_kode_wilayah"]'})
    finally:
        event.remove(engine, "before_cursor_execute", count)

    names = {
        i["name"]: i["display_name"] for i in result["search_facets"]["vocab_kode_wilayah"]["items"]
    }
    assert names["64.71"] == "Balikpapan (64.71)"
    assert names["64.02.01"] == "Semboja (64.02.01)"
    assert names["64.02"] == "Kutai Kartanegara (64.02)"
    assert len([s for s in statements if "satudata_region" in s]) == 1
