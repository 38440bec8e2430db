"""`ckan satudata demo load` (run by `make demo`) is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action

from ckanext.satudata.demo import loader as demo
from ckanext.satudata.reference import vocabularies


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_demo_load_twice_creates_nothing_twice(cli, tmp_path: Path) -> None:
    password_file = tmp_path / "admin-password"
    args = ["satudata", "demo", "load", "--password-file", str(password_file)]

    first = cli.invoke(ckan_cli, args)
    assert first.exit_code == 0, first.output
    password = password_file.read_text().strip()
    second = cli.invoke(ckan_cli, args)
    assert second.exit_code == 0, second.output

    assert f"Sysadmin: admin / {password}" in first.output
    assert f"Sysadmin: admin / {password}" in second.output  # same credentials again
    assert "0 created" in second.output
    admin = model.User.get("admin")
    assert admin is not None and admin.sysadmin and admin.validate_password(password)
    assert model.Session.query(model.User).filter(model.User.name == "admin").count() == 1
    assert sorted(call_action("organization_list")) == sorted(
        o["name"] for o in demo.demo_organizations()
    )
    assert sorted(call_action("group_list")) == sorted(vocabularies.values("topic"))
    opd = call_action("organization_show", id="disdukcapil-paser")
    assert (opd["peran"], opd["urusan"]) == ("produsen_data", ["2.12"])


def test_demo_serves_dcat_ap_3_and_names_the_pelita_api() -> None:
    """`make demo` configures DCAT-AP 3 and says where the catalogue and the
    Pelita API are (tests/interop serves and checks both on the demo content)."""
    script = (Path(__file__).parents[1] / "scripts" / "demo.sh").read_text()
    assert '"ckanext.dcat.rdf.profiles=euro_dcat_ap_3 satudata_sdi"' in script
    assert "/catalog.ttl" in script and "/api/pelita/v1.3/dataset" in script
