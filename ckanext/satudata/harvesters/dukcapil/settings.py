"""Settings of a Dukcapil harvest source (its JSON config), parsed once;
every key is described in SETTINGS (see harvesters/settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ckanext.satudata import config
from ckanext.satudata.harvesters.dukcapil import feed
from ckanext.satudata.harvesters.dukcapil.standard import DEFAULT_FAMILIES, FAMILIES, Semester
from ckanext.satudata.harvesters.settings import (
    FETCH_SETTINGS,
    REVIEW_SETTINGS,
    HarvestConfigError,
    Setting,
    fetch_policy,
    number_setting,
    trusted_setting,
)
from ckanext.satudata.reference import regions

PUBLISHED_LEVELS = ("kabupaten", "kecamatan", "desa")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class DukcapilSettings:
    releases: tuple[tuple[Semester, str], ...]
    root: str
    levels: tuple[str, ...]
    families: tuple[str, ...]
    feed: feed.FeedSettings
    organization: str | None
    trusted: bool = False

    SETTINGS: ClassVar[tuple[Setting, ...]] = (
        Setting(
            "semester",
            'The release the source URL serves, "YYYY-S1" or "YYYY-S2" (the feed does not '
            "say); or use releases.",
            "2024-S2",
        ),
        Setting(
            "releases",
            'Several releases at once (backfilling history): [{"semester", "url"}, …].',
            [{"semester": "2024-S1", "url": "https://dukcapil.example/DKB_2024_S1/MapServer"}],
        ),
        Setting(
            "organization",
            "The producing OPD (default: the source's owner). Another OPD than one the "
            "editor may publish in needs a sysadmin.",
            "disdukcapil-paser",
        ),
        Setting("region", "The region published (default: the tenant, 64.01).", "64.01.04"),
        Setting(
            "levels",
            'Levels published, out of "kabupaten", "kecamatan", "desa" (default ["kecamatan"]).',
            ["kecamatan", "desa"],
        ),
        Setting(
            "families",
            "Indicator families published (default: every family of standard.FAMILIES).",
            ["jenis_kelamin"],
        ),
        Setting(
            "layers",
            "{level: layer id} of the ArcGIS MapServer (default kabupaten 1, kecamatan 2, desa 3).",
            {"desa": 4},
        ),
        Setting("where", "ArcGIS where clause (default: from the region).", "no_prop=64"),
        Setting("page_size", "Records per page (default 2000, at most 10,000).", 500),
        Setting("max_pages", "Most pages read per layer (default 200).", 50),
        Setting("max_bytes", "Most bytes read per release (default 200 MB).", 10_000_000),
        Setting(
            "auth",
            '{"token_env"} (ArcGIS token) or {"username" | "username_env", "password_env"} '
            "(basic): each *_env names an environment variable of the harvest worker starting "
            "with SATUDATA_HARVEST_; secrets written in the config are refused (its editors "
            "can read it).",
            {"token_env": "SATUDATA_HARVEST_DUKCAPIL_TOKEN"},
        ),
        *FETCH_SETTINGS,
        *REVIEW_SETTINGS,
    )

    @classmethod
    def parse(cls, source_config: Mapping[str, Any], source_url: str) -> DukcapilSettings:
        """Parsed, checked settings; raises HarvestConfigError (or the
        parsers' ValueError) naming the setting."""
        if source_config.get("releases"):
            releases_raw = source_config["releases"]
            if not isinstance(releases_raw, list):
                raise HarvestConfigError("releases must be a list of {semester, url}")
        elif source_config.get("semester"):
            releases_raw = [{"semester": source_config["semester"], "url": source_url}]
        else:
            raise HarvestConfigError(
                'missing required setting: semester (e.g. "2024-S2") or releases'
            )
        releases: list[tuple[Semester, str]] = []
        for item in releases_raw:
            if not isinstance(item, Mapping) or not item.get("url"):
                raise HarvestConfigError("each release needs a semester and a url")
            releases.append((Semester.parse(item.get("semester")), str(item["url"])))
        if len({semester for semester, _ in releases}) != len(releases):
            raise HarvestConfigError("releases: a semester is listed twice")

        root = regions.normalize_code(source_config.get("region") or regions.tenant_root())
        if root not in regions.tenant_regions():
            raise HarvestConfigError(f"region {root} is not in the tenant's region list")
        levels = source_config.get("levels") or ["kecamatan"]
        if not isinstance(levels, list) or not set(levels) <= set(PUBLISHED_LEVELS):
            raise HarvestConfigError(f"levels must be a list out of {', '.join(PUBLISHED_LEVELS)}")
        families = source_config.get("families") or list(DEFAULT_FAMILIES)
        unknown = [f for f in families if f not in FAMILIES]
        if unknown:
            raise HarvestConfigError(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
        layers = {**feed.DEFAULT_LAYERS, **(source_config.get("layers") or {})}
        max_bytes = number_setting(source_config, "max_bytes", DEFAULT_MAX_BYTES, whole=True)
        try:
            feed_settings = feed.FeedSettings(
                layers={level: int(layer) for level, layer in layers.items()},
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
                auth=feed.FeedAuth.from_config(source_config),
            )
        except (TypeError, ValueError) as err:
            raise HarvestConfigError(f"feed setting: {err}") from None
        if feed_settings.page_size < 1 or feed_settings.max_pages < 1:
            raise HarvestConfigError("page_size and max_pages must be positive")
        return cls(
            releases=tuple(releases),
            root=root,
            levels=tuple(levels),
            families=tuple(families),
            feed=feed_settings,
            organization=source_config.get("organization"),
            trusted=trusted_setting(source_config),
        )
