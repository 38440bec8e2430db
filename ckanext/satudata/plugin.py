"""CKAN plugin entry point. Kept thin: the work lives in the modules that the
blanket decorators register (logic/, helpers.py, views.py, cli.py) and in the
modules the interface methods below delegate to."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.types import CKANApp, Context
from flask import Flask

from ckanext.satudata import compat, config, downloads, uploads, views, writes
from ckanext.satudata.catalog import freshness, search, topics
from ckanext.satudata.charts import view as chart_view
from ckanext.satudata.logic import action, auth
from ckanext.satudata.ops import outage, webassets
from ckanext.satudata.quality import service as quality
from ckanext.satudata.review import pending, visibility
from ckanext.satudata.validation import hooks, reports


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.validators
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.cli
class SatudataPlugin(p.SingletonPlugin, DefaultTranslation):
    # i18n/<lang>/LC_MESSAGES/ckanext-satudata.mo, compiled at install (setup.py)
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IUploader, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config_: CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "satudata")
        config_.update(config.core_look_settings())

    # IConfigurable

    def configure(self, config_: CKANConfig) -> None:
        compat.allow_blocking_harvest_queue_reads()
        compat.leave_harvest_resubmission_to_the_watchdog()
        compat.remember_dcat_profiles()
        compat.fetch_datastore_aliases_inside_their_connection()
        config.check()

    # IUploader: stored files follow the database (uploads.py)

    def get_resource_uploader(self, data_dict: dict[str, Any]) -> Any:
        return uploads.resource_uploader(data_dict)

    # IMiddleware: downloads served on the Flask app (downloads/); a request
    # that meets an outage gets a clear 503 (ops/outage.py); web assets built
    # once at start (ops/webassets.py)

    def make_middleware(self, app: CKANApp, config_: CKANConfig) -> CKANApp:
        if isinstance(app, Flask):
            downloads.install(app)
            outage.register(app)
        if config.webassets_build_at_start():
            webassets.build_then_freeze()
        return app

    # ISignal: a validation report or DataStore load re-scores its dataset;
    # a write unit (writes.py) scores each dataset it changed once, at its end

    def get_signal_subscriptions(self) -> dict[Any, Any]:
        return {
            reports.evidence_changed: [quality.on_evidence_changed],
            writes.finished: [quality.on_write_finished],
        }

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return search.add_facets(facets_dict, package_type)

    def organization_facets(
        self, facets_dict: dict[str, Any], organization_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return search.add_facets(facets_dict)

    def group_facets(
        self, facets_dict: dict[str, Any], group_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return search.add_facets(facets_dict)

    # IPackageController

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        topics.sync_topic_group(pkg_dict["id"], pkg_dict.get("theme"))
        quality.after_dataset_change(pkg_dict)

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        topics.sync_topic_group(pkg_dict["id"], pkg_dict.get("theme"))
        reports.forget_removed(pkg_dict["id"])
        quality.after_dataset_change(pkg_dict)

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        # Computed at every show (not stored), so the API never serves a stale
        # state; datasets only (a harvest source is a package too).
        if pkg_dict.get("type") == "dataset":
            pkg_dict.update(freshness.of_dataset(pkg_dict).as_api_fields())
        pending.show_for_edit(context, pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search.label_facet_items(search_results)

    # IPermissionLabels: a dataset is public only once the walidata published it

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        return visibility.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User | None) -> list[str]:
        return visibility.user_labels(user_obj)

    # IResourceController: validation of uploads and URLs (validation/hooks.py)

    def before_resource_create(self, context: Context, resource: dict[str, Any]) -> None:
        hooks.before_change(context, resource, None)

    def after_resource_create(self, context: Context, resource: dict[str, Any]) -> None:
        hooks.after_change(context, resource)

    def before_resource_update(
        self, context: Context, current: dict[str, Any], resource: dict[str, Any]
    ) -> None:
        hooks.before_change(context, resource, current)

    def after_resource_update(self, context: Context, resource: dict[str, Any]) -> None:
        hooks.after_change(context, resource)

    def before_resource_show(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        return reports.add_to_resource(resource_dict)


class SatudataChartView(p.SingletonPlugin):
    """The chart resource view (``satudata_chart``): charts/view.py."""

    p.implements(p.IResourceView)

    def info(self) -> dict[str, Any]:
        return chart_view.info()

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return chart_view.can_view(data_dict)

    def setup_template_variables(
        self, context: Context, data_dict: dict[str, Any]
    ) -> dict[str, Any]:
        return chart_view.setup_template_variables(context, data_dict)

    def view_template(self, context: Context, data_dict: dict[str, Any]) -> str:
        return chart_view.view_template()

    def form_template(self, context: Context, data_dict: dict[str, Any]) -> str:
        return chart_view.form_template()
