"""Settings of a Dukcapil harvest source (its JSON config), parsed once;
every key is described in SETTINGS (see harvesters/settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ckanext.satudata import config
from ckanext.satudata.harvesters.dukcapil import feed
from ckanext.satudata.harvesters.dukcapil.records import POLICIES, QUARANTINE, REJECT, RecordPolicy
from ckanext.satudata.harvesters.dukcapil.standard import (
    DEFAULT_FAMILIES,
    FAMILIES,
    Semester,
    SemesterError,
)
from ckanext.satudata.harvesters.messages import N_, message
from ckanext.satudata.harvesters.settings import (
    FETCH_SETTINGS,
    MISSING_SETTING,
    REVIEW_SETTINGS,
    Field,
    HarvestConfigError,
    Setting,
    fetch_policy,
    number_setting,
    trusted_setting,
)
from ckanext.satudata.reference import regions

PUBLISHED_LEVELS = ("kabupaten", "kecamatan", "desa")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_QUARANTINE_LIMIT = 0.01
POLICY_LABELS = {
    REJECT: N_("Reject the semester (published data untouched)"),
    QUARANTINE: N_("Leave them out and publish the rest"),
}


def _region_choices() -> list[tuple[str, str]]:
    """The tenant's regions down to the kecamatan, by code and name."""
    return [
        (code, f"{code} {region.name}")
        for code, region in regions.tenant_regions().items()
        if region.level != "desa"
    ]


@dataclass(frozen=True)
class DukcapilSettings:
    releases: tuple[tuple[Semester, feed.ReleaseSource], ...]
    root: str
    levels: tuple[str, ...]
    families: tuple[str, ...]
    feed: feed.FeedSettings
    organization: str | None
    policy: RecordPolicy
    trusted: bool = False

    SETTINGS: ClassVar[tuple[Setting, ...]] = (
        Setting(
            "semester",
            N_(
                'The release the source URL serves, "YYYY-S1" or "YYYY-S2" (the feed does not '
                "say); or use releases."
            ),
            "2024-S2",
            label=N_("Semester"),
            form=Field("text", placeholder="2024-S2"),
        ),
        Setting(
            "releases",
            N_(
                'Several releases at once (backfilling history): [{"semester", "url"}, …], or '
                '[{"semester", "services"}, …] for releases published as one service per level.'
            ),
            [{"semester": "2024-S1", "url": "https://dukcapil.example/DKB_2024_S1/MapServer"}],
            label=N_("Several releases"),
            form=Field(
                "json", placeholder='[{"semester": "2024-S1", "url": "https://…/MapServer"}]'
            ),
        ),
        Setting(
            "services",
            N_(
                "One ArcGIS service per region level, as Dukcapil publishes them: {level: the "
                "service's MapServer or FeatureServer URL (its layer 0) or a layer URL "
                "(…/MapServer/<layer>)}, relative URLs resolved against the source URL; the "
                "release named by semester is read from them instead of from one service with a "
                "layer per level (layers). Every published level needs its service; kabupaten "
                "and desa services add the cross-level checks."
            ),
            {
                "kecamatan": "https://dukcapil.example/arcgis/rest/services/DKB_KEC_2024_S2/MapServer"
            },
            label=N_("One service per level"),
            form=Field("parts", parts=PUBLISHED_LEVELS, placeholder="https://…/MapServer"),
        ),
        Setting(
            "organization",
            N_(
                "The producing OPD (default: the source's owner). Another OPD than one the "
                "editor may publish in needs a sysadmin."
            ),
            "disdukcapil-paser",
            label=N_("Producing OPD"),
            form=Field("organization"),
        ),
        Setting(
            "region",
            N_("The region published (default: the tenant, 64.01)."),
            "64.01.04",
            label=N_("Region"),
            form=Field("choice", choices=_region_choices),
        ),
        Setting(
            "levels",
            N_(
                'Levels published, out of "kabupaten", "kecamatan", "desa" (default ["kecamatan"]).'
            ),
            ["kecamatan", "desa"],
            label=N_("Levels published"),
            form=Field("choices", choices=lambda: [(v, v.capitalize()) for v in PUBLISHED_LEVELS]),
        ),
        Setting(
            "families",
            N_("Indicator families published (default: every family of standard.FAMILIES)."),
            ["jenis_kelamin"],
            label=N_("Indicator families"),
            form=Field("choices", choices=lambda: [(k, f.title) for k, f in FAMILIES.items()]),
        ),
        Setting(
            "layers",
            N_(
                "{level: layer id} of a release published as one ArcGIS MapServer with a layer per "
                "level (default kabupaten 1, kecamatan 2, desa 3)."
            ),
            {"desa": 4},
            label=N_("Layer of each level"),
            form=Field("parts", parts=PUBLISHED_LEVELS, part_kind="integer"),
        ),
        Setting(
            "dirty_records",
            N_(
                "What a record failing its own checks (a dirty or unknown region code, a count "
                "that is no number or negative, laki-laki + perempuan or a breakdown not summing "
                'to jumlah, a second record of the region with other figures) does: "reject" '
                "(default) rejects the semester (a breakdown: its family), published data left "
                'untouched; "quarantine" leaves such records out of every table, publishes the '
                "rest and lists them on the harvest job and on each semester's resource (shown on "
                "the dataset page), the cross-level checks computed on what is published (a parent "
                "against its published children and what its quarantined ones carry). Personal data rejects the "
                "semester whatever the policy."
            ),
            "quarantine",
            privileged=True,
            label=N_("Records failing their checks"),
            form=Field("choice", choices=lambda: [(p, POLICY_LABELS[p]) for p in POLICIES]),
        ),
        Setting(
            "quarantine_limit",
            N_(
                "With dirty_records quarantine: the most records quarantined, as a share of the "
                "records read, before the semester is rejected anyway (default 0.01)."
            ),
            0.05,
            privileged=True,
            label=N_("Largest share quarantined"),
            form=Field("number", placeholder=str(DEFAULT_QUARANTINE_LIMIT)),
        ),
        Setting(
            "where",
            N_("ArcGIS where clause (default: from the region)."),
            "no_prop=64",
            label=N_("ArcGIS filter (where)"),
            form=Field("text"),
        ),
        Setting(
            "page_size",
            N_("Records per page (default 2000, at most 10,000)."),
            500,
            label=N_("Records per page"),
            form=Field("integer", placeholder="2000"),
        ),
        Setting(
            "max_pages",
            N_("Most pages read per layer (default 200)."),
            50,
            label=N_("Most pages per layer"),
            form=Field("integer", placeholder="200"),
        ),
        Setting(
            "max_bytes",
            N_("Most bytes read per release (default 200 MB)."),
            10_000_000,
            label=N_("Most bytes per release"),
            form=Field("integer", placeholder=str(DEFAULT_MAX_BYTES)),
        ),
        Setting(
            "auth",
            N_(
                '{"token_env"} (ArcGIS token) or {"username" | "username_env", "password_env"} '
                "(basic): each *_env names an environment variable of the harvest worker, and only "
                "one of the OPD that owns the source: SATUDATA_HARVEST_<OPD>_<NAME>, <OPD> the "
                "owner organization's name in upper case with every other character as _ "
                "(disdukcapil-paser: SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN), <NAME> one word. "
                "Secrets written in the config are refused (its editors can read it). Credentials "
                "are sent only to the source's own scheme, host and port, never after a redirect "
                "elsewhere."
            ),
            {"token_env": "SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN"},
            label=N_("Sign-in to the feed"),
            form=Field("parts", parts=("token_env", "username", "username_env", "password_env")),
        ),
        *FETCH_SETTINGS,
        *REVIEW_SETTINGS,
    )

    @classmethod
    def parse(
        cls, source_config: Mapping[str, Any], source_url: str, owner: str | None
    ) -> DukcapilSettings:
        """Parsed, checked settings of a source owned by the OPD named
        ``owner``, whose secrets it reads (None: a config being saved, whose
        owner is not known here; its secret names are checked, nothing is
        read). Raises HarvestConfigError (or the parsers' ValueError) naming
        the setting."""
        layer_ids = {**feed.DEFAULT_LAYERS, **(source_config.get("layers") or {})}
        try:
            layer_ids = {level: int(layer) for level, layer in layer_ids.items()}
        except (TypeError, ValueError):
            raise HarvestConfigError(
                message(N_("layers must be {{level: layer id}}")), key="layers"
            ) from None
        releases = _releases(source_config, source_url, layer_ids)

        root = regions.normalize_code(source_config.get("region") or regions.tenant_root())
        if root not in regions.tenant_regions():
            raise HarvestConfigError(
                message(N_("region {region} is not in the tenant's region list"), region=root),
                key="region",
            )
        levels = source_config.get("levels") or ["kecamatan"]
        if not isinstance(levels, list) or not set(levels) <= set(PUBLISHED_LEVELS):
            raise HarvestConfigError(
                message(
                    N_("levels must be a list out of {choices}"),
                    choices=", ".join(PUBLISHED_LEVELS),
                ),
                key="levels",
            )
        families = source_config.get("families") or list(DEFAULT_FAMILIES)
        unknown = [f for f in families if f not in FAMILIES]
        if unknown:
            raise HarvestConfigError(
                message(
                    N_("families: unknown {unknown}; known: {known}"),
                    unknown=", ".join(map(str, unknown)), known=", ".join(FAMILIES),
                ),
                key="families",
            )  # fmt: skip
        for semester, source in releases:
            lacking = [level for level in levels if source.layers and not source.layer_url(level)]
            if lacking:
                raise HarvestConfigError(
                    message(
                        N_("{semester}: no service or layer for the published level(s) {levels}"),
                        semester=semester.key, levels=", ".join(lacking),
                    ),
                    key="services" if source_config.get("services") else "levels",
                )  # fmt: skip
        max_bytes = number_setting(source_config, "max_bytes", DEFAULT_MAX_BYTES, whole=True)
        try:
            if owner is None:
                feed.FeedAuth.env_names(source_config, None)
                auth = feed.FeedAuth()
            else:
                auth = feed.FeedAuth.from_config(source_config, owner)
            feed_settings = feed.FeedSettings(
                where=str(source_config.get("where") or feed.where_for_root(root)),
                page_size=int(source_config.get("page_size", 2000)),
                max_pages=int(source_config.get("max_pages", 200)),
                max_bytes=max_bytes,
                fetch=fetch_policy(
                    source_config,
                    max_bytes_key="max_bytes",
                    max_bytes=max_bytes,
                    retries=3,
                    backoff=1.0,
                ),
                xlsx_limits=config.validation_limits(),
                auth=auth,
            )
        except HarvestConfigError:
            raise
        except (TypeError, ValueError) as err:
            # int() of page_size or max_pages; the one setting cannot be told apart here.
            raise HarvestConfigError(
                message(N_("page_size and max_pages must be whole numbers ({error})"),
                        error=str(err)),
                key="page_size",
            ) from None  # fmt: skip
        for key in ("page_size", "max_pages"):
            if getattr(feed_settings, key) < 1:
                raise HarvestConfigError(
                    message(N_("{key} must be a whole number above 0, not {value}"),
                            key=key, value=repr(getattr(feed_settings, key))),
                    key=key,
                )  # fmt: skip
        return cls(
            releases=tuple(releases),
            root=root,
            levels=tuple(levels),
            families=tuple(families),
            feed=feed_settings,
            organization=source_config.get("organization"),
            trusted=trusted_setting(source_config),
            policy=_policy(source_config),
        )


def _releases(
    source_config: Mapping[str, Any], source_url: str, layer_ids: Mapping[str, int]
) -> tuple[tuple[Semester, feed.ReleaseSource], ...]:
    """Each release named by the config and where it is read; raises
    HarvestConfigError naming the setting."""
    if source_config.get("releases"):
        if source_config.get("services"):
            raise HarvestConfigError(
                message(N_("services: with releases, name each release's services in the release")),
                key="services",
            )
        items = source_config["releases"]
        if not isinstance(items, list):
            raise HarvestConfigError(
                message(
                    N_("releases must be a list of {{semester, url}} or {{semester, services}}")
                ),
                key="releases",
            )
    elif source_config.get("semester"):
        items = [{"semester": source_config["semester"], "url": source_url,
                  "services": source_config.get("services")}]  # fmt: skip
    else:
        raise HarvestConfigError(
            message(MISSING_SETTING, keys='semester (e.g. "2024-S2") or releases'), key="semester"
        )
    # The setting a release's problem is shown at (the form has no field for releases).
    where = "releases" if source_config.get("releases") else "semester"
    where_services = "releases" if source_config.get("releases") else "services"
    releases: list[tuple[Semester, feed.ReleaseSource]] = []
    for item in items:
        if not isinstance(item, Mapping) or not (item.get("url") or item.get("services")):
            raise HarvestConfigError(
                message(N_("releases: each release needs a semester and a url or services")),
                key="releases",
            )
        try:
            semester = Semester.parse(item.get("semester"))
        except SemesterError:
            raise HarvestConfigError(
                message(N_('semester {value} is not of the form YYYY-S1 or YYYY-S2 (e.g. 2024-S2)'),
                        value=repr(item.get("semester"))),
                key=where,
            ) from None  # fmt: skip
        services = item.get("services")
        if services:
            if not isinstance(services, Mapping):
                raise HarvestConfigError(
                    message(N_("services must be {{level: service URL}}")), key=where_services
                )
            unknown = sorted(set(services) - set(PUBLISHED_LEVELS))
            if unknown:
                raise HarvestConfigError(
                    message(
                        N_("services: unknown level(s) {unknown}; known: {known}"),
                        unknown=", ".join(unknown), known=", ".join(PUBLISHED_LEVELS),
                    ),
                    key=where_services,
                )  # fmt: skip
            source = feed.per_level_services(services, str(item.get("url") or source_url))
        else:
            source = feed.single_service(str(item["url"]), layer_ids)
        releases.append((semester, source))
    if len({semester for semester, _ in releases}) != len(releases):
        raise HarvestConfigError(
            message(N_("releases: a semester is listed twice")), key="releases"
        )
    return tuple(releases)


def _policy(source_config: Mapping[str, Any]) -> RecordPolicy:
    mode = source_config.get("dirty_records") or REJECT
    if mode not in POLICIES:
        raise HarvestConfigError(
            message(
                N_("dirty_records must be one of {choices}, not {value}"),
                choices=", ".join(POLICIES),
                value=repr(mode),
            ),
            key="dirty_records",
        )
    share = number_setting(source_config, "quarantine_limit", DEFAULT_QUARANTINE_LIMIT)
    if share > 1:
        raise HarvestConfigError(
            message(
                N_("quarantine_limit is a share of the records read (0-1), not {value}"),
                value=share,
            ),
            key="quarantine_limit",
        )
    return RecordPolicy(mode, share)
