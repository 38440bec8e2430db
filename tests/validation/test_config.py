"""Validation settings come from config_declaration.yaml (defaults and types);
an unknown mode or on_failure is an error, never a silent fallback."""

from __future__ import annotations

import io

import pytest
from ckan.exceptions import CkanConfigurationException
from ckan.tests.helpers import call_action
from validation_files import csv_bytes, with_error

from ckanext.satudata import config


@pytest.mark.usefixtures("with_plugins")
def test_declared_defaults_apply() -> None:
    assert (config.validation_mode(), config.validation_on_failure()) == ("sync", "reject")
    assert config.validation_formats() == {"csv", "xlsx", "xls", "ods"}
    assert config.validation_unchecked_kinds() == {"png", "jpeg", "gif", "webp", "tiff", "bmp"}
    limits = config.validation_limits()
    assert (limits.max_bytes, limits.max_rows) == (50 * config.MB, 2_000_000)
    policy = config.validation_fetch_policy()
    assert (policy.timeout, policy.allow_private) == (30, False)


# Without with_plugins: the plugin's configure() runs the same check and
# would refuse to load.
@pytest.mark.ckan_config("ckanext.satudata.validation.mode", "asynch")
def test_unknown_mode_is_refused() -> None:
    with pytest.raises(CkanConfigurationException, match="asynch"):
        config.check()


@pytest.mark.ckan_config("ckanext.satudata.validation.on_failure", "ignore")
def test_unknown_on_failure_is_refused() -> None:
    with pytest.raises(CkanConfigurationException, match="ignore"):
        config.check()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize(
    ("lang", "head"),
    [("id", "Berkas tidak lolos validasi ("), ("en", "The file failed validation (")],
)
def test_refusal_is_in_the_ui_language(app, sysadmin, sdi_dataset, lang, head) -> None:
    dataset = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **sdi_dataset(standar_data="penduduk_jenis_kelamin"),
    )
    header, rows, _, _ = with_error("wrong-type")
    content = csv_bytes(rows, header)
    response = app.post(
        f"/{lang}/api/action/resource_create",
        data={
            "package_id": dataset["id"],
            "name": "salah",
            "upload": (io.BytesIO(content), "salah.csv"),
        },
        headers={"Authorization": sysadmin["token"]},
        status=409,
    )
    message = response.json["error"]["upload"][0]
    assert message.startswith(head), message
