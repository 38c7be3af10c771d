"""Who may open each pupil, referral and approval URL (see pupils/permissions.py for why)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from apcase.tests.access import Case, expect
from pupils.models import Approval, Referral
from pupils.services import import_batch_create, referral_attachment_add
from pupils.tests.cases import meet, referral_at
from pupils.tests.factories import ContactFactory, PupilFactory

S = Referral.Status
PDF = b"%PDF-1.4\n%%EOF\n"
CSV = b"UPN,Surname,Forename,DOB,Sex,Year,SEN,Admission Date\nQ860200119101,Abbott,Grace,14/03/2016,F,5,N,03/09/2020\n"

ROLL_KEEPERS = {"sendco": 200, "head": 200, "office": 200}  # the others get the default
ROLL_KEEPERS_POST = {"sendco": 302, "head": 302, "office": 302}


def _pupil(world):
    return PupilFactory(school=world.school, class_teacher=world.users["teacher"])


def pupil_kwargs(world):
    return {"public_id": _pupil(world).public_id}


def contact_kwargs(world):
    return {"public_id": ContactFactory(pupil=_pupil(world)).public_id}


def batch_kwargs(world):
    upload = SimpleUploadedFile("roll.csv", CSV)
    return {"public_id": import_batch_create(actor=world.users["office"], school=world.school, upload=upload).public_id}


def _referral(world, status):
    users = world.users
    return referral_at(status, pupil=_pupil(world), teacher=users["teacher"], sendco=users["sendco"])


def referral_kwargs(status):
    return lambda world: {"public_id": _referral(world, status).public_id}


def meeting_kwargs(world):
    return {"public_id": meet(_referral(world, S.UNDER_REVIEW), world.users["sendco"]).public_id}


def attachment_kwargs(status):
    def make(world):
        referral = _referral(world, status)
        upload = SimpleUploadedFile("log.pdf", PDF)
        return {
            "public_id": referral_attachment_add(actor=world.users["teacher"], referral=referral, file=upload).public_id
        }

    return make


def approval_kwargs(world):
    _referral(world, S.AWAITING_APPROVAL)
    return {"public_id": Approval.objects.get().public_id}


def approve(world):
    return {f"{Approval.objects.get().public_id}-decision": "approve"}


CASES = {
    # Pupils: the roll keepers, DSL and the pupil's class teacher see the profile; governors never.
    "pupils:detail": Case(pupil_kwargs, expect(200, governor=403)),
    "pupils:edit": Case(pupil_kwargs, expect(403, **ROLL_KEEPERS)),
    "pupils:history": Case(pupil_kwargs, expect(200, teacher=403, governor=403)),
    "pupils:contact_new": Case(pupil_kwargs, expect(403, **ROLL_KEEPERS)),
    "pupils:contact_edit": Case(contact_kwargs, expect(403, **ROLL_KEEPERS)),
    "pupils:contact_remove": Case(contact_kwargs, expect(403, **ROLL_KEEPERS_POST), method="post"),
    "pupils:import_preview": Case(batch_kwargs, expect(403, **ROLL_KEEPERS)),
    "pupils:import_confirm": Case(batch_kwargs, expect(403, **ROLL_KEEPERS_POST), method="post"),
    "pupils:import_discard": Case(batch_kwargs, expect(403, **ROLL_KEEPERS_POST), method="post"),
    # Raising a concern: any teaching or leading role may pick any pupil on roll.
    "referrals:new": Case(lambda world: {"pupil_id": _pupil(world).public_id}, expect(200, office=403, governor=403)),
    # A submitted, unflagged referral: its author and the leaders; the DSL only sees flagged ones.
    "referrals:detail": Case(referral_kwargs(S.SUBMITTED), expect(200, dsl=403, office=403, governor=403)),
    "referrals:history": Case(referral_kwargs(S.SUBMITTED), expect(403, sendco=200, head=200)),
    "referrals:edit": Case(referral_kwargs(S.DRAFT), expect(403, teacher=200)),
    "referrals:move": Case(
        referral_kwargs(S.SUBMITTED), expect(403, sendco=302), method="post", data={"target": S.UNDER_REVIEW}
    ),
    "referrals:review": Case(referral_kwargs(S.UNDER_REVIEW), expect(403, sendco=200)),
    "referrals:meeting_new": Case(referral_kwargs(S.UNDER_REVIEW), expect(403, sendco=200, head=200)),
    "referrals:meeting_edit": Case(meeting_kwargs, expect(403, sendco=200, head=200)),
    "referrals:attachment_add": Case(
        referral_kwargs(S.SUBMITTED), expect(403, teacher=302, sendco=302, head=302), method="post"
    ),
    "referrals:attachment_download": Case(
        attachment_kwargs(S.SUBMITTED), expect(200, dsl=403, office=403, governor=403)
    ),
    "referrals:attachment_remove": Case(attachment_kwargs(S.DRAFT), expect(403, teacher=302), method="post"),
    # Privacy duties: the access log and subject access for leaders; anonymising for head and office
    # (a pupil still on roll is refused with a message, so the allowed roles are redirected back).
    "pupils:access_log": Case(pupil_kwargs, expect(403, sendco=200, head=200)),
    "pupils:subject_access": Case(pupil_kwargs, expect(403, sendco=200, head=200)),
    "pupils:anonymise": Case(pupil_kwargs, expect(403, head=302, office=302), method="post"),
    # Deciding is the headteacher's alone.
    "approvals:decide": Case(approval_kwargs, expect(403, head=302), method="post", data=approve),
}
