"""shown.kept: a dataset shown once for a block in which nothing changes it."""

from __future__ import annotations

from ckanext.satudata import shown

SITE = {"user": "site", "ignore_auth": True}


def _key(context: dict, data_dict: dict | None = None, name: str = "ds-1") -> shown.Key:
    return shown.key(name, context, data_dict or {})


def test_nothing_is_kept_outside_a_block() -> None:
    shown.keep(_key(SITE), {"id": "ds-1"})
    assert shown.lookup(_key(SITE)) is None


def test_within_a_block_the_kept_answer_is_a_copy() -> None:
    with shown.kept("ds-1"):
        answer = {"id": "ds-1", "resources": [{"id": "r-1"}]}
        shown.keep(_key(SITE), answer)
        answer["resources"].append({"id": "changed by its caller"})
        first = shown.lookup(_key(SITE))
        assert first == {"id": "ds-1", "resources": [{"id": "r-1"}]}
        first["resources"].clear()
        assert shown.lookup(_key(SITE)) == {"id": "ds-1", "resources": [{"id": "r-1"}]}
    assert shown.lookup(_key(SITE)) is None


def test_another_dataset_user_or_option_is_not_served_the_kept_answer() -> None:
    with shown.kept("ds-1"):
        shown.keep(_key(SITE), {"id": "ds-1"})
        assert shown.lookup(_key(SITE, name="ds-2")) is None
        assert shown.lookup(_key({"user": "produsen"})) is None
        assert shown.lookup(_key({**SITE, "validate": False})) is None
        assert shown.lookup(_key({**SITE, "for_view": True})) is None
        assert shown.lookup(_key(SITE, {"use_default_schema": True})) is None
        assert shown.lookup(_key(SITE, {"include_plugin_data": True})) is None
        # Another dataset is never kept within this block.
        shown.keep(_key(SITE, name="ds-2"), {"id": "ds-2"})
        assert shown.lookup(_key(SITE, name="ds-2")) is None
