"""A recreated Dukcapil source adopts its own datasets.

Dukcapil renames its services every semester, so a Disdukcapil steward
deletes the harvest source and creates a new one with the new URL. The
datasets stay (a deleted source keeps them) and still belong to the old
source's harvest objects: the new source would try to create them again and
fail on their names. A dataset is the new source's own when the old
source's current object has the same guid (``dukcapil:<region>:<family>:
<level>``: the same region, indicator family and level), the dataset belongs
to the same OPD, and the old source is deleted or deactivated. Then the new
object takes over (the old one stops being current) as it writes; while the
old source is still active, the import is refused naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestSource

from ckanext.satudata.harvesters.messages import N_, Message, message


class AdoptionRefused(Exception):
    """The dataset is another source's; ``problem`` says whose and what to do."""

    def __init__(self, problem: Message) -> None:
        super().__init__(problem.render())
        self.problem = problem


@dataclass(frozen=True)
class Adoption:
    """A dataset of another, deleted source that this object takes over."""

    package_id: str
    previous: HarvestObject

    def take_over(self) -> None:
        """The previous object stops being current (committed with the write)."""
        self.previous.current = False
        self.previous.add()


def _source_label(source_id: str) -> tuple[str, bool]:
    """(name of the source, whether it is still active)."""
    package = model.Package.get(source_id)
    source = HarvestSource.get(source_id)
    active = bool(source is not None and source.active and package and package.state == "active")
    return (package.name if package is not None else source_id), active


def find(harvest_object: HarvestObject, organization_id: str, name: str) -> Adoption | None:
    """The dataset this object may adopt, None when there is none to adopt;
    raises AdoptionRefused when the dataset (or its name) is taken."""
    claimed = (
        model.Session.query(HarvestObject, model.Package)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.guid == harvest_object.guid)
        .filter(HarvestObject.current == True)  # noqa: E712 (SQL expression)
        .filter(HarvestObject.harvest_source_id != harvest_object.harvest_source_id)
        .filter(model.Package.state == "active")
        .order_by(HarvestObject.import_finished.desc().nullslast())
        .first()
    )
    if claimed is None:
        _refuse_if_name_taken(name)
        return None
    previous, package = claimed
    source_name, active = _source_label(previous.harvest_source_id)
    if active:
        raise AdoptionRefused(
            message(
                N_(
                    "dataset {dataset} is published by the harvest source {source}, which is "
                    "still active: delete or deactivate that source (its datasets stay) and "
                    "harvest again; nothing was changed"
                ),
                dataset=package.name,
                source=source_name,
            )
        )
    if package.owner_org != organization_id:
        owner = model.Group.get(package.owner_org) if package.owner_org else None
        raise AdoptionRefused(
            message(
                N_(
                    "dataset {dataset} of the deleted harvest source {source} belongs to "
                    "another OPD ({owner}); it is not adopted, nothing was changed"
                ),
                dataset=package.name,
                source=source_name,
                owner=owner.name if owner is not None else "-",
            )
        )
    return Adoption(package.id, previous)


def _refuse_if_name_taken(name: str) -> None:
    package = model.Package.get(name)
    if package is None or package.state == "deleted":
        return
    raise AdoptionRefused(
        message(
            N_(
                "a dataset named {dataset} already exists and no Dukcapil harvest source "
                "publishes it; rename or delete it to let this source publish; nothing was "
                "changed"
            ),
            dataset=name,
        )
    )
