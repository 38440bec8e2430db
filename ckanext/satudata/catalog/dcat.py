"""DCAT export of the SDI schema (a ckanext-dcat RDF profile).

Runs after a DCAT-AP profile (``ckanext.dcat.rdf.profiles = euro_dcat_ap_2
satudata_sdi``), which covers title, description, keywords, publisher and
distributions. This profile adds the SDI fields:

- region codes -> ``dct:spatial`` (a ``dct:Location`` per Kemendagri code),
- update schedule -> ``dct:accrualPeriodicity`` (EU frequency authority),
- classification -> ``dct:accessRights`` (EU access-right authority),
- data standard -> ``dct:conformsTo``, years -> ``dct:temporal``,
- topic -> ``dcat:theme``, and every other schema field as ``sdi:<field>``.

The SDI namespace carries the national schema's own field names, so a harvester
that knows them (the national catalogue) needs no mapping. ``parse_dataset``
reads all of it back: the round trip is tested.
"""

from __future__ import annotations

import json
from typing import Any

from ckan.plugins import toolkit as tk
from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.profiles.base import DCAT, DCT, SKOS, XSD
from ckanext.scheming.helpers import scheming_get_dataset_schema
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from ckanext.satudata.model import region
from ckanext.satudata.reference import vocabularies

SDI = Namespace("https://w3id.org/satudata/sdi#")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")

# Schema fields with a DCAT home of their own (above) or handled by the
# DCAT-AP profile; everything else in the dataset schema becomes sdi:<field>.
_MAPPED = frozenset(
    {
        "title",
        "name",
        "notes",
        "tag_string",
        "owner_org",
        "license_id",
        "url",
        "kode_wilayah",
        "accrualPeriodicity",
        "accessRights",
        "standar_data",
        "tahun_mulai",
        "tahun_akhir",
        "theme",
    }
)


def _sdi_fields() -> list[str]:
    schema = scheming_get_dataset_schema("dataset") or {}
    return [
        f["field_name"] for f in schema.get("dataset_fields", []) if f["field_name"] not in _MAPPED
    ]


def _site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def standard_uri(name: str) -> URIRef:
    return URIRef(f"{_site_url()}/standar-data/{name}")


def topic_uri(topic: str) -> URIRef:
    return URIRef(f"{_site_url()}/group/{topic}")


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return json.loads(value) if value.startswith("[") else [value]
    return list(value or [])


class SatudataDCATProfile(RDFProfile):
    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        g = self.g
        g.bind("sdi", SDI)

        codes = _codes(dataset_dict.get("kode_wilayah"))
        names = region.names_of(codes)
        for code in codes:
            location = BNode()
            g.add((dataset_ref, DCT.spatial, location))
            g.add((location, RDF.type, DCT.Location))
            g.add((location, DCT.identifier, Literal(code)))
            name = names.get(code)
            if name:
                g.add((location, SKOS.prefLabel, Literal(name, lang="id")))

        frequency = vocabularies.get("frequency", dataset_dict.get("accrualPeriodicity"))
        if frequency is not None:
            g.remove((dataset_ref, DCT.accrualPeriodicity, None))
            g.add((dataset_ref, DCT.accrualPeriodicity, EU_FREQUENCY[frequency.extra["dcat"]]))
            g.add((dataset_ref, SDI.accrualPeriodicity, Literal(frequency.value)))

        classification = vocabularies.get("classification", dataset_dict.get("accessRights"))
        if classification is not None:
            g.remove((dataset_ref, DCT.accessRights, None))
            g.add((dataset_ref, DCT.accessRights, EU_ACCESS_RIGHT[classification.extra["dcat"]]))
            g.add((dataset_ref, SDI.accessRights, Literal(classification.value)))

        standard = dataset_dict.get("standar_data")
        if standard:
            standard_ref = standard_uri(standard)
            g.add((dataset_ref, DCT.conformsTo, standard_ref))
            g.add((standard_ref, RDF.type, DCT.Standard))
            g.add((standard_ref, DCT.identifier, Literal(standard)))

        start, end = dataset_dict.get("tahun_mulai"), dataset_dict.get("tahun_akhir")
        if start:
            period = BNode()
            g.add((dataset_ref, DCT.temporal, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(str(start), datatype=XSD.gYear)))
            if end:
                g.add((period, DCAT.endDate, Literal(str(end), datatype=XSD.gYear)))

        topic = vocabularies.get("topic", dataset_dict.get("theme"))
        if topic is not None:
            # The DCAT-AP profile emits our `theme` value as a bare IRI.
            g.remove((dataset_ref, DCAT.theme, None))
            g.add((dataset_ref, DCAT.theme, topic_uri(topic.value)))
            g.add((topic_uri(topic.value), SKOS.prefLabel, Literal(topic.label("id"), lang="id")))
            g.add((topic_uri(topic.value), SKOS.prefLabel, Literal(topic.label("en"), lang="en")))
            g.add((dataset_ref, SDI.theme, Literal(topic.value)))

        for field in _sdi_fields():
            value = dataset_dict.get(field)
            if value not in (None, "", []):
                g.add((dataset_ref, SDI[field], Literal(str(value))))

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        g = self.g
        codes = [
            str(g.value(location, DCT.identifier))
            for location in g.objects(dataset_ref, DCT.spatial)
            if g.value(location, DCT.identifier) is not None
        ]
        if codes:
            dataset_dict["kode_wilayah"] = sorted(codes)
        for field in ("accrualPeriodicity", "accessRights", "theme", *_sdi_fields()):
            value = g.value(dataset_ref, SDI[field])
            if value is not None:
                dataset_dict[field] = str(value)
        standard = g.value(dataset_ref, DCT.conformsTo)
        if standard is not None and g.value(standard, DCT.identifier) is not None:
            dataset_dict["standar_data"] = str(g.value(standard, DCT.identifier))
        for period in g.objects(dataset_ref, DCT.temporal):
            start, end = g.value(period, DCAT.startDate), g.value(period, DCAT.endDate)
            if start is not None:
                dataset_dict["tahun_mulai"] = int(str(start)[:4])
            if end is not None:
                dataset_dict["tahun_akhir"] = int(str(end)[:4])
        return dataset_dict
