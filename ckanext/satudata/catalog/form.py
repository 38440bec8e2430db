"""The dataset form's pages (ckanext-scheming's ``start_form_page`` in
schemas/dataset.yaml): which page a field is on, and which page a form post
saves. The form saves a draft page by page; ``logic/validators.py
satudata_required`` lets a field of a later page stay empty in that draft.
Pure Python: no CKAN import."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.reference import regions

# Context flag set by the package actions (logic/action/dataset.py) on a form
# post that saves a draft: the number of the page posted (1-based).
FORM_PAGE_FLAG = "satudata_form_page"
# The hidden input scheming's form prints with the page number.
PHASE_KEY = "_ckan_phase"


def page_of_field(schema: dict[str, Any], field_name: str) -> int:
    """The 1-based form page of a dataset field (1 without pages)."""
    page = 0
    for field in schema.get("dataset_fields", []):
        if page == 0 or "start_form_page" in field:
            page += 1
        if field.get("field_name") == field_name:
            return page
    return 1


def posted_page(data_dict: dict[str, Any]) -> int | None:
    """The page a form post saves as a draft, or None when the write is not
    such a post (an API call, the final activation, an edit of a dataset)."""
    if data_dict.get("state") != "draft":
        return None
    # The first page also carries CKAN's own phase ("dataset_new_1"): the
    # posted value is then a list of both.
    phases = data_dict.get(PHASE_KEY)
    for phase in phases if isinstance(phases, list) else [phases]:
        if isinstance(phase, str) and phase.isdigit() and int(phase) > 0:
            return int(phase)
    return None


def region_groups(current: object) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
    """The region-code field's choices: the tenant's regions (reference/
    regions.py) as (kind, parent code, [(code, name, selected)]) groups, the
    regency first, then its districts, then each district's villages; kind
    ``other`` keeps what the dataset holds outside that list (a province, a
    code the server refused), so nothing typed is lost."""
    chosen = [str(item).strip() for item in regions.code_list(current) if str(item).strip()]
    dotted = {_dotted(item): item for item in chosen}
    tenant = regions.tenant_regions()
    root = regions.tenant_root()

    def entries(codes: list[str]) -> list[tuple[str, str, bool]]:
        return [(code, tenant[code].name, code in dotted) for code in codes]

    districts = sorted(r.code for r in regions.children(root, tenant))
    groups: list[tuple[str, str, list[tuple[str, str, bool]]]] = [
        ("regency", "", entries([root])),
        ("district", root, entries(districts)),
    ]
    for district in districts:
        villages = sorted(r.code for r in regions.children(district, tenant))
        groups.append(("village", district, entries(villages)))
    others = [(item, item, True) for code, item in dotted.items() if code not in tenant]
    if others:
        groups.append(("other", "", others))
    return groups


def _dotted(item: str) -> str:
    try:
        return regions.normalize_code(item)
    except regions.RegionCodeError:
        return item
