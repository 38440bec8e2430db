"""Aggregates, recomputation, the index, the export, the pages and who may
read what, on the real stack."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles, assert_matrix
from ckan.tests.helpers import call_action
from openpyxl import load_workbook
from quality_support import add_table, make_dataset, quality, sex_rows, site

from ckanext.satudata.model import quality_score

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_opd_and_portal_aggregates(make_opd: Any) -> None:
    good = make_opd("dinkes-paser", "Dinas Kesehatan")
    poor = make_opd("distan-paser", "Dinas Pertanian")
    first = make_dataset(good["id"], "baik-1")
    add_table(first, sex_rows())
    second = make_dataset(good["id"], "baik-2")
    add_table(second, sex_rows())
    weak = make_dataset(poor["id"], "lemah", license_id="", standar_data="", tags=None)
    scores = {d["name"]: quality(d["id"])["score"] for d in (first, second, weak)}

    summary = call_action("satudata_quality_summary", {})

    ranked = [o["name"] for o in summary["organizations"]]
    assert ranked == ["dinkes-paser", "distan-paser"]
    top = summary["organizations"][0]
    assert top["rank"] == 1 and top["datasets"] == 2
    assert top["score"] == pytest.approx((scores["baik-1"] + scores["baik-2"]) / 2, abs=0.1)
    portal = summary["portal"]
    assert portal["datasets"] == 3
    assert portal["score"] == pytest.approx(sum(scores.values()) / 3, abs=0.1)
    assert sum(portal["grades"].values()) == 3
    one = call_action("satudata_quality_summary", {}, organization="distan-paser")
    assert [d["name"] for d in one["datasets"]] == ["lemah"]
    assert one["organizations"][0]["datasets"] == 1


def test_private_datasets_count_for_the_walidata_only(auth_roles: AuthRoles) -> None:
    auth_roles.dataset(name="terbuka")
    auth_roles.dataset(name="tertutup", accessRights="tertutup")
    counts = {
        role: call_action("satudata_quality_summary", auth_roles.context(role))["portal"][
            "datasets"
        ]
        for role in ROLES
    }
    assert counts == {
        "anonymous": 1, "producer": 1, "other_producer": 1,
        "walidata": 2, "walidata_pendukung": 2, "sysadmin": 2,
    }  # fmt: skip


def test_recomputed_when_the_dataset_the_data_or_the_report_change(opd: dict[str, Any]) -> None:
    dataset = make_dataset(opd["id"], "berubah", license_id="")
    before = quality(dataset["id"])
    assert before["dimensions"][1]["name"] == "conformity"
    assert [d for d in before["deductions"] if d["code"] == "no-table"]

    call_action("package_patch", site(), id=dataset["id"], license_id="cc-by")
    patched = quality_score.get(dataset["id"])
    assert patched is not None
    assert {"code": "field-recommended", "field": "license_id"} not in [
        {"code": d["code"], "field": d["field"]} for d in patched.deductions
    ]
    assert patched.score > before["score"]

    resource = add_table(dataset, sex_rows(), load=False)
    with_table = quality_score.get(dataset["id"])
    assert with_table is not None and with_table.dimensions["conformity"] == 100.0
    assert with_table.dimensions["completeness"] is not None
    # The DataStore load (a job in production) brings the regions and sums.
    from ckanext.satudata.standards import registry
    from ckanext.satudata.validation import datastore

    datastore.load_resource(resource["id"], registry.standard_descriptor("penduduk_jenis_kelamin"))
    loaded = quality_score.get(dataset["id"])
    assert loaded is not None and loaded.dimensions["consistency"] == 100.0


def test_sort_and_facet_by_grade(make_opd: Any) -> None:
    opd = make_opd("dinkes-paser", "Dinas Kesehatan")
    good = make_dataset(opd["id"], "bagus")
    add_table(good, sex_rows())
    make_dataset(opd["id"], "kurang", license_id="", standar_data="", tags=None)
    grades = {n: quality_score.get(call_action("package_show", site(), id=n)["id"]).grade
              for n in ("bagus", "kurang")}  # type: ignore[union-attr]  # fmt: skip

    found = call_action(
        "package_search",
        {},
        q="*:*",
        sort="quality_score desc",
        **{"facet.field": '["quality_grade"]'},
    )

    assert [d["name"] for d in found["results"]] == ["bagus", "kurang"]
    facet = {i["name"]: i["count"] for i in found["search_facets"]["quality_grade"]["items"]}
    assert sum(facet.values()) == 2 and set(facet) == set(grades.values())
    ascending = call_action("package_search", {}, q="*:*", sort="quality_score asc")
    assert [d["name"] for d in ascending["results"]] == ["kurang", "bagus"]
    only = call_action("package_search", {}, fq=f'quality_grade:"{grades["kurang"]}"')
    assert "kurang" in [d["name"] for d in only["results"]]


def test_the_nightly_refresh_rescores_time_and_reindexes(opd: dict[str, Any]) -> None:
    import datetime

    from ckanext.satudata.quality import service

    dataset = make_dataset(opd["id"], "segar")
    add_table(dataset, sex_rows())
    unchanged = service.refresh()
    assert unchanged.datasets == 1 and unchanged.changed == []

    later = service.refresh(today=datetime.date.today() + datetime.timedelta(days=800))

    assert later.changed == [dataset["id"]]
    row = quality_score.get(dataset["id"])
    assert row is not None and "overdue" in [d["code"] for d in row.deductions]
    indexed = call_action("package_search", {}, fq=f'quality_grade:"{row.grade}"')
    assert indexed["count"] == 1


def test_the_evidence_export(app: Any, sysadmin: dict[str, Any], opd: dict[str, Any]) -> None:
    dataset = make_dataset(opd["id"], "bukan-rumus", title='=HYPERLINK("x")')
    add_table(dataset, sex_rows())
    headers = {"Authorization": sysadmin["token"]}

    response = app.get("/kualitas/bukti.csv", headers=headers)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["Perangkat Daerah (OPD)", "Dataset", "Judul", "URL", "Skor", "Nilai"]
    assert rows[1][2] == '\'=HYPERLINK("x")'  # neutralised, never a formula
    xlsx = app.get("/kualitas/bukti.xlsx", headers=headers)
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert workbook.sheetnames == ["Kualitas", "Rincian", "OPD"]
    details = list(workbook["Rincian"].iter_rows(values_only=True))
    assert len(details) > 1 and all(row[4] for row in details[1:])
    assert app.get("/kualitas/bukti.csv").status_code == 403
    # The action serves the same file (base64), after the same auth.
    import base64

    with app.flask_app.test_request_context("/"):
        found = call_action("satudata_quality_export", {"user": sysadmin["name"]}, format="csv")
    assert found["filename"].endswith(".csv") and found["content_type"].startswith("text/csv")
    assert "bukan-rumus" in base64.b64decode(found["content"]).decode("utf-8")
    from ckan.plugins import toolkit as tk

    with pytest.raises(tk.NotAuthorized):
        call_action("satudata_quality_export", {"user": "", "ignore_auth": False}, format="csv")


def test_auth_matrix(auth_roles: AuthRoles) -> None:
    public = auth_roles.dataset(name="terbuka")
    private = auth_roles.dataset(name="tertutup", accessRights="tertutup")
    everyone = set(ROLES)
    assert_matrix(auth_roles, "satudata_quality_show", {"id": public["id"]}, everyone)
    assert_matrix(
        auth_roles, "satudata_quality_show", {"id": private["id"]},
        {"producer", "sysadmin"},  # who may see the private dataset
    )  # fmt: skip
    assert_matrix(auth_roles, "satudata_quality_summary", {}, everyone)
    assert_matrix(
        auth_roles, "satudata_quality_export", {},
        {"walidata", "walidata_pendukung", "sysadmin"},
    )  # fmt: skip
    assert_matrix(
        auth_roles, "satudata_quality_export", {"organization": auth_roles.owner["id"]},
        {"producer", "walidata", "walidata_pendukung", "sysadmin"},
    )  # fmt: skip


def test_pages(app: Any, sysadmin: dict[str, Any], opd: dict[str, Any]) -> None:
    dataset = make_dataset(opd["id"], "halaman", license_id="")
    add_table(dataset, sex_rows())

    page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert 'id="kualitas"' in page and "Kualitas data" in page
    assert "tambahkan lisensi" in page and "#field-license_id" in page
    english = app.get(f"/en/dataset/{dataset['name']}").get_data(as_text=True)
    assert "Data quality" in english and "add a licence" in english
    overview = app.get("/kualitas")
    assert overview.status_code == 200 and "Kelengkapan" in overview.get_data(as_text=True)
    assert app.get("/en/kualitas").status_code == 200
    assert app.get("/kualitas/opd").status_code == 403
    ranking = app.get(
        f"/kualitas/opd?opd={opd['name']}", headers={"Authorization": sysadmin["token"]}
    )
    assert ranking.status_code == 200 and dataset["title"] in ranking.get_data(as_text=True)
    organization = app.get(f"/organization/{opd['name']}").get_data(as_text=True)
    assert "Kualitas data" in organization


def test_the_refresh_command(cli: Any, opd: dict[str, Any]) -> None:
    from ckan.cli.cli import ckan

    dataset = make_dataset(opd["id"], "lewat-perintah")
    add_table(dataset, sex_rows())

    result = cli.invoke(ckan, ["satudata", "quality", "refresh", "--gather"])

    assert result.exit_code == 0, result.output
    assert "Scored 1 dataset(s)" in result.output


def _forget_score(package_id: str) -> None:
    """A dataset older than the quality table: no stored row."""
    from ckan import model

    model.Session.query(quality_score.QualityScore).filter_by(package_id=package_id).delete()
    model.Session.commit()


def test_reading_the_score_of_an_unscored_dataset_writes_nothing(
    app: Any, opd: dict[str, Any]
) -> None:
    dataset = make_dataset(opd["id"], "belum-dinilai", license_id="")
    add_table(dataset, sex_rows())
    stored = quality(dataset["id"])
    assert stored["stored"] is True
    _forget_score(dataset["id"])

    shown = quality(dataset["id"])

    # The score its evidence gives, computed for the reader, not stored.
    assert shown["stored"] is False
    assert (shown["score"], shown["grade"]) == (stored["score"], stored["grade"])
    assert [d["code"] for d in shown["deductions"]] == [d["code"] for d in stored["deductions"]]
    assert quality_score.get(dataset["id"]) is None
    page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert 'id="kualitas"' in page and "tambahkan lisensi" in page
    assert quality_score.get(dataset["id"]) is None
    # The next write scores and stores it.
    call_action("package_patch", site(), id=dataset["id"], license_id="cc-by")
    assert quality_score.get(dataset["id"]) is not None


def test_a_write_is_scored_once(opd: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """A package_update with two tables runs the package hook once and
    stores two reports: one score, at the end of the write (writes.py)."""
    from ckan.plugins import toolkit as tk
    from quality_support import to_csv
    from scoring_support import count_scorings
    from werkzeug.datastructures import FileStorage

    dataset = make_dataset(opd["id"], "sekali")
    scored = count_scorings(monkeypatch)
    tables = [
        {"name": name, "format": "CSV", "url": name,
         "upload": FileStorage(io.BytesIO(to_csv(sex_rows())), filename=name)}
        for name in ("a.csv", "b.csv")
    ]  # fmt: skip

    # ckan.tests' call_action sends its data through JSON: no uploads there.
    tk.get_action("package_patch")(site(), {"id": dataset["id"], "resources": tables})

    assert scored == [dataset["id"]]
    row = quality_score.get(dataset["id"])
    assert row is not None and row.dimensions["conformity"] == 100.0  # after both reports
    scored.clear()
    add_table(dataset, sex_rows(), load=False, name="c.csv")
    assert scored == [dataset["id"]]


def test_the_search_page_sorts_by_data_quality(app: Any, opd: dict[str, Any]) -> None:
    import re

    from ckanext.satudata.catalog import search

    good = make_dataset(opd["id"], "bagus-sekali")
    add_table(good, sex_rows())
    weak = make_dataset(opd["id"], "lemah-sekali", license_id="", standar_data="", tags=None)
    assert quality(good["id"])["score"] > quality(weak["id"])["score"]

    for prefix, label in (("", "Kualitas data"), ("/en", "Data quality")):
        page = app.get(f"{prefix}/dataset/").get_data(as_text=True)
        options = dict(re.findall(r'<option value="([^"]*)"[^>]*>\s*([^<]*?)\s*</option>', page))
        assert options.get(search.QUALITY_SORT) == label, options

    # The weaker dataset is the newer: first by date, last by quality.
    by_date = app.get("/dataset/", query_string={"sort": "metadata_modified desc"})
    assert _names(by_date.get_data(as_text=True)) == ["lemah-sekali", "bagus-sekali"]
    ranked = app.get("/dataset/", query_string={"sort": search.QUALITY_SORT})
    text = ranked.get_data(as_text=True)
    assert _names(text) == ["bagus-sekali", "lemah-sekali"]
    assert re.search(rf'<option value="{re.escape(search.QUALITY_SORT)}"\s+selected', text)


def _names(page: str) -> list[str]:
    """The datasets a search page lists, in order."""
    import re

    results = page.split('id="search-results"', 1)[-1]
    return list(dict.fromkeys(re.findall(r'href="/dataset/([a-z0-9-]+)"', results)))
