"""Forms for pupils, contacts, referrals, parent meetings, decisions and imports.

Cross-field rules live in the models' clean(), so forms, services and the CSV import all apply
the same ones; these forms add layout and the few rules that belong to a screen.
"""

from __future__ import annotations

from datetime import datetime

from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone

from apcase.forms import BaseFormHelper, UKDateInput, UKTimeInput, form_field
from apcase.greetings import TITLES
from apcase.models import School, User
from apcase.uploads import ALLOWED_DESCRIPTION, validate_upload
from pupils.approvals import DecisionCheck
from pupils.models import Contact, ParentMeeting, Pupil, Referral, SenProvision, YearGroup
from pupils.selectors import NO_CASE
from pupils.services import ParentMeetingDetails, staff_of
from pupils.upn import upn_normalise

TEXTAREA_ROWS = 3


def _rows(count: int = TEXTAREA_ROWS) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": count})


def _checkboxes(choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(choices=choices.choices, widget=forms.CheckboxSelectMultiple, required=False)


def _row(*fields: str) -> Div:
    return Div(*(Div(field, css_class="col-md") for field in fields), css_class="row")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = StaffChoiceField.label_from_instance


class PupilForm(forms.ModelForm):
    # Longer than 13 so a UPN pasted with spaces is accepted, then normalised and validated.
    upn = forms.CharField(
        label="UPN",
        max_length=20,
        help_text="Unique Pupil Number: 13 characters, from the MIS.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "text-uppercase"}),
    )
    class_teacher = StaffChoiceField(queryset=None, required=False)
    key_adults = StaffMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff the pupil trusts. They, and the class teacher, may open this profile.",
    )

    class Meta:
        model = Pupil
        fields = [
            "upn",
            "legal_first_name",
            "legal_last_name",
            "preferred_first_name",
            "preferred_last_name",
            "date_of_birth",
            "sex",
            "year_group",
            "registration_group",
            "class_teacher",
            "key_adults",
            "admission_date",
            "leaving_date",
            "sen_provision",
            "primary_need",
            "ehcp_pathway",
            "pupil_premium",
            "fsm",
            "looked_after",
            "eal",
        ]
        widgets = {
            "date_of_birth": UKDateInput(),
            "admission_date": UKDateInput(),
            "leaving_date": UKDateInput(),
        }

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        staff = staff_of(school)
        form_field(self.fields, "class_teacher", forms.ModelChoiceField).queryset = staff
        form_field(self.fields, "key_adults", forms.ModelChoiceField).queryset = staff
        if self.instance.pk is None:
            del self.fields["leaving_date"]
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Identity",
                "upn",
                _row("legal_first_name", "legal_last_name"),
                _row("preferred_first_name", "preferred_last_name"),
                _row("date_of_birth", "sex"),
            ),
            Fieldset(
                "In school",
                _row("year_group", "registration_group"),
                "class_teacher",
                "key_adults",
                _row("admission_date", *(["leaving_date"] if "leaving_date" in self.fields else [])),
            ),
            Fieldset(
                "Needs and circumstances",
                _row("sen_provision", "primary_need"),
                "ehcp_pathway",
                _row("pupil_premium", "fsm"),
                _row("looked_after", "eal"),
            ),
        )

    def clean_upn(self) -> str:
        return upn_normalise(self.cleaned_data["upn"])


class ContactForm(forms.ModelForm):
    title = forms.ChoiceField(
        choices=[("", "None"), *((title, title) for title in TITLES)],
        required=False,
        help_text=Contact._meta.get_field("title").help_text,
    )

    class Meta:
        model = Contact
        fields = [
            "title",
            "name",
            "relationship",
            "parental_responsibility",
            "priority",
            "phone",
            "email",
            "address",
            "postcode",
            "preferred_method",
            "do_not_contact",
            "do_not_contact_reason",
        ]
        widgets = {"address": _rows()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            _row("title", "name", "relationship"),
            _row("parental_responsibility", "priority"),
            _row("phone", "email"),
            "address",
            _row("postcode", "preferred_method"),
            Fieldset("Restrictions", "do_not_contact", "do_not_contact_reason"),
        )


class PupilFilterForm(forms.Form):
    q = forms.CharField(label="Name or UPN", required=False)
    year = forms.ChoiceField(label="Year", choices=[("", "Any year"), *YearGroup.choices], required=False)
    sen = forms.ChoiceField(label="SEN", choices=[("", "Any"), *SenProvision.choices], required=False)
    case = forms.ChoiceField(
        label="Case",
        choices=[("", "Any"), (NO_CASE, "No referral"), *Referral.Status.choices],
        required=False,
    )

    @property
    def choice_fields(self) -> list:
        """The drop-downs beside the search box."""
        return [self[name] for name in self.fields if name != "q"]


class ReferralForm(forms.ModelForm):
    criteria = forms.MultipleChoiceField(
        label="Which of these describe the pupil?",
        choices=Referral.Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one description, so the SENDCo knows what the concern is."},
    )
    reasons = _checkboxes(Referral.Reason)

    class Meta:
        model = Referral
        fields = [
            "criteria",
            "concern",
            "reasons",
            "suspensions_this_year",
            "strategies_tried",
            "tried_for_weeks",
            "evidence",
            "parents_informed",
            "parents_informed_notes",
            "safeguarding_concern",
        ]
        widgets = {
            "concern": _rows(5),
            "strategies_tried": _rows(4),
            "evidence": _rows(),
        }
        help_texts = {"strategies_tried": "Strategies, interventions and support, and who gave them."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = "Why might alternative provision help?"
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            Fieldset("The concern", "criteria", "concern"),
            Fieldset("Reasons", "reasons", "suspensions_this_year"),
            Fieldset("What has been tried", "strategies_tried", "tried_for_weeks", "evidence"),
            Fieldset("Family and safeguarding", "parents_informed", "parents_informed_notes", "safeguarding_concern"),
        )


class ReviewForm(forms.ModelForm):
    avenues_considered = _checkboxes(Referral.Avenue)

    class Meta:
        model = Referral
        fields = [
            "background",
            "staff_consulted",
            "avenues_considered",
            "avenues_notes",
            "recommendation",
            "recommendation_reasons",
        ]
        widgets = {
            "background": _rows(4),
            "staff_consulted": _rows(),
            "avenues_notes": _rows(),
            "recommendation": forms.RadioSelect,
            "recommendation_reasons": _rows(4),
        }
        help_texts = {
            "background": "Attendance, behaviour records, previous support, the views of the pupil.",
            "recommendation_reasons": "Required when recommending no AP; the headteacher reads this before deciding.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avenues_considered"].label = "Which have been considered?"
        self.fields["recommendation"].label = "What do you recommend?"
        form_field(self.fields, "recommendation", forms.ChoiceField).choices = Referral.Recommendation.choices
        self.fields["recommendation"].required = False
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            Fieldset("Background", "background", "staff_consulted"),
            Fieldset("Other avenues", "avenues_considered", "avenues_notes"),
            Fieldset("Recommendation", "recommendation", "recommendation_reasons"),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("recommendation") == Referral.Recommendation.NO_AP
            and not cleaned.get("recommendation_reasons", "").strip()
        ):
            self.add_error("recommendation_reasons", "Give the reasons for recommending no AP.")
        return cleaned


class ParentMeetingForm(forms.ModelForm):
    field_order = ["held_on", "held_time"]  # first in the error summary, as on the page
    held_on = forms.DateField(label="Date of the meeting", widget=UKDateInput())
    held_time = forms.TimeField(label="Time", widget=UKTimeInput())

    class Meta:
        model = ParentMeeting
        fields = [
            "attendees",
            "explained",
            "alternative_to_exclusion",
            "made_clear_to_parents",
            "parents_views",
            "agreement",
        ]
        widgets = {
            "attendees": _rows(),
            "explained": _rows(4),
            "parents_views": _rows(4),
            "agreement": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.held_at:
            local = timezone.localtime(self.instance.held_at)
            self.initial.update(held_on=local.date(), held_time=local.time())
        form_field(self.fields, "agreement", forms.ChoiceField).choices = ParentMeeting.Agreement.choices
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            _row("held_on", "held_time"),
            "attendees",
            "explained",
            Fieldset("Alternative to permanent exclusion", "alternative_to_exclusion", "made_clear_to_parents"),
            Fieldset("The parents' response", "parents_views", "agreement"),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, time = cleaned.get("held_on"), cleaned.get("held_time")
        if day and time:
            held_at = timezone.make_aware(datetime.combine(day, time))
            if held_at > timezone.now():
                self.add_error("held_on", "Record a meeting after it has been held.")
            else:
                self.instance.held_at = held_at
        return cleaned

    def details(self) -> ParentMeetingDetails:
        return ParentMeetingDetails.from_data({**self.cleaned_data, "held_at": self.instance.held_at})


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Evidence file", validators=[validate_upload], help_text=f"{ALLOWED_DESCRIPTION}, up to the size limit."
    )
    description = forms.CharField(max_length=200, required=False, help_text="For example: behaviour log, autumn 1.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class DecisionForm(forms.Form):
    """Approve or decline, with reasons; plus what the kind's decision check asks before approving
    (e.g. a new first day for a placement whose first day has passed)."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    reasons = forms.CharField(
        label="Reasons", widget=_rows(), required=False, help_text="Required when declining; shared with the SENDCo."
    )

    def __init__(self, *args, check: DecisionCheck | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        if check is not None:
            self.fields.update(check.fields)

    @property
    def check_fields(self) -> list:
        return [self[name] for name in self.check.fields] if self.check else []

    @property
    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.check.fields} if self.check else {}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "decline" and not cleaned.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for declining.")
        if cleaned.get("decision") == "approve" and self.check and not any(self.answers.values()):
            self.add_error(None, self.check.unanswered)
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="CSV file exported from your MIS")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a .csv file (save the MIS report as CSV).")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB; export only the columns listed below.")
        return upload
