"""One harvested dataset write scores the dataset's quality once and
indexes it once, without a Solr commit of its own (harvesters/base.py
_one_write, writes.py): before, the package hook and each stored report
scored it again, each with an index write and a Solr commit."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from dukcapil_support import SEX_DATASET, Harvests, releases, show
from scoring_support import count_scorings
from solr_support import SolrWrites, count_solr_writes

from ckanext.satudata.model import quality_score


@pytest.fixture
def solr_writes(monkeypatch: pytest.MonkeyPatch) -> SolrWrites:
    return count_solr_writes(monkeypatch)


@pytest.fixture
def scorings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return count_scorings(monkeypatch)


@pytest.mark.parametrize("semesters", [("2024-S1",), ("2024-S1", "2024-S2")])
def test_a_harvested_dataset_is_scored_and_indexed_once_per_write(
    harvests: Harvests, scorings: list[str], solr_writes: SolrWrites, semesters: tuple[str, ...]
) -> None:
    harvests.configure(releases=releases(harvests, *semesters), families=["jenis_kelamin"])
    solr_writes.reset()

    result = harvests.run()

    assert result.object_errors == [] and result.statuses() == ["added"]
    dataset = show(SEX_DATASET)
    # A report per semester table and the cumulative one: still one score.
    assert len(dataset["resources"]) == len(semesters) + 1
    assert scorings == [dataset["id"]]
    assert solr_writes.indexed.count(SEX_DATASET) == 1
    # The job's commit (base.commit_index) and ckanext-harvest's re-index of
    # the source (with its own commit): none per score or report.
    assert solr_writes.commits == 2
    row = quality_score.get(dataset["id"])
    assert row is not None
    # The index carries the score computed after the reports were stored.
    found = tk.get_action("package_search")(
        {"ignore_auth": True},
        {"fq": f'name:"{SEX_DATASET}" AND quality_grade:"{row.grade}"'},
    )
    assert found["count"] == 1


def test_a_harvested_update_is_scored_once(
    harvests: Harvests, scorings: list[str], solr_writes: SolrWrites
) -> None:
    harvests.configure(releases=releases(harvests, "2024-S1"), families=["jenis_kelamin"])
    harvests.run()
    scorings.clear()
    harvests.configure(
        releases=releases(harvests, "2024-S1", "2024-S2"), families=["jenis_kelamin"]
    )
    solr_writes.reset()

    result = harvests.run()

    assert result.object_errors == [] and result.statuses() == ["updated"]
    assert scorings == [show(SEX_DATASET)["id"]]
    # package_update's own index write (before the score) and the one after
    # it; one commit for the job besides package_update's and the source's.
    assert solr_writes.indexed.count(SEX_DATASET) == 2
    assert solr_writes.commits == 3
