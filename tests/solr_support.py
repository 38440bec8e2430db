"""What a test's process sends to Solr: pysolr's update requests, counted
and passed on to the real core."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pysolr
import pytest


@dataclass
class SolrWrites:
    indexed: list[str] = field(default_factory=list)  # names of the documents added
    ids: list[str] = field(default_factory=list)  # and their ids
    requests: int = 0  # update requests that added documents
    commits: int = 0

    def reset(self) -> None:
        self.indexed.clear()
        self.ids.clear()
        self.requests = 0
        self.commits = 0


def count_solr_writes(monkeypatch: pytest.MonkeyPatch) -> SolrWrites:
    seen = SolrWrites()
    update = pysolr.Solr._update

    def counting(self: pysolr.Solr, message: Any, *args: Any, **kwargs: Any) -> Any:
        text = message.decode("utf-8") if isinstance(message, bytes) else str(message)
        if text.startswith("["):
            seen.requests += 1
            docs = json.loads(text)
            seen.indexed.extend(doc.get("name") for doc in docs)
            seen.ids.extend(doc.get("id") for doc in docs)
        if kwargs.get("commit") or text.startswith("<commit"):
            seen.commits += 1
        return update(self, message, *args, **kwargs)

    monkeypatch.setattr(pysolr.Solr, "_update", counting)
    return seen
