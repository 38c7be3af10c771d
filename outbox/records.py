"""The outbox's records about a pupil, for subject access and the end of retention."""

from pupils.records import REMOVED, PupilRecordType, register_pupil_records


def register_outbox_record_types() -> None:
    from outbox.models import Message

    register_pupil_records(
        PupilRecordType(
            "Letters and messages sent",
            Message,
            "pupil",
            erase={
                "recipient_name": REMOVED,
                "recipient_email": "",
                "recipient_address": "",
                "body": REMOVED,
                "handed_to": "",
                "last_error": "",
            },
        )
    )
