"""Who may open each outbox URL: the office, the SENDCo and the head send and record letters; the
DSL reads them; teachers and governors get 403; the outsider 404."""

from __future__ import annotations

from apcase.services import document_store
from apcase.tests.access import Case, expect
from outbox.models import Message
from outbox.services import message_queue

READERS = {"sendco": 200, "head": 200, "office": 200, "dsl": 200}
RECORDERS_REDIRECTED = {"sendco": 302, "head": 302, "office": 302}


def _message(world, channel=Message.Channel.POST) -> Message:
    sendco = world.users["sendco"]
    document = document_store(school=world.school, kind="letter", title="Letter", content=b"%PDF-1.4\n", actor=sendco)
    return message_queue(
        actor=sendco,
        school=world.school,
        purpose=Message.Purpose.HANDOVER,
        channel=channel,
        recipient_name="Ms Provider",
        recipient_address="1 Road\nTown\nAB1 2CD",
        recipient_email="p@example.org",
        subject="A letter",
        body="Body",
        document=document,
    )


def _letter(world):
    return {"public_id": _message(world).public_id}


def _posted(world):
    return {"public_id": _message(world).public_id, "action": "posted"}


CASES = {
    "outbox:detail": Case(_letter, expect(403, **READERS)),
    "outbox:document": Case(_letter, expect(403, **READERS)),
    "outbox:record": Case(
        _posted, expect(403, **RECORDERS_REDIRECTED), method="post", data={"posted-posted_on": "2026-12-01"}
    ),
}
