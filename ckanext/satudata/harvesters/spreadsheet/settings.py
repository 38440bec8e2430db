"""Settings of a spreadsheet harvest source (its JSON config), parsed once;
every key is described in SETTINGS (see harvesters/settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from ckanext.satudata import net
from ckanext.satudata.harvesters.messages import N_, message
from ckanext.satudata.harvesters.settings import (
    FETCH_SETTINGS,
    REVIEW_SETTINGS,
    Field,
    HarvestConfigError,
    Setting,
    trusted_setting,
)
from ckanext.satudata.harvesters.settings import fetch_policy as parse_fetch_policy
from ckanext.satudata.harvesters.spreadsheet import inventory
from ckanext.satudata.standards import registry

RemovedRows = Literal["flag", "delete"]
REMOVED_ROW_MODES: tuple[RemovedRows, ...] = ("flag", "delete")
ROW_MODE_LABELS = {"flag": N_("Keep the dataset, not shown"), "delete": N_("Delete the dataset")}
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024
# SDI fields a default may fill (everything the inventory does not decide itself).
DEFAULTABLE = frozenset(
    {
        "theme", "subtopik", "jenis", "accessRights", "accrualPeriodicity", "periode",
        "tahun_mulai", "tahun_akhir", "tingkat_wilayah", "kode_wilayah", "satuan", "ukuran",
        "author_email", "maintainer", "maintainer_email", "publisher_type", "sumber",
        "license_id", "standar_data", "id_sds",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SpreadsheetSettings:
    organization: str | None = None
    column_mapping: Mapping[str, str] = field(default_factory=dict)
    standar_data: str | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    removed_rows: RemovedRows = "flag"
    max_shrink: float = 0.5
    trusted: bool = False
    policy: net.FetchPolicy = field(
        default_factory=lambda: net.FetchPolicy(max_bytes=DEFAULT_MAX_FILE_SIZE)
    )

    SETTINGS: ClassVar[tuple[Setting, ...]] = (
        Setting(
            "organization",
            N_(
                "Owner OPD (name or id); default the harvest source's owner. Another OPD than "
                "one the editor may publish in needs a sysadmin."
            ),
            "dinkes-paser",
            label=N_("Producing OPD"),
            form=Field("organization"),
        ),
        Setting(
            "column_mapping",
            N_(
                '{"header as written": "column key"} for inventory headers the tolerant '
                "matching does not know (keys as in inventory.COLUMNS, e.g. nama_data)."
            ),
            {"Judul Data": "nama_data"},
            label=N_("Inventory headers"),
            form=Field("pairs", placeholder="Judul Data = nama_data"),
        ),
        Setting(
            "standar_data",
            N_("Data standard of the rows that name none (a Table Schema name)."),
            "indikator_wilayah_tahun",
            label=N_("Data standard"),
            form=Field("choice", choices=lambda: [(n, t) for n, t, _ in registry.list_standards()]),
        ),
        Setting(
            "defaults",
            N_(
                "SDI field values for what neither the row nor the data file gives, e.g. "
                '{"theme": "pendidikan-tenaga-kerja", "license_id": "cc-by"}.'
            ),
            {"license_id": "cc-by-sa"},
            label=N_("Default field values"),
            form=Field("pairs", placeholder="license_id = cc-by"),
        ),
        Setting(
            "max_file_size",
            N_("Largest inventory or data file in bytes (default 20 MB)."),
            1_000_000,
            label=N_("Largest file (bytes)"),
            form=Field("integer", placeholder=str(DEFAULT_MAX_FILE_SIZE)),
        ),
        Setting(
            "removed_rows",
            N_(
                '"flag" (default: keep the dataset, status_data tidak_ditayangkan) or "delete" '
                "the dataset of a row that left the inventory."
            ),
            "delete",
            label=N_("Rows removed from the inventory"),
            form=Field(
                "choice", choices=lambda: [(m, ROW_MODE_LABELS[m]) for m in REMOVED_ROW_MODES]
            ),
        ),
        Setting(
            "max_shrink",
            N_(
                "Largest share of rows that may disappear in one run (default 0.5); a "
                "bigger loss changes nothing."
            ),
            0.2,
            label=N_("Largest share of rows removed at once"),
            form=Field("number", placeholder="0.5"),
        ),
        *FETCH_SETTINGS,
        *REVIEW_SETTINGS,
    )

    @classmethod
    def parse(cls, config: Mapping[str, Any]) -> SpreadsheetSettings:
        """Checked settings of a source config; raises HarvestConfigError naming the key."""
        organization = config.get("organization")
        if organization is not None and (not isinstance(organization, str) or not organization):
            raise HarvestConfigError(
                message(N_("organization must be the name or id of an organization")),
                key="organization",
            )

        mapping = config.get("column_mapping") or {}
        if not isinstance(mapping, dict):
            raise HarvestConfigError(
                message(N_('column_mapping must be an object {{"header": "column key"}}')),
                key="column_mapping",
            )
        for header, key in mapping.items():
            if key not in inventory.BY_KEY:
                raise HarvestConfigError(
                    message(
                        N_("column_mapping: {header} maps to unknown column {column}; "
                           "known: {known}"),
                        header=repr(header), column=repr(key), known=", ".join(inventory.BY_KEY),
                    ),
                    key="column_mapping",
                )  # fmt: skip

        standard = config.get("standar_data")
        if standard is not None:
            if not isinstance(standard, str) or not standard:
                raise HarvestConfigError(
                    message(N_("standar_data must be the name of a data standard")),
                    key="standar_data",
                )
            known = registry.names()
            if standard not in known:
                raise HarvestConfigError(
                    message(
                        N_("standar_data: unknown data standard {standard}; known: {known}"),
                        standard=repr(standard), known=", ".join(known),
                    ),
                    key="standar_data",
                )  # fmt: skip

        defaults = config.get("defaults") or {}
        if not isinstance(defaults, dict):
            raise HarvestConfigError(
                message(N_("defaults must be an object of SDI field values")), key="defaults"
            )
        bad = sorted(set(defaults) - DEFAULTABLE)
        if bad:
            raise HarvestConfigError(
                message(
                    N_("defaults: field(s) {fields} cannot be defaulted; allowed: {allowed}"),
                    fields=", ".join(bad), allowed=", ".join(sorted(DEFAULTABLE)),
                ),
                key="defaults",
            )  # fmt: skip

        policy = parse_fetch_policy(
            config, max_bytes_key="max_file_size", max_bytes=DEFAULT_MAX_FILE_SIZE
        )
        mode = config.get("removed_rows", "flag")
        if mode not in REMOVED_ROW_MODES:
            raise HarvestConfigError(
                message(
                    N_("removed_rows must be one of {choices}"),
                    choices=", ".join(REMOVED_ROW_MODES),
                ),
                key="removed_rows",
            )
        max_shrink = config.get("max_shrink", 0.5)
        if (
            isinstance(max_shrink, bool)
            or not isinstance(max_shrink, (int, float))
            or not (0 <= max_shrink <= 1)
        ):
            raise HarvestConfigError(
                message(N_("max_shrink must be a share between 0 and 1 (e.g. 0.5)")),
                key="max_shrink",
            )
        return cls(
            organization=organization,
            column_mapping=mapping,
            standar_data=standard,
            defaults=defaults,
            removed_rows=mode,
            max_shrink=float(max_shrink),
            trusted=trusted_setting(config),
            policy=policy,
        )
