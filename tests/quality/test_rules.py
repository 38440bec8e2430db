"""The rules alone (quality/rules.py, pure): grades, weights shared among the
dimensions that apply, the regions a tingkat_wilayah expects, the config."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ckanext.satudata.quality import messages, rules

TODAY = datetime.date(2026, 12, 1)


def evidence(**dataset: Any) -> dict[str, Any]:
    return {
        "dataset": {"tingkat_wilayah": "kecamatan", "kode_wilayah": ["64.01.01"],
                    "accrualPeriodicity": "ad_hoc", "missing_fields": [], **dataset},
        "mqa": {"points": 405, "max": 405, "unmet": []},
        "resources": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (85, "A"), (84.9, "B"), (70, "B"), (55, "C"), (40, "D"), (0, "E")],
)
def test_grades(score: float, grade: str) -> None:
    assert rules.grade_of(score) == grade


def test_a_dimension_without_evidence_leaves_its_weight_to_the_others() -> None:
    quality = rules.assess(evidence(), rules.DEFAULT_WEIGHTS, TODAY)

    dims = quality.as_dict()["dimensions"]
    # No table: conformity 0 with its cause; the data dimensions do not apply;
    # an ad-hoc schedule has no freshness to judge.
    assert dims["conformity"] == 0.0
    assert dims["completeness"] is None and dims["uniqueness"] is None
    assert dims["consistency"] is None and dims["timeliness"] is None
    assert quality.score == pytest.approx((25 * 100 + 20 * 0) / 45)
    assert [d.code for d in quality.dimension("conformity").deductions] == [
        "no-table", "no-table-validated"
    ]  # fmt: skip


def test_every_point_lost_is_a_named_deduction() -> None:
    found = evidence(missing_fields=["license_id", "satuan"])
    found["mqa"] = {"points": 385, "max": 405, "unmet": [
        {"key": "licence", "property": "dct:license", "points": 0, "max": 20}]}  # fmt: skip

    metadata = rules.metadata(found)

    assert metadata.score == pytest.approx(100 - sum(d.points for d in metadata.deductions))
    assert {(d.code, d.field) for d in metadata.deductions} == {
        ("mqa-licence", "license_id"), ("field-recommended", "license_id"),
        ("field-required", "satuan"),
    }  # fmt: skip
    for deduction in metadata.deductions:
        cause, fix = messages.describe(deduction.as_dict(), lambda s: s)
        assert cause and fix


def test_expected_regions_of_a_level() -> None:
    assert len(rules.expected_regions({"tingkat_wilayah": "kecamatan",
                                       "kode_wilayah": ["64.01"]})) == 10  # fmt: skip
    # A desa table holds the kelurahan too: 144 in Paser.
    assert len(rules.expected_regions({"tingkat_wilayah": "desa",
                                       "kode_wilayah": ["64.01"]})) == 144  # fmt: skip
    assert rules.expected_regions({"tingkat_wilayah": "kecamatan",
                                   "kode_wilayah": ["64.01.04"]}) == ["64.01.04"]  # fmt: skip
    assert rules.expected_regions({"kode_wilayah": ["64.01"]}) == []


def test_weights_from_config_text() -> None:
    weights = rules.parse_weights("metadata:50 timeliness:50")
    assert weights["metadata"] == 50 and weights["conformity"] == 0
    with pytest.raises(ValueError, match="unknown quality dimension"):
        rules.parse_weights("kerapian:10")
    with pytest.raises(ValueError, match="zero"):
        rules.parse_weights("metadata:0")


def test_every_mqa_indicator_has_a_cause_and_a_fix() -> None:
    from ckanext.satudata.interop import mqa

    for indicator in mqa.INDICATORS:
        cause, fix = messages.MESSAGES[f"mqa-{indicator.key}"]
        assert cause and fix


@pytest.mark.ckan_config("ckanext.satudata.quality.weights", "metadata:1 kerapian:1")
def test_a_wrong_weight_setting_is_refused_at_start() -> None:
    from ckan.exceptions import CkanConfigurationException

    from ckanext.satudata import config

    with pytest.raises(CkanConfigurationException, match="kerapian"):
        config.check()


def test_the_declared_weights_are_the_rules_defaults() -> None:
    from ckanext.satudata import config

    assert config.quality_weights() == {k: float(v) for k, v in rules.DEFAULT_WEIGHTS.items()}


def test_levels_that_do_not_add_up_are_named_in_consistency() -> None:
    from ckanext.satudata.reference import hierarchy

    # The rule the Dukcapil harvester checks its feed with (reference/hierarchy.py).
    parents = {"64.01": [30, 12], "64.02": [7, 7]}
    children = hierarchy.sum_children(
        [("64.01.01", [10, 5]), ("64.01.02", [20, 5]), ("64.02.01", [7, 7])], [0, 1]
    )
    (wrong,) = hierarchy.disagreements(parents, children, [0, 1])
    assert (wrong.parent, wrong.index, wrong.children, wrong.summed, wrong.total) == (
        "64.01", 1, 2, 10, 12,
    )  # fmt: skip

    table = {"id": "r1", "name": "data.csv", "tabular": True,
             "sums": [{"rule": "a + b = c", "checked": 22, "mismatched": 0}],
             "hierarchy": {"checked": 4, "mismatched": 4, "examples": [
                 {"level": "kecamatan", "parent_level": "kabupaten", "region": "64.01",
                  "region_name": "Paser", "period": "2024-S2", "column": "jumlah",
                  "children": 10, "summed": 90, "total": 100}]}}  # fmt: skip
    found = {**evidence(), "resources": [table]}

    consistency = rules.consistency(found)

    # Sums and levels weigh alike: the sums hold, the levels lose all their half.
    assert consistency.score == pytest.approx(50.0)
    assert [d.code for d in consistency.deductions] == [
        "hierarchy-mismatch", "hierarchy-mismatch-more",
    ]  # fmt: skip
    cause, fix = messages.describe(consistency.deductions[0].as_dict(), lambda s: s)
    assert (
        cause
        == "The 10 kecamatan of Paser (64.01) in 2024-S2 add up to 90 jumlah, not its 100 (data.csv)"
    )
    assert fix == "correct the kecamatan figures or the total of Paser"
