"""The outbox's records about a pupil, for subject access and the end of retention."""

from pupils.records import REMOVED, PupilRecordType, register_pupil_records, removed_if_present


def register_outbox_record_types() -> None:
    from apcase.models import Document
    from outbox.models import Message

    register_pupil_records(
        PupilRecordType(
            "Letters and messages sent",
            Message,
            "pupil",
            erase={
                "recipient_name": REMOVED,
                # Kept as markers where the channel's check constraint needs an address.
                "recipient_email": removed_if_present("recipient_email"),
                "recipient_address": removed_if_present("recipient_address"),
                "body": REMOVED,
                "handed_to": "",
                "last_error": "",
            },
        )
    )
    # Each letter and invitation as it was sent names the pupil and the family: given in a subject
    # access export, and at the end of retention the file goes and the row says so.
    for lookup in ("messages__pupil", "calendar_messages__pupil"):
        register_pupil_records(
            PupilRecordType(
                "Letters as sent" if lookup.startswith("messages") else "Invitations as sent",
                Document,
                lookup,
                erase={"file": "", "title": REMOVED},
                file_fields=("file",),
            )
        )
