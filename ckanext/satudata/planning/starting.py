"""A dataset started from a Daftar Data item (a row of the OPD's inventory
spreadsheet, imported through the one inventory reader): the fields the
dataset form starts with. Pure Python: no CKAN import."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.reference import vocabularies

# Item attribute -> dataset field, for values the import already matched to
# the vocabularies (inventory.match_term) or kept as text.
FIELDS = {
    "nama_data": "title",
    "id_ddd": "id_dds",
    "organization_id": "owner_org",
    "definisi": "notes",
    "jenis": "jenis",
    "klasifikasi": "accessRights",
    "satuan": "satuan",
    "jadwal_pemutakhiran": "accrualPeriodicity",
    "topik": "theme",
    "subtopik": "subtopik",
    "standar_data": "standar_data",
    "klasifikasi_penyajian": "klasifikasi",
    "kriteria_prioritas": "kriteria_prioritas",
}


def dataset_fields(item: dict[str, Any]) -> dict[str, str]:
    """The form fields of a new dataset from ``item`` (PlanItem.as_dict()):
    only what the inventory says; the steward fills in the rest."""
    fields = {
        field: str(item[key]).strip()
        for key, field in FIELDS.items()
        if item.get(key) not in (None, "") and str(item[key]).strip()
    }
    if "theme" not in fields and fields.get("subtopik"):
        topic = vocabularies.topic_of_subtopic(fields["subtopik"])
        if topic:
            fields["theme"] = topic
    if item.get("prioritas") and item.get("tahun"):
        fields["prioritas_tahun"] = str(item["tahun"])
    return fields
