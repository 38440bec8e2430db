"""Datasets that differ in exactly one thing, on the real stack (gate,
validation reports, DataStore, Solr): the score moves in that one dimension,
with the named cause."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action
from quality_support import add_table, make_dataset, quality, sex_rows, site

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DIMENSIONS = ("metadata", "conformity", "completeness", "uniqueness", "consistency", "timeliness")


def scores(result: dict[str, Any]) -> dict[str, float | None]:
    return {d["name"]: d["score"] for d in result["dimensions"]}


def only_moved(base: dict[str, Any], other: dict[str, Any], dimension: str) -> None:
    before, after = scores(base), scores(other)
    assert after[dimension] is not None and before[dimension] is not None
    assert after[dimension] < before[dimension], (dimension, before, after)
    for name in DIMENSIONS:
        if name != dimension:
            assert after[name] == before[name], (name, before, after)
    assert other["score"] < base["score"]


def codes(result: dict[str, Any], dimension: str) -> list[str]:
    return [d["code"] for d in result["deductions"] if d["dimension"] == dimension]


def test_a_complete_table_scores_every_dimension(opd: dict[str, Any]) -> None:
    dataset = make_dataset(opd["id"], "lengkap")
    add_table(dataset, sex_rows())

    result = quality(dataset["id"])

    dims = scores(result)
    assert set(dims) == set(DIMENSIONS)
    assert dims["conformity"] == 100.0
    assert dims["completeness"] == 100.0
    assert dims["uniqueness"] == 100.0
    assert dims["consistency"] == 100.0
    assert result["grade"] in "ABCDE"
    # Every point lost is named.
    for name, score in dims.items():
        lost = sum(d["points"] for d in result["deductions"] if d["dimension"] == name)
        assert score is not None and abs(100 - score - lost) < 0.2, (name, score, lost)


def test_no_licence_moves_metadata_only(app: Any, opd: dict[str, Any]) -> None:
    base = make_dataset(opd["id"], "berlisensi")
    add_table(base, sex_rows())
    other = make_dataset(opd["id"], "tanpa-lisensi", license_id="")
    add_table(other, sex_rows())

    with app.flask_app.test_request_context("/"):  # messages in the default language
        base_q, other_q = quality(base["id"]), quality(other["id"])

    only_moved(base_q, other_q, "metadata")
    licence = [d for d in other_q["deductions"] if d["code"] == "mqa-licence"]
    assert licence and licence[0]["field"] == "license_id"
    assert licence[0]["fix"] == "tambahkan lisensi"
    assert licence[0]["link"].endswith("#field-license_id")


def test_missing_kecamatan_moves_completeness_only(app: Any, opd: dict[str, Any]) -> None:
    base = make_dataset(opd["id"], "semua-kecamatan")
    add_table(base, sex_rows())
    other = make_dataset(opd["id"], "kurang-kecamatan")
    rows = [r for r in sex_rows() if not (r["tahun"] == 2024 and r["kode_wilayah"] in (
        "64.01.01", "64.01.02", "64.01.03"))]  # fmt: skip
    add_table(other, rows)

    with app.flask_app.test_request_context("/"):
        base_q, other_q = quality(base["id"]), quality(other["id"])

    only_moved(base_q, other_q, "completeness")
    (missing,) = [d for d in other_q["deductions"] if d["code"] == "regions-missing"]
    assert missing["params"]["count"] == 3
    assert missing["params"]["year"] == "2024"
    assert missing["cause"].startswith("3 kecamatan tidak ada pada tahun 2024")


def test_a_wrong_total_moves_consistency_only(opd: dict[str, Any]) -> None:
    base = make_dataset(opd["id"], "jumlah-benar")
    add_table(base, sex_rows())
    other = make_dataset(opd["id"], "jumlah-salah")
    rows = sex_rows()
    rows[0]["jumlah"] += 5
    add_table(other, rows)

    base_q, other_q = quality(base["id"]), quality(other["id"])

    only_moved(base_q, other_q, "consistency")
    (mismatch,) = [d for d in other_q["deductions"] if d["code"] == "sum-mismatch"]
    assert mismatch["params"]["count"] == 1
    assert mismatch["params"]["rule"] == "laki_laki + perempuan = jumlah"
    assert mismatch["resource_id"] == other["id"] or mismatch["link"]


@pytest.mark.ckan_config("ckanext.satudata.validation.on_failure", "store")
def test_a_duplicate_key_moves_uniqueness_only(opd: dict[str, Any]) -> None:
    # Neither file reaches the DataStore (one fails validation): both are
    # judged on their reports alone.
    base = make_dataset(opd["id"], "kunci-unik")
    add_table(base, sex_rows(), load=False)
    other = make_dataset(opd["id"], "kunci-ganda")
    rows = sex_rows()
    rows.append(dict(rows[0]))
    add_table(other, rows, load=False)

    base_q, other_q = quality(base["id"]), quality(other["id"])

    only_moved(base_q, other_q, "uniqueness")
    assert codes(other_q, "uniqueness") == ["duplicate-keys"]


def test_no_data_standard_moves_conformity(opd: dict[str, Any]) -> None:
    base = make_dataset(opd["id"], "berstandar")
    add_table(base, sex_rows(), load=False)
    other = make_dataset(opd["id"], "tanpa-standar", standar_data="")
    add_table(other, sex_rows(), load=False)

    other_q = quality(other["id"])

    # The header is the standard's: the report detects it, half the points.
    assert codes(other_q, "conformity") in (["standard-detected"], ["standard-missing"])
    only_moved(quality(base["id"]), other_q, "conformity")


def test_an_overdue_dataset_moves_timeliness_only(opd: dict[str, Any]) -> None:
    import datetime

    from ckanext.satudata.model import quality_score
    from ckanext.satudata.quality import rules

    dataset = make_dataset(opd["id"], "tepat-waktu")
    add_table(dataset, sex_rows())
    evidence = quality_score.get(dataset["id"]).evidence  # type: ignore[union-attr]
    today = datetime.date.today()

    now = rules.assess(evidence, today=today)
    later = rules.assess(evidence, today=today + datetime.timedelta(days=400))

    assert later.dimension("timeliness").score < now.dimension("timeliness").score  # type: ignore[operator]
    for name in DIMENSIONS:
        if name != "timeliness":
            assert later.dimension(name).score == now.dimension(name).score
    assert "overdue" in [d.code for d in later.dimension("timeliness").deductions]
    assert call_action("package_show", site(), id=dataset["id"])["freshness"] == "current"


def _with_kabupaten(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The kecamatan rows and, per year, the kabupaten's row (64.01): the
    levels of a Dukcapil table, its figures their sum."""
    totals = []
    for year in sorted({r["tahun"] for r in rows}):
        of_year = [r for r in rows if r["tahun"] == year]
        totals.append(
            {"kode_wilayah": "64.01", "nama_wilayah": "PASER", "tahun": year, "semester": 2,
             **{c: sum(r[c] for r in of_year) for c in ("laki_laki", "perempuan", "jumlah")}}
        )  # fmt: skip
    return totals + rows


def test_levels_that_disagree_move_consistency_only(app: Any, opd: dict[str, Any]) -> None:
    base = make_dataset(opd["id"], "tingkat-sepakat")
    add_table(base, _with_kabupaten(sex_rows()))
    other = make_dataset(opd["id"], "tingkat-berselisih")
    rows = _with_kabupaten(sex_rows())
    (kabupaten,) = [r for r in rows if r["kode_wilayah"] == "64.01" and r["tahun"] == 2024]
    # Its own sum still holds (laki_laki + perempuan = jumlah): only the levels disagree.
    kabupaten["laki_laki"] += 40
    kabupaten["jumlah"] += 40
    add_table(other, rows)

    with app.flask_app.test_request_context("/"):  # messages in the default language
        base_q, other_q = quality(base["id"]), quality(other["id"])

    assert scores(base_q)["consistency"] == 100.0
    only_moved(base_q, other_q, "consistency")
    assert "sum-mismatch" not in codes(other_q, "consistency")
    (wrong,) = [d for d in other_q["deductions"] if d["code"] == "hierarchy-mismatch"]
    assert {k: wrong["params"][k] for k in ("level", "region", "period", "column")} == {
        "level": "kecamatan", "region": "64.01", "period": "2024-S2", "column": "jumlah",
    }  # fmt: skip
    # The total named first (laki_laki differs alike).
    assert wrong["params"]["total"] - wrong["params"]["summed"] == 40
    assert "kecamatan" in wrong["cause"] and "64.01" in wrong["cause"]
    assert "2024-S2" in wrong["cause"]
    assert wrong["link"]  # to the table
