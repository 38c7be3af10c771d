"""Forms of the provider portal and of a school's page for its provider's portal access."""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.layout import Layout
from django import forms

from apcase.forms import BaseFormHelper, UKDateInput, dates_not_in_the_future, form_field
from audits.models import SafeguardingConfirmation
from placements.forms import IncidentForm
from placements.models import AttendanceMark
from provider_portal.services import RegisterEntry
from reviews.models import ProviderProgressNote, ProviderReviewReport


class InviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Their e-mail address at the provider")
    job_title = forms.CharField(
        label="Their role at the provider", max_length=120, help_text="For example: head of centre."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("first_name", "last_name", "email", "job_title")


class AcceptForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(
        label="The same password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
        self.helper.form_tag = False


class ProviderIncidentForm(IncidentForm):
    """The school's incident form without "reported by": the portal knows who is reporting."""

    class Meta(IncidentForm.Meta):
        fields = ["severity", "description", "actions_taken", "safeguarding_concern"]
        help_texts = {
            "severity": "A serious incident reaches the school's SENDCo at once and leads to a placement review.",
            "safeguarding_concern": "The school's Designated Safeguarding Lead is told at once. Follow your own "
            "safeguarding procedure too: call them if a child is at risk now.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields.remove("reported_by")


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProviderProgressNote
        fields = ["target", "measured_on", "value", "note"]
        widgets = {"measured_on": UKDateInput(), "note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"value": "On the target's own scale, if you measured it."}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self.fields, "target", forms.ModelChoiceField).queryset = placement.targets.order_by("area", "pk")
        self.fields["target"].label = "Target"
        dates_not_in_the_future(self.fields, "measured_on")
        self.helper = BaseFormHelper()
        self.helper.form_tag = False


class SignatureForm(forms.Form):
    """A typed-name signature: the name, the position, and agreeing to the words shown above."""

    typed_name = forms.CharField(label="Your full name", max_length=120)
    position = forms.CharField(label="Your position", max_length=120)
    agree = forms.BooleanField(label="I agree to the statement above and sign it with my typed name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
        self.helper.form_tag = False


class KcsieSignForm(SignatureForm):
    field_order = ["checks", "typed_name", "position", "agree"]
    checks = forms.MultipleChoiceField(
        label="The checks carried out for every member of staff and volunteer who will work with the school's pupils",
        choices=SafeguardingConfirmation.CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReviewReportForm(forms.ModelForm):
    class Meta:
        model = ProviderReviewReport
        fields = ["report", "file"]
        widgets = {"report": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
        self.helper.form_tag = False

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not (cleaned.get("report") or "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("Write the report, or upload it.")
        return cleaned


def register_entries(registers, data) -> list[RegisterEntry]:
    """The marks chosen on the day's register: one per expected session whose choice changes its
    mark (an empty choice, or the same mark again, leaves the session as it is)."""
    entries = []
    for register in registers:
        for row in register.rows:
            for session, _label, mark in row.cells:
                name = f"{row.placement.public_id}-{session}"
                code, reason = data.get(name, "").strip().upper(), data.get(f"reason-{name}", "").strip()
                if code and not (mark and mark.code.code == code and mark.reason == reason):
                    entries.append(RegisterEntry(row.placement, session, code, reason))
    return entries


@dataclass(frozen=True)
class RegisterCell:
    """One session on the register page, with what was typed when the register was refused."""

    name: str
    label: str
    mark: AttendanceMark | None
    code: str
    reason: str
    problem: str


def register_cells(row, data, problems: dict[str, str]) -> list[RegisterCell]:
    typed = data if problems else {}  # after a refusal, show what was chosen rather than lose it
    cells = []
    for session, label, mark in row.cells:
        name = f"{row.placement.public_id}-{session}"
        cells.append(
            RegisterCell(
                name, label, mark, typed.get(name, ""), typed.get(f"reason-{name}", ""), problems.get(name, "")
            )
        )
    return cells
