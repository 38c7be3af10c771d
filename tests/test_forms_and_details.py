"""Each long form edits exactly the details its services take (apcase/details.py): a field added
to the form and not to its Details would be read, shown and silently never saved."""

from __future__ import annotations

from dataclasses import fields

import pytest

from apcase.details import Details
from audits.forms import ProviderForm, ProviderSiteForm
from audits.services import ProviderDetails, ProviderSiteDetails
from placements.forms import PlacementForm
from placements.services import PlacementDetails
from pupils.forms import ContactForm, ParentMeetingForm, PupilForm, ReferralForm
from pupils.services import ContactDetails, ParentMeetingDetails, PupilDetails, ReferralDetails
from reviews.forms import TargetForm
from reviews.services import TargetDetails

# What a form edits beside its details, and why: a service argument of its own.
BESIDE = {
    PupilForm: {"key_adults"},  # many-to-many, set once the pupil is saved
    PlacementForm: {"planned_end_date", "school_days"},  # a later last day may be an extension
}
# Details a form sets from fields of its own: the meeting's day and time make held_at.
MADE_BY_THE_FORM = {ParentMeetingForm: {"held_at"}}


@pytest.mark.parametrize(
    ("form", "details"),
    [
        (PupilForm, PupilDetails),
        (ContactForm, ContactDetails),
        (ReferralForm, ReferralDetails),
        (ParentMeetingForm, ParentMeetingDetails),
        (ProviderForm, ProviderDetails),
        (ProviderSiteForm, ProviderSiteDetails),
        (PlacementForm, PlacementDetails),
        (TargetForm, TargetDetails),
    ],
    ids=lambda value: value.__name__,
)
def test_the_form_edits_what_its_details_declare(form, details: type[Details]):
    edited = set(form.Meta.fields) - BESIDE.get(form, set())
    declared = {field.name for field in fields(details)} - MADE_BY_THE_FORM.get(form, set())
    assert edited == declared
