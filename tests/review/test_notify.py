"""Review mail through CKAN's mailer to a real SMTP server on 127.0.0.1
(aiosmtpd): the walidata hear of a submission, the producers of each
decision, in Indonesian with a link to the review page; a mail that cannot
be sent never blocks a transition."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth_matrix import AuthRoles
from jobs_support import run_jobs
from review_support import act, producer_dataset
from smtp_server import SmtpServer, free_port

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_index")


@pytest.fixture
def smtp(ckan_config: dict) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    ckan_config["smtp.server"] = f"127.0.0.1:{server.port}"
    ckan_config["smtp.mail_from"] = "satudata@paserkab.go.id"
    try:
        yield server
    finally:
        server.stop()


def _subject(message: object) -> str:
    """The subject as read (a long encoded subject unfolds with spaces)."""
    return " ".join(str(message["Subject"]).split())  # type: ignore[index]


def _body(message: object) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[attr-defined]


def test_submit_and_decisions_are_mailed(auth_roles: AuthRoles, smtp: SmtpServer) -> None:
    dataset = producer_dataset(auth_roles)
    walidata = auth_roles.users["walidata"]
    producer = auth_roles.users["producer"]
    assert walidata and producer

    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    run_jobs()
    [submitted] = smtp.inbox.to(walidata["email"])
    assert _subject(submitted).startswith("[Satu Data] Menunggu pemeriksaan")
    assert f"http://test.ckan.net/pemeriksaan/{dataset['name']}" in _body(submitted)
    assert "Dinas Kesehatan Kabupaten Paser" in _body(submitted)

    act(
        auth_roles,
        "walidata",
        "satudata_review_reject",
        id=dataset["id"],
        comment="Periksa kembali.",
        items=[{"key": "field:title", "label": "Judul", "accepted": False,
                "comment": "Sebutkan tahun data."}],
    )  # fmt: skip
    run_jobs()
    [rejected] = smtp.inbox.to(producer["email"])
    assert _subject(rejected).startswith("[Satu Data] Dikembalikan untuk diperbaiki")
    body = _body(rejected)
    assert "- Judul: Sebutkan tahun data." in body and "Periksa kembali." in body

    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    act(auth_roles, "walidata", "satudata_review_approve", id=dataset["id"])
    act(auth_roles, "walidata", "satudata_review_publish", id=dataset["id"])
    run_jobs()
    subjects = [_subject(m) for m in smtp.inbox.to(producer["email"])]
    assert any(s.startswith("[Satu Data] Disetujui") for s in subjects)
    assert any(s.startswith("[Satu Data] Ditayangkan") for s in subjects)
    assert len(smtp.inbox.to(walidata["email"])) == 2  # both submissions


def test_a_mail_that_cannot_be_sent_never_blocks_a_transition(
    auth_roles: AuthRoles, ckan_config: dict
) -> None:
    ckan_config["smtp.server"] = f"127.0.0.1:{free_port()}"  # nothing listens there
    dataset = producer_dataset(auth_roles)
    act(auth_roles, "producer", "satudata_review_submit", id=dataset["id"])
    run_jobs()  # the mail job fails and logs; the queue goes on
    act(auth_roles, "walidata", "satudata_review_approve", id=dataset["id"])
    shown = act(auth_roles, "walidata", "package_show", id=dataset["id"])
    assert shown["status_data"] == "disetujui"
