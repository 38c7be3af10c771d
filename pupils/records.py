"""Every kind of record that is about a pupil, registered by the app that owns it.

One list serves three duties that must never disagree about what "the pupil's data" is:
the subject access export, anonymisation at the end of retention, and the record-access page.
Apps register in their AppConfig.ready(); later apps (placements, reviews) add theirs the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Value, When


@dataclass(frozen=True)
class PupilRecordType:
    label: str  # plural, as a person says it: "Referrals"
    model: type[models.Model]
    pupil_lookup: str  # from the model to the pupil: "pupil", "referral__pupil"; "" for Pupil itself
    # At the end of retention: replace these fields (free text, names) with these values...
    erase: dict[str, object] = field(default_factory=dict)
    # ...or delete the rows altogether (contacts, uploaded evidence).
    delete: bool = False
    # Files held in these fields: copied into a subject access export, and deleted from storage at
    # the end of retention (an `erase` that keeps the row must blank the field too).
    file_fields: tuple[str, ...] = ()

    def for_pupil(self, pupil) -> models.QuerySet:
        if not self.pupil_lookup:
            return self.model._default_manager.filter(pk=pupil.pk)
        return self.model._default_manager.filter(**{self.pupil_lookup: pupil})

    @property
    def has_history(self) -> bool:
        return hasattr(self.model, "history")


RECORD_TYPES: list[PupilRecordType] = []


def register_pupil_records(record_type: PupilRecordType) -> None:
    if any(
        existing.model is record_type.model and existing.pupil_lookup == record_type.pupil_lookup
        for existing in RECORD_TYPES
    ):
        return  # ready() can run twice in tests; one entry per way of reaching the pupil
    RECORD_TYPES.append(record_type)


def records_about(pupil) -> list[tuple[PupilRecordType, models.QuerySet]]:
    return [(record_type, record_type.for_pupil(pupil)) for record_type in RECORD_TYPES]


REMOVED = "[removed at the end of the retention period]"


def removed_if_present(field: str) -> Case:
    """The erasure of a text that a check constraint requires in some states (a cancellation's
    reason, say): a marker where there was text, so the row stays valid, and blank where blank."""
    return Case(When(**{field: ""}, then=Value("")), default=Value(REMOVED))


REFERRAL_FREE_TEXT = [
    "concern",
    "strategies_tried",
    "evidence",
    "parents_informed_notes",
    "background",
    "staff_consulted",
    "avenues_notes",
    "recommendation_reasons",
    "withdrawal_reason",
]


def register_pupils_record_types() -> None:
    """The records this app keeps about a pupil (called from PupilsConfig.ready)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat, LPad, TruncYear

    from pupils.models import Approval, CaseEvent, Contact, ParentMeeting, Pupil, Referral, ReferralAttachment

    register_pupil_records(
        PupilRecordType(
            "Pupil details",
            Pupil,
            "",
            erase={
                "legal_first_name": "Anonymised",
                "legal_last_name": "pupil",
                "preferred_first_name": "",
                "preferred_last_name": "",
                # Still unique, and never a valid UPN (Z is not a check letter of an LA number here).
                "upn": Concat(Value("Z"), LPad(Cast("id", CharField()), 12, Value("0"))),
                "date_of_birth": TruncYear("date_of_birth"),  # the age group survives for statistics
                "registration_group": "",
                "class_teacher": None,
            },
        )
    )
    register_pupil_records(PupilRecordType("Key adults", Pupil.key_adults.through, "pupil", delete=True))
    register_pupil_records(PupilRecordType("Contacts", Contact, "pupil", delete=True))
    register_pupil_records(
        PupilRecordType(
            "Referrals",
            Referral,
            "pupil",
            erase=dict.fromkeys(REFERRAL_FREE_TEXT, ""),
        )
    )
    register_pupil_records(
        PupilRecordType(
            "Parent meetings",
            ParentMeeting,
            "referral__pupil",
            erase={"attendees": "", "explained": "", "parents_views": ""},
        )
    )
    register_pupil_records(
        PupilRecordType("Referral evidence", ReferralAttachment, "referral__pupil", delete=True, file_fields=("file",))
    )
    register_pupil_records(PupilRecordType("Chronology", CaseEvent, "pupil", erase={"summary": REMOVED, "link": ""}))
    register_pupil_records(
        PupilRecordType(
            "Approvals", Approval, "pupil", erase={"summary": REMOVED, "reasons": removed_if_present("reasons")}
        )
    )
