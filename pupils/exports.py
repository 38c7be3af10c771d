"""CSV exports of the pupil and referral lists: the same selectors and filters as the pages."""

from __future__ import annotations

from django.utils import timezone

from apcase.exports import ExportKind, register_export
from pupils.selectors import pupil_list_for_user, referral_list_for_user


def _yes(value: bool) -> str:
    return "Y" if value else "N"


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def pupil_rows(user, school, params):
    pupils = pupil_list_for_user(
        user=user,
        school=school,
        search=params.get("q", ""),
        year=params.get("year", ""),
        sen=params.get("sen", ""),
        case_status=params.get("case", ""),
    )
    headers = [
        "UPN",
        "Legal surname",
        "Legal forename",
        "Preferred name",
        "Date of birth",
        "Sex",
        "NC year",
        "Registration group",
        "SEN",
        "Primary need",
        "Pupil Premium",
        "FSM",
        "Looked after",
        "EAL",
        "Admission date",
        "Case status",
    ]
    rows = (
        [
            p.upn,
            p.legal_last_name,
            p.legal_first_name,
            p.display_name,
            _date(p.date_of_birth),
            p.sex,
            p.year_group,
            p.registration_group,
            p.sen_provision,
            p.primary_need,
            _yes(p.pupil_premium),
            _yes(p.fsm),
            _yes(p.looked_after),
            _yes(p.eal),
            _date(p.admission_date),
            p.case_status or "",
        ]
        for p in pupils.iterator(chunk_size=500)
    )
    return pupils.count(), headers, rows


def referral_rows(user, school, params):
    referrals = referral_list_for_user(
        user=user, status=params.get("status", ""), search=params.get("q", ""), flagged=params.get("flagged") == "1"
    )
    headers = ["Pupil", "UPN", "Year", "Raised by", "Raised on", "Status", "Recommendation", "Safeguarding concern"]
    rows = (
        [
            r.pupil.display_name,
            r.pupil.upn,
            r.pupil.year_group,
            str(r.raised_by),
            timezone.localtime(r.raised_at).strftime("%d/%m/%Y"),
            r.get_status_display(),
            r.get_recommendation_display(),
            _yes(r.safeguarding_concern),
        ]
        for r in referrals.iterator(chunk_size=500)
    )
    return referrals.count(), headers, rows


def register_pupils_exports() -> None:
    register_export(ExportKind("pupils", "Pupils", "pupils.list_pupils", rows=pupil_rows))
    register_export(ExportKind("referrals", "Causes for Concern", "pupils.list_referrals", rows=referral_rows))
