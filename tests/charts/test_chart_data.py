"""The chart view's server side on the real stack: DataStore tables loaded
by our loader, figures aggregated in PostgreSQL, read through the Action API
(``satudata_chart_data``) and the view's own URLs (CSV, SVG, PNG, embed)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from auth_matrix import ROLES, AuthRoles, allowed_roles, assert_matrix
from charts_support import (
    AGAMA,
    PERIODS,
    chart_view_of,
    make_table,
    pyramid_rows,
    sex_rows,
)
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def chart(context: dict[str, Any] | None = None, **data: Any) -> dict[str, Any]:
    return call_action("satudata_chart_data", dict(context or {}), **data)


def by_category(result: dict[str, Any]) -> dict[tuple[str, str], float]:
    return {(v["category"], v["series"]): v["value"] for v in result["data"]["values"]}


def test_region_by_value_is_a_bar_chart(opd: dict[str, Any]) -> None:
    """penduduk_agama, one semester: a bar per kecamatan, a series per religion."""
    resource = make_table(opd, "penduduk_agama", AGAMA)

    result = chart(resource_id=resource["id"])

    assert result["configured"] is False
    assert result["settings"]["chart_type"] == "bar"
    data = result["data"]
    assert data["categories"] == ["Batu Sopang", "Tanah Grogot", "Tanjung Harapan"]
    assert data["series"][:2] == ["Islam", "Kristen"]
    figures = by_category(result)
    assert figures[("Tanah Grogot", "Islam")] == 62_110
    assert figures[("Batu Sopang", "Kristen")] == 1_204
    # Every category x series, except the empty sums.
    assert len(data["values"]) == 3 * 7
    assert result["spec"]["mark"]["type"] == "bar"
    assert result["spec"]["config"]["locale"]["number"]["thousands"] == "."


def test_semesters_are_a_line_chart_of_the_totals(opd: dict[str, Any]) -> None:
    """penduduk_jenis_kelamin over two semesters: the kabupaten total per semester."""
    rows = sex_rows()
    resource = make_table(opd, "penduduk_jenis_kelamin", rows)

    result = chart(resource_id=resource["id"])

    assert result["settings"]["chart_type"] == "line"
    assert result["data"]["categories"] == ["2024 Semester I", "2024 Semester II"]
    expected = {
        label: sum(r["jumlah"] for r in rows if (r["tahun"], r["semester"]) == period)
        for period, label in PERIODS.items()
    }
    assert {c: v for (c, _), v in by_category(result).items()} == expected
    assert expected["2024 Semester II"] == 309_667


def test_age_band_by_sex_is_a_pyramid(opd: dict[str, Any]) -> None:
    rows = pyramid_rows()
    resource = make_table(opd, "penduduk_kelompok_umur_jenis_kelamin", rows)

    result = chart(resource_id=resource["id"])

    assert result["settings"]["chart_type"] == "pyramid"
    data = result["data"]
    assert data["categories"][0] == "0-4" and data["categories"][-1] == "75+"
    assert len(data["categories"]) == 16
    assert data["series"] == ["Laki-laki", "Perempuan"]
    figures = by_category(result)
    assert figures[("0-4", "Laki-laki")] == sum(r["laki_laki_umur_0_4"] for r in rows)
    male_columns = [k for k in rows[0] if k.startswith("laki_laki_umur_")]
    assert sum(v for (_, serie), v in figures.items() if serie == "Laki-laki") == sum(
        r[k] for r in rows for k in male_columns
    )
    # Men to the left: the spec negates the first series.
    assert "-datum.v" in result["spec"]["transform"][0]["calculate"]


def test_editor_settings_choose_type_axes_series_and_filter(opd: dict[str, Any]) -> None:
    """A table without a standard: the editor's chart (line, filtered, a series column)."""
    rows = [
        {"kecamatan": kecamatan, "tahun": year, "komoditas": crop, "produksi_ton": tons}
        for kecamatan, base in (("Long Ikis", 9000), ("Kuaro", 7000))
        for year in (2022, 2023, 2024)
        for crop, tons in (("Padi", base + year - 2000), ("Jagung", base // 10))
    ]
    resource = make_table(opd, None, rows)
    settings = {
        "chart_type": "line",
        "x": "tahun",
        "y": "produksi_ton",
        "series": "kecamatan",
        "filters": "komoditas=Padi",
    }

    result = chart(resource_id=resource["id"], **settings)

    assert result["configured"] is True
    assert result["data"]["categories"] == ["2022", "2023", "2024"]
    assert result["data"]["series"] == ["Kuaro", "Long Ikis"]
    assert by_category(result)[("2024", "Long Ikis")] == 9024

    view = chart_view_of(resource, settings)
    assert by_category(chart(view_id=view["id"])) == by_category(result)


def test_bad_settings_name_the_setting(opd: dict[str, Any]) -> None:
    import ckan.plugins.toolkit as tk

    resource = make_table(opd, "penduduk_agama", AGAMA)
    with pytest.raises(tk.ValidationError) as raised:
        chart(resource_id=resource["id"], chart_type="bar", x="nama_wilayah", y="nama_wilayah")
    assert "y: column 'nama_wilayah' is not numeric" in str(raised.value.error_dict)
    with pytest.raises(tk.ValidationError) as raised:
        chart(resource_id=resource["id"], chart_type="pie", x="nama_wilayah", y="islam")
    assert "chart type 'pie'" in str(raised.value.error_dict)


def test_view_files_and_embed_page(app: Any, opd: dict[str, Any]) -> None:
    resource = make_table(opd, "penduduk_agama", AGAMA)
    view = chart_view_of(resource, {})

    csv_response = app.get(f"/grafik/{view['id']}.csv")
    rows = list(csv.reader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Nama Wilayah", "Islam", "Kristen"]
    assert rows[2][:2] == ["Tanah Grogot", "62110"]

    svg = app.get(f"/grafik/{view['id']}.svg")
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    text = svg.get_data(as_text=True)
    assert "<svg" in text and "60.000" in text  # an axis label, Indonesian grouping
    png = app.get(f"/grafik/{view['id']}.png")
    assert png.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "60,000" in app.get(f"/en/grafik/{view['id']}.svg").get_data(as_text=True)

    page = app.get(f"/grafik/{view['id']}").get_data(as_text=True)
    assert 'data-module="satudata-chart"' in page
    assert "62.110" in page  # the table of the figures, without JavaScript
    assert f"/grafik/{view['id']}.svg" in page  # noscript image


def test_resource_page_shows_the_default_chart_view(app: Any, opd: dict[str, Any]) -> None:
    """The DataStore load creates the chart view by default (ckan.views.default_views)."""
    resource = make_table(opd, "penduduk_agama", AGAMA)
    views = call_action("resource_view_list", id=resource["id"])
    chart_views = [v for v in views if v["view_type"] == "satudata_chart"]
    assert len(chart_views) == 1
    page = app.get(
        f"/dataset/{resource['package_id']}/resource/{resource['id']}?view_id={chart_views[0]['id']}"
    ).get_data(as_text=True)
    assert "satudata-chart" in page and "62.110" in page
    english = app.get(
        f"/en/dataset/{resource['package_id']}/resource/{resource['id']}?view_id={chart_views[0]['id']}"
    ).get_data(as_text=True)
    assert "62,110" in english


def test_private_table_figures_follow_the_resource_auth(auth_roles: AuthRoles) -> None:
    """Whoever may see the resource may read its chart; nobody else."""
    dataset = auth_roles.dataset(private=True, standar_data="penduduk_agama")
    resource = make_table(None, "penduduk_agama", AGAMA, dataset=dataset)
    readers = allowed_roles(auth_roles, "resource_show", {"id": resource["id"]})
    assert "anonymous" not in readers and "other_producer" not in readers
    assert {"producer", "sysadmin"} <= readers
    view = chart_view_of(resource, {})
    for data in ({"resource_id": resource["id"]}, {"view_id": view["id"]}):
        assert_matrix(auth_roles, "satudata_chart_data", data, allowed=readers)


def test_dataset_card_shows_its_chart(app: Any, opd: dict[str, Any]) -> None:
    """The Open Graph card of a dataset: its title, and its first chart as the image."""
    resource = make_table(opd, "penduduk_agama", AGAMA)
    view = chart_view_of(resource, {})
    page = app.get(f"/dataset/{resource['package_id']}").get_data(as_text=True)
    assert f'content="http://test.ckan.net/grafik/{view["id"]}.png"' in page
    assert 'property="og:title"' in page and 'name="twitter:card"' in page


def test_embed_page_follows_the_resource_auth(app: Any, auth_roles: AuthRoles) -> None:
    dataset = auth_roles.dataset(private=True, standar_data="penduduk_agama")
    resource = make_table(None, "penduduk_agama", AGAMA, dataset=dataset)
    view = chart_view_of(resource, {})
    readers = allowed_roles(auth_roles, "resource_show", {"id": resource["id"]})
    for role in ROLES:
        name = auth_roles.name(role)
        headers = {}
        if name:
            token = call_action(
                "api_token_create", {"user": name, "ignore_auth": True}, user=name, name="uji"
            )["token"]
            headers = {"Authorization": token}
        for path in (f"/grafik/{view['id']}", f"/grafik/{view['id']}.png"):
            response = app.get(path, headers=headers)
            expected = 200 if role in readers else 403
            assert response.status_code == expected, (role, path, response.status_code)


def test_editor_sets_a_chart_through_the_view_form(app: Any, opd: dict[str, Any]) -> None:
    """The dataset's editor chooses type, axes, series and filter in the form."""
    rows = [
        {"kecamatan": kecamatan, "tahun": year, "komoditas": crop, "produksi_ton": tons}
        for kecamatan, base in (("Long Ikis", 9000), ("Kuaro", 7000))
        for year in (2023, 2024)
        for crop, tons in (("Padi", base + year - 2000), ("Jagung", base // 10))
    ]
    resource = make_table(opd, None, rows)
    admin = call_action("get_site_user", {"ignore_auth": True})
    token = call_action(
        "api_token_create", {"user": admin["name"], "ignore_auth": True},
        user=admin["name"], name="uji",
    )["token"]  # fmt: skip
    headers = {"Authorization": token}
    url = f"/dataset/{resource['package_id']}/resource/{resource['id']}/new_view"

    form = app.get(url, query_string={"view_type": "satudata_chart"}, headers=headers)
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert 'id="field-chart_type"' in text and "produksi_ton" in text

    app.post(
        url + "?view_type=satudata_chart",
        data={"view_type": "satudata_chart", "title": "Produksi per tahun", "chart_type": "line", "x": "tahun",
              "y": "produksi_ton", "series": "kecamatan", "filters": "komoditas=Padi",
              "chart_title": "Produksi padi", "save": ""},
        headers=headers,
    )  # fmt: skip
    view = next(
        v for v in call_action("resource_view_list", id=resource["id"])
        if v["title"] == "Produksi per tahun"
    )  # fmt: skip
    assert (view["chart_type"], view["series"], view["filters"]) == (
        "line",
        "kecamatan",
        "komoditas=Padi",
    )
    result = chart(view_id=view["id"])
    assert result["data"]["title"] == "Produksi padi"
    assert by_category(result)[("2024", "Kuaro")] == 7024
