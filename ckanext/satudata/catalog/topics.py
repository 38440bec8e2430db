"""Topic groups follow the dataset's `theme`: a dataset is a member of the
group named after its topic and of no other topic group. Runs inside the
dataset's create/update transaction (IPackageController), before it is indexed."""

from __future__ import annotations

from ckan import model

from ckanext.satudata.reference import vocabularies


def sync_topic_group(package_id: str, theme: str | None) -> None:
    topic_groups = {
        group.id: group
        for group in model.Session.query(model.Group)
        .filter(model.Group.name.in_(vocabularies.values("topic")))
        .filter(model.Group.is_organization.is_(False))
        .filter(model.Group.state == "active")
    }
    if not topic_groups:
        return
    memberships = (
        model.Session.query(model.Member)
        .filter(model.Member.table_name == "package")
        .filter(model.Member.table_id == package_id)
        .filter(model.Member.group_id.in_(topic_groups))
        .all()
    )
    wanted = next((g for g in topic_groups.values() if g.name == theme), None)
    for member in memberships:
        keep = wanted is not None and member.group_id == wanted.id
        member.state = "active" if keep else "deleted"
    if wanted is not None and not any(m.group_id == wanted.id for m in memberships):
        member = model.Member(
            table_name="package", table_id=package_id, capacity="public", state="active"
        )
        member.group = wanted  # set the relationship, not group_id: the ORM would null it
        model.Session.add(member)
    model.Session.flush()
