"""DCAT export of the SDI schema (the ckanext-dcat RDF profile ``satudata_sdi``).

Runs after a DCAT-AP profile: ``euro_dcat_ap_3 satudata_sdi`` by default
(``?profiles=euro_dcat_ap_2,satudata_sdi_2`` gives DCAT-AP 2.x). The base
profile writes title, description, keywords, publisher, contact and
distributions; this one makes the result conform to the official DCAT-AP
SHACL shapes (tests/interop/test_conformance.py) and adds the SDI fields:

- every controlled value as the IRI of its authority, described where it is
  used (type, label, scheme: interop/concepts.py), so a validator needs no
  import: formats as EU file types and IANA media types, licences as typed
  ``dct:LicenseDocument`` (datasets and distributions), frequencies and
  access rights from the EU authorities, language Indonesian;
- topics as ``skos:Concept`` of our SDI topic scheme (``/skema/topik``, plus
  the EU data theme), regions as concepts of our Kemendagri region scheme
  (``/skema/wilayah``) in ``dct:spatial``;
- checksums with ``spdx:algorithm`` (sha256: what we hash with), contact
  points as ``vcard:Kind``, the catalogue's publisher (the Walidata),
  language, homepage, licence, spatial coverage and theme taxonomies;
- every schema field without a DCAT term as ``sdi:<field>`` (dataset and
  resource fields alike), named as in the national SDI schema so the national
  catalogue needs no mapping. ``parse_dataset`` reads all of it back: the
  round trip through ckanext-dcat's own parser and harvester is tested.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model.license import LicenseRegister
from ckan.plugins import toolkit as tk
from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.profiles.base import (
    DCAT,
    DCATAP,
    DCT,
    FOAF,
    RDFS,
    SPDX,
    VCARD,
    XSD,
    CleanedURIRef,
)
from ckanext.dcat.utils import resource_uri
from ckanext.scheming.helpers import scheming_get_dataset_schema
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from ckanext.satudata import config
from ckanext.satudata.interop import concepts
from ckanext.satudata.interop.concepts import EU_ACCESS_RIGHT, EU_FREQUENCY
from ckanext.satudata.model import region, validation_report
from ckanext.satudata.reference import regions

__all__ = [
    "EU_ACCESS_RIGHT",
    "EU_FREQUENCY",
    "SDI",
    "SatudataDCATAP2Profile",
    "SatudataDCATProfile",
]

SDI = Namespace("https://w3id.org/satudata/sdi#")

# Dataset schema fields with a DCAT home of their own (below) or handled by the
# DCAT-AP profile; every other field becomes sdi:<field>.
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
# Resource schema fields the DCAT-AP profile maps (the rest become sdi:<field>).
_MAPPED_RESOURCE = frozenset({"url", "name", "description", "format"})
# Set by the validation engine: exported for information, never parsed back.
VALIDATION_STATUS = SDI.validation_status
# The opd_role of the Walidata's organization, the catalogue's publisher.
WALIDATA_ROLE = "walidata"
# spdx algorithm by the length of a hex digest; the portal itself hashes with sha256.
_ALGORITHMS = {64: "sha256", 40: "sha1", 32: "md5"}


def _schema_fields(key: str, mapped: frozenset[str]) -> list[str]:
    schema = scheming_get_dataset_schema("dataset") or {}
    return [f["field_name"] for f in schema.get(key, []) if f["field_name"] not in mapped]


def _sdi_fields() -> list[str]:
    return _schema_fields("dataset_fields", _MAPPED)


def _sdi_resource_fields() -> list[str]:
    return _schema_fields("resource_fields", _MAPPED_RESOURCE)


def _site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def standard_uri(name: str) -> URIRef:
    return URIRef(f"{_site_url()}/standar-data/{name}")


def topic_uri(topic: str) -> URIRef:
    return concepts.topic_iri(_site_url(), topic)


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return json.loads(value) if value.startswith("[") else [value]
    return list(value or [])


class SatudataDCATProfile(RDFProfile):
    """``satudata_sdi``: the SDI fields on top of DCAT-AP 3 (``euro_dcat_ap_3``)."""

    # Checksum algorithms the target DCAT-AP version accepts.
    checksum_algorithms: frozenset[str] = frozenset(_ALGORITHMS.values())
    # Where the algorithms' IRIs live: DCAT-AP 3.0's controlled vocabularies
    # name them under https://spdx.org/rdf/terms (its shapes check the
    # pattern); they stay typed with the http SPDX class both versions ask for.
    checksum_algorithm_namespace: str = "https://spdx.org/rdf/terms#"

    # Serializing -------------------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        g = self.g
        g.bind("sdi", SDI)
        g.bind("skos", SKOS)
        site = _site_url()

        self._regions(dataset_ref, _codes(dataset_dict.get("kode_wilayah")))
        self._controlled(
            dataset_ref,
            DCT.accrualPeriodicity,
            concepts.frequency_iri(dataset_dict.get("accrualPeriodicity")),
            DCT.Frequency,
        )
        self._controlled(
            dataset_ref,
            DCT.accessRights,
            concepts.access_right_iri(dataset_dict.get("accessRights")),
            DCT.RightsStatement,
        )
        for field in ("accrualPeriodicity", "accessRights"):
            if dataset_dict.get(field):
                g.add((dataset_ref, SDI[field], Literal(dataset_dict[field])))

        standard = dataset_dict.get("standar_data")
        if standard:
            self._standard(dataset_ref, standard)

        start, end = dataset_dict.get("tahun_mulai"), dataset_dict.get("tahun_akhir")
        if start:
            period = BNode()
            g.add((dataset_ref, DCT.temporal, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(str(start), datatype=XSD.gYear)))
            if end:
                g.add((period, DCAT.endDate, Literal(str(end), datatype=XSD.gYear)))

        # The DCAT-AP profile emits our `theme` value as a bare IRI.
        g.remove((dataset_ref, DCAT.theme, None))
        for value in (dataset_dict.get("theme"), dataset_dict.get("subtopik")):
            concept = concepts.describe_topic(g, site, value) if value else None
            if concept is not None:
                g.add((dataset_ref, DCAT.theme, concept))
        eu_theme = concepts.eu_theme_iri(dataset_dict.get("theme"))
        if eu_theme is not None:
            g.add((dataset_ref, DCAT.theme, concepts.describe_outside(g, eu_theme)))
        if dataset_dict.get("theme"):
            g.add((dataset_ref, SDI.theme, Literal(dataset_dict["theme"])))

        self._language(dataset_ref)
        for contact in g.objects(dataset_ref, DCAT.contactPoint):
            g.add((contact, RDF.type, VCARD.Kind))
        for publisher in g.objects(dataset_ref, DCT.publisher):
            self._agent_type(publisher)

        licence = self._licence(dataset_dict.get("license_id"))
        if licence is not None:
            g.add((dataset_ref, DCT.license, licence))

        for field in _sdi_fields():
            value = dataset_dict.get(field)
            if value not in (None, "", []):
                g.add((dataset_ref, SDI[field], Literal(str(value))))

        for resource_dict in dataset_dict.get("resources", []):
            self._distribution(
                CleanedURIRef(resource_uri(resource_dict)), resource_dict, licence, standard
            )

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Any) -> None:
        g = self.g
        site = _site_url()
        if (catalog_ref, DCT.description, None) not in g:
            description = tk.config.get("ckan.site_description") or tk.config.get("ckan.site_title")
            g.add((catalog_ref, DCT.description, Literal(description, lang="id")))
        g.remove((catalog_ref, DCT.language, None))
        self._language(catalog_ref)
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))

        publisher = self._catalog_publisher(site)
        g.add((catalog_ref, DCT.publisher, publisher))

        g.add((catalog_ref, DCAT.themeTaxonomy, concepts.describe_topic_scheme_header(g, site)))
        eu_themes = URIRef(concepts.EU_AUTHORITY + "data-theme")
        g.add((catalog_ref, DCAT.themeTaxonomy, eu_themes))
        g.add((eu_themes, RDF.type, SKOS.ConceptScheme))
        g.add((eu_themes, DCT.title, Literal("Data theme", lang="en")))

        root = regions.tenant_regions()[regions.tenant_root()]
        g.add((catalog_ref, DCT.spatial, concepts.describe_region(g, site, root)))
        licence = self._licence(config.catalog_licence())
        if licence is not None:
            g.add((catalog_ref, DCT.license, licence))
        first = model.Session.query(sa.func.min(model.Package.metadata_created)).scalar()
        if first is not None:
            g.add((catalog_ref, DCT.issued, Literal(first.isoformat(), datatype=XSD.dateTime)))

    # Parsing -----------------------------------------------------------------

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
        licence = g.value(dataset_ref, DCT.license)
        licence_id = concepts.licence_of_iri(str(licence)) if licence is not None else None
        if licence_id:
            dataset_dict["license_id"] = licence_id
        # Extras the base profile keeps that are fields of ours (set above) or
        # values of ours in another form (the EU IRIs of our vocabularies).
        taken = {"theme", "frequency", "access_rights", "language", *dataset_dict}
        dataset_dict["extras"] = [
            e for e in dataset_dict.get("extras", []) if e.get("key") not in taken
        ]

        by_ref = {r.get("distribution_ref"): r for r in dataset_dict.get("resources", [])}
        for distribution in g.objects(dataset_ref, DCAT.distribution):
            resource = by_ref.get(str(distribution))
            if resource is None:
                continue
            for field in ("format", *_sdi_resource_fields()):
                value = g.value(distribution, SDI[field])
                if value is not None:
                    resource[field] = int(str(value)) if field == "tahun" else str(value)
            mimetype = str(resource.get("mimetype") or "")
            if mimetype.startswith(concepts.IANA_MEDIA_TYPE):
                resource["mimetype"] = mimetype.removeprefix(concepts.IANA_MEDIA_TYPE)
            if resource.get("license") and concepts.licence_of_iri(resource["license"]):
                resource.pop("license")  # the dataset's licence, read above
        return dataset_dict

    # Pieces ------------------------------------------------------------------

    def _controlled(self, subject: Any, predicate: URIRef, iri: URIRef | None, cls: URIRef) -> None:
        """A controlled value as an outside concept of the class the shapes require."""
        self.g.remove((subject, predicate, None))
        if iri is None:
            return
        self.g.add((subject, predicate, concepts.describe_outside(self.g, iri)))
        self.g.add((iri, RDF.type, cls))

    def _language(self, subject: Any) -> None:
        self._controlled(subject, DCT.language, concepts.INDONESIAN, DCT.LinguisticSystem)

    def _agent_type(self, agent: Any) -> None:
        self.g.add((agent, RDF.type, FOAF.Agent))
        self.g.set((agent, DCT.type, concepts.describe_outside(self.g, concepts.LOCAL_AUTHORITY)))

    def _regions(self, dataset_ref: Any, codes: list[str]) -> None:
        names = region.names_of(codes)
        for code in codes:
            known = regions.Region(code, names.get(code, code), regions.code_level(code))
            location = concepts.describe_region(self.g, _site_url(), known)
            self.g.add((dataset_ref, DCT.spatial, location))

    def _standard(self, subject: Any, name: str) -> None:
        ref = standard_uri(name)
        self.g.add((subject, DCT.conformsTo, ref))
        self.g.add((ref, RDF.type, DCT.Standard))
        self.g.add((ref, DCT.identifier, Literal(name)))

    def _licence(self, licence_id: str | None) -> URIRef | None:
        """The typed licence document of a CKAN licence (None without one)."""
        if not licence_id:
            return None
        registered = LicenseRegister().get(licence_id)
        iri = concepts.licence_iri(licence_id, registered.url if registered else None)
        if iri is None:
            return None
        g = self.g
        g.add((iri, RDF.type, DCT.LicenseDocument))
        g.set((iri, DCT.type, concepts.describe_outside(g, concepts.licence_type_iri(licence_id))))
        if registered is not None:
            # A CKAN without our profile matches licences by their title.
            g.set((iri, DCT.title, Literal(registered.title)))
        return iri

    def _distribution(
        self,
        distribution: URIRef,
        resource: dict[str, Any],
        licence: URIRef | None,
        dataset_standard: str | None,
    ) -> None:
        g = self.g
        g.remove((distribution, DCT["format"], None))
        g.remove((distribution, DCAT.mediaType, None))
        file_type = concepts.file_type_iri(resource.get("format"))
        if file_type is not None:
            self._controlled(distribution, DCT["format"], file_type, DCT.MediaTypeOrExtent)
        if resource.get("format"):
            # The format as written, read back by parse_dataset (the IRI above
            # is what other consumers read).
            g.add((distribution, SDI["format"], Literal(resource["format"])))
        media_type = concepts.media_type_iri(resource.get("format"))
        if media_type is not None:
            g.add((distribution, DCAT.mediaType, media_type))
            g.add((media_type, RDF.type, DCT.MediaType))

        for old in list(g.objects(distribution, DCT.license)):
            g.remove((distribution, DCT.license, old))
            g.remove((old, DCT.type, URIRef("http://purl.org/adms/licencetype/UnknownIPR")))
        if licence is not None:
            g.add((distribution, DCT.license, licence))

        if resource.get("url") and self._direct_file(resource):
            g.set((distribution, DCAT.downloadURL, URIRef(resource["url"])))
        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            for url in g.objects(distribution, predicate):
                g.add((url, RDF.type, RDFS.Resource))
        self._checksum(distribution, resource)
        g.set(
            (
                distribution,
                DCATAP.availability,
                concepts.describe_outside(g, concepts.STABLE),
            )
        )

        standard = resource.get("standar_data") or dataset_standard
        if standard:
            self._standard(distribution, standard)
        for field in _sdi_resource_fields():
            value = resource.get(field)
            if value not in (None, "", []):
                g.add((distribution, SDI[field], Literal(str(value))))
        if resource.get("validation_status"):
            g.add((distribution, VALIDATION_STATUS, Literal(resource["validation_status"])))

    @staticmethod
    def _direct_file(resource: dict[str, Any]) -> bool:
        """Whether the resource URL is the file itself (an upload, or a link to a
        data file), not a page about it."""
        if resource.get("url_type") == "upload":
            return True
        term = concepts.file_format(resource.get("format"))
        return term is not None and term.value != "html"

    def _checksum(self, distribution: URIRef, resource: dict[str, Any]) -> None:
        """spdx:checksum with its algorithm: the resource's own hash, else the
        sha256 the validation engine took of the stored file."""
        g = self.g
        for checksum in list(g.objects(distribution, SPDX.checksum)):
            g.remove((distribution, SPDX.checksum, checksum))
            g.remove((checksum, None, None))
        digest = (resource.get("hash") or "").strip().lower()
        if not digest and resource.get("id"):
            record = validation_report.get(resource["id"])
            digest = str(record.file_hash or "") if record is not None else ""
        algorithm = _ALGORITHMS.get(len(digest))
        if algorithm not in self.checksum_algorithms or any(
            c not in "0123456789abcdef" for c in digest
        ):
            return
        checksum = BNode()
        algorithm_ref = URIRef(f"{self.checksum_algorithm_namespace}checksumAlgorithm_{algorithm}")
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
        g.add((checksum, SPDX.algorithm, algorithm_ref))
        g.add((algorithm_ref, RDF.type, SPDX.ChecksumAlgorithm))

    def _catalog_publisher(self, site: str) -> Any:
        """The Walidata: its organization when the portal has one, else the configured name."""
        organization = (
            model.Session.query(model.Group)
            .filter(model.Group.is_organization.is_(True))
            .filter(model.Group.state == "active")
            .filter(model.group_table.c.extras["peran"].astext == WALIDATA_ROLE)
            .order_by(model.Group.created)
            .first()
        )
        if organization is not None:
            publisher: Any = URIRef(f"{site}/organization/{organization.id}")
            name = organization.title or config.walidata()
        else:
            publisher, name = BNode(), config.walidata()
        self.g.add((publisher, FOAF.name, Literal(name)))
        self._agent_type(publisher)
        return publisher


class SatudataDCATAP2Profile(SatudataDCATProfile):
    """``satudata_sdi_2``: the same on top of DCAT-AP 2.x (``euro_dcat_ap_2``),
    whose shapes accept only sha1 checksums: our sha256 ones are left out."""

    checksum_algorithms = frozenset({"sha1"})
    checksum_algorithm_namespace = str(SPDX)
