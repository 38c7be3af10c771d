"""Pupils and their contacts, the chronology of a case, Cause for Concern referrals, parent
meetings, the generic headteacher Approval, and pupil CSV imports."""

from pupils.models.cases import Approval, CaseEvent, RetentionLog
from pupils.models.imports import ImportBatch
from pupils.models.pupils import (
    Contact,
    EhcpPathway,
    PrimaryNeed,
    Pupil,
    PupilQuerySet,
    SenProvision,
    Sex,
    YearGroup,
)
from pupils.models.referrals import OPEN_REFERRAL_STATUSES, ParentMeeting, Referral, ReferralAttachment

__all__ = [
    "OPEN_REFERRAL_STATUSES",
    "Approval",
    "CaseEvent",
    "Contact",
    "EhcpPathway",
    "ImportBatch",
    "ParentMeeting",
    "PrimaryNeed",
    "Pupil",
    "PupilQuerySet",
    "Referral",
    "ReferralAttachment",
    "RetentionLog",
    "SenProvision",
    "Sex",
    "YearGroup",
]
