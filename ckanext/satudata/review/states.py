"""The life cycle of a dataset in Satu Data, with the national status names
of the ``data_status`` vocabulary:

    draft -> menunggu_persetujuan -> disetujui | ditolak -> ditayangkan | tidak_ditayangkan
    (dibatalkan: the producer withdrew the submission)

Who may take each transition is in ``TRANSITIONS``; the rule of what the
public sees is ``is_public``. A published dataset's next version (its
revision) goes through the same states, except that publishing it replaces
the published version. Pure Python (no CKAN import).
"""

from __future__ import annotations

from dataclasses import dataclass

from ckanext.satudata.reference import vocabularies

DRAFT = "draft"
SUBMITTED = "menunggu_persetujuan"
APPROVED = "disetujui"
REJECTED = "ditolak"
WITHDRAWN = "dibatalkan"
PUBLISHED = "ditayangkan"
UNPUBLISHED = "tidak_ditayangkan"

PRODUCER = "producer"
WALIDATA = "walidata"

# States in which the producer may change the dataset (or its revision); in
# the others it is in the walidata's hands.
EDITABLE = frozenset({DRAFT, REJECTED, WITHDRAWN, UNPUBLISHED})
# States waiting for the walidata (the review queue).
WAITING = (SUBMITTED, APPROVED)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str  # PRODUCER or WALIDATA


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({DRAFT, REJECTED, WITHDRAWN, UNPUBLISHED}), SUBMITTED, PRODUCER),
        Transition("withdraw", frozenset({SUBMITTED, APPROVED}), WITHDRAWN, PRODUCER),
        Transition("approve", frozenset({SUBMITTED}), APPROVED, WALIDATA),
        Transition("reject", frozenset({SUBMITTED, APPROVED}), REJECTED, WALIDATA),
        Transition("publish", frozenset({APPROVED}), PUBLISHED, WALIDATA),
        Transition("unpublish", frozenset({PUBLISHED}), UNPUBLISHED, WALIDATA),
    )
}  # fmt: skip

# Transitions a published dataset's revision takes (it is never unpublished:
# the dataset is).
REVISION_ACTIONS = frozenset({"submit", "withdraw", "approve", "reject", "publish"})


class TransitionRefused(ValueError):
    """A transition the current state does not allow."""

    def __init__(self, action: str, state: str) -> None:
        super().__init__(f"{action} is not possible from {state}")
        self.action = action
        self.state = state


def check(action: str, state: str) -> Transition:
    """The transition ``action`` from ``state``; raises TransitionRefused."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        raise TransitionRefused(action, state)
    return transition


def path(source: str, target: str, actions: frozenset[str] | None = None) -> list[str]:
    """The shortest list of transitions from ``source`` to ``target`` (of
    ``actions`` only, if given); [] when already there. Raises
    TransitionRefused when no path exists."""
    if source == target:
        return []
    paths: dict[str, list[str]] = {source: []}
    frontier = [source]
    while frontier:
        following = []
        for state in frontier:
            for transition in TRANSITIONS.values():
                if actions is not None and transition.action not in actions:
                    continue
                if state in transition.sources and transition.target not in paths:
                    paths[transition.target] = [*paths[state], transition.action]
                    following.append(transition.target)
        if target in paths:
            return paths[target]
        frontier = following
    raise TransitionRefused(f"reach {target}", source)


def status_of(value: str | None) -> str:
    """The state a stored ``status_data`` means. A dataset without one
    predates the workflow and stays published (turning the workflow on never
    takes a portal down)."""
    return value if value in vocabularies.values("data_status") else PUBLISHED


def is_public(status: str | None, classification: str | None) -> bool:
    """Whether the public may see a dataset: published, and of a
    classification that may be public (terbatas/tertutup never are)."""
    term = vocabularies.get("classification", classification)
    open_class = term is None or bool(term.extra.get("public", True))
    return status_of(status) == PUBLISHED and open_class


def label(state: str, lang: str = "id") -> str:
    return vocabularies.label("data_status", state, lang)


# The order the producer's page lists states in: what needs them first.
ORDER = (REJECTED, DRAFT, WITHDRAWN, SUBMITTED, APPROVED, UNPUBLISHED, PUBLISHED)
TRANSITIONS_STATES = frozenset(ORDER)
