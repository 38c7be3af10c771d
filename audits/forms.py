from __future__ import annotations

from crispy_forms.layout import Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.utils import timezone

from apcase.forms import (
    BaseFormHelper,
    FilterForm,
    UKDateInput,
    UKTimeInput,
    dates_not_in_the_future,
    form_field,
)
from apcase.models import User
from apcase.uploads import ALLOWED_DESCRIPTION, validate_upload
from audits.models import AuditAnswer, Provider, ProviderSite, SafeguardingConfirmation
from audits.services import FurtherActionDetails, ProviderDetails, ProviderSiteDetails


class ProviderFilterForm(FilterForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(label="Kind", choices=[("", "All kinds"), *Provider.Kind.choices], required=False)
    status = forms.ChoiceField(
        label="Clearance",
        choices=[
            ("", "Cleared or not"),
            ("cleared", "Cleared for placements"),
            ("not_cleared", "Not cleared"),
            ("renewal_due", "Confirmation or audit to renew within 30 days"),
        ],
        required=False,
    )
    inactive = forms.BooleanField(label="Include providers no longer used", required=False)

    def arguments(self, data: dict) -> dict:
        return {
            "search": data["q"].strip(),
            "kind": data["kind"],
            "cleared": {"cleared": True, "not_cleared": False}.get(data["status"]),
            "renewal_due": data["status"] == "renewal_due",
            "include_inactive": data["inactive"],
        }


class ProviderForm(forms.ModelForm):
    ofsted_report_url = forms.URLField(label="Ofsted report link", required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "is_active",
            "contact_name",
            "contact_role",
            "phone",
            "email",
            "registration",
            "urn",
            "ukprn",
            "setting_type",
            "ofsted_overall",
            "ofsted_quality_of_education",
            "ofsted_leadership",
            "ofsted_safeguarding",
            "ofsted_inspected_on",
            "ofsted_report_url",
            "on_la_directory",
            "lead_staff_name",
            "safeguarding_policy_applies",
            "staff_training",
            "reintegration_approach",
            "risk_assessment_on",
            "short_term_iap",
            "agreement_starts_on",
            "agreement_ends_on",
            "agreement_document",
            "subjects",
            "age_from",
            "age_to",
            "sessions",
            "cost_per_session",
            "cost_per_day",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "registration": forms.RadioSelect,
            "ofsted_inspected_on": UKDateInput,
            "risk_assessment_on": UKDateInput,
            "agreement_starts_on": UKDateInput,
            "agreement_ends_on": UKDateInput,
            "staff_training": forms.Textarea(attrs={"rows": 2}),
            "reintegration_approach": forms.Textarea(attrs={"rows": 3}),
            "subjects": forms.Textarea(attrs={"rows": 2}),
            "sessions": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "registration": "Check it on Get Information about Schools (URN) or the UK Register of Learning "
            "Providers (UKPRN).",
            "agreement_document": f"{ALLOWED_DESCRIPTION}.",
        }

    main_site_fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(
            self.fields, "registration", forms.ChoiceField
        ).choices = Provider.Registration.choices  # no blank radio
        dates_not_in_the_future(self.fields, "risk_assessment_on", "ofsted_inspected_on")
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            Fieldset("The provider", "name", "kind", "is_active"),
            *self.main_site_fields,
            Fieldset(
                "Contact",
                Row(Column("contact_name"), Column("contact_role")),
                Row(Column("phone"), Column("email")),
            ),
            Fieldset(
                "Registration and inspection (off-site providers)",
                "registration",
                Row(Column("urn"), Column("ukprn"), Column("setting_type")),
                Row(Column("ofsted_overall"), Column("ofsted_quality_of_education")),
                Row(Column("ofsted_leadership"), Column("ofsted_safeguarding")),
                Row(Column("ofsted_inspected_on"), Column("ofsted_report_url")),
                "on_la_directory",
            ),
            Fieldset(
                "Internal provision (on the school site)",
                "lead_staff_name",
                "safeguarding_policy_applies",
                "staff_training",
                "reintegration_approach",
                "risk_assessment_on",
                "short_term_iap",
            ),
            Fieldset(
                "Commissioning agreement",
                Row(Column("agreement_starts_on"), Column("agreement_ends_on")),
                "agreement_document",
            ),
            Fieldset(
                "Offer and cost",
                "subjects",
                Row(Column("age_from"), Column("age_to")),
                "sessions",
                Row(Column("cost_per_session"), Column("cost_per_day")),
            ),
        )

    def clean_agreement_document(self):
        document = self.cleaned_data["agreement_document"]
        if document is False:  # "Clear" ticked
            return ""
        if document and hasattr(document, "content_type"):  # a new upload, not the stored file
            validate_upload(document)
        return document

    def details(self) -> ProviderDetails:
        return ProviderDetails.from_data(self.cleaned_data)


class ProviderCreateForm(ProviderForm):
    """A new provider with the main site pupils attend (an internal provision may have none)."""

    site_name = forms.CharField(label="Site name", max_length=120, initial="Main site", required=False)
    site_address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One line per line of the address, without the postcode.",
    )
    site_postcode = forms.CharField(label="Postcode", max_length=10, required=False)

    main_site_fields = [
        Fieldset(
            "Where pupils attend",
            "site_name",
            "site_address",
            Field("site_postcode", css_class="w-auto"),
        )
    ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("kind") == Provider.Kind.OFFSITE:
            for name, message in [
                ("site_address", "Give the address where pupils will attend."),
                ("site_postcode", "Give the postcode of the site."),
            ]:
                if not cleaned.get(name, "").strip():
                    self.add_error(name, message)
        return cleaned

    def main_site(self) -> ProviderSiteDetails | None:
        if not self.cleaned_data["site_address"].strip():
            return None
        return ProviderSiteDetails(
            name=self.cleaned_data["site_name"] or "Main site",
            address=self.cleaned_data["site_address"],
            postcode=self.cleaned_data["site_postcode"],
        )


class ProviderSiteForm(forms.ModelForm):
    class Meta:
        model = ProviderSite
        fields = ["name", "address", "postcode", "is_main"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class RegistrationCheckForm(forms.Form):
    checked_on = forms.DateField(label="Checked on", widget=UKDateInput(attrs={"class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()
        dates_not_in_the_future(self.fields, "checked_on")
        self.helper = BaseFormHelper()


class SafeguardingConfirmationForm(forms.Form):
    confirmed_by_name = forms.CharField(label="Name of the person confirming", max_length=120)
    confirmed_by_position = forms.CharField(label="Their position", max_length=120)
    signed_on = forms.DateField(label="Date signed", widget=UKDateInput)
    checks = forms.MultipleChoiceField(
        label="Checks the provider confirms",
        choices=SafeguardingConfirmation.CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick only what the signed form confirms. A confirmation missing a check is kept but does "
        "not clear the provider.",
    )
    signed_copy = forms.FileField(
        label="Signed copy", validators=[validate_upload], help_text=f"The scanned, signed form: {ALLOWED_DESCRIPTION}."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates_not_in_the_future(self.fields, "signed_on")
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            Row(Column("confirmed_by_name"), Column("confirmed_by_position")),
            Field("signed_on", css_class="w-auto"),
            "checks",
            "signed_copy",
        )


class _StaffChoiceMixin:
    """A staff-member field built from a list fetched once (27 question forms share it)."""

    fields: dict[str, forms.Field]  # the form's, which this mixes into

    def _set_staff_choices(self, field_name: str, staff: list[User], blank: str | None) -> None:
        self._staff = {str(user.public_id): user for user in staff}
        choices = [(key, str(user)) for key, user in self._staff.items()]
        field = form_field(self.fields, field_name, forms.ChoiceField)
        field.choices = ([("", blank)] if blank is not None else []) + choices

    def _staff_member(self, key: str) -> User | None:
        return self._staff.get(key) if key else None


class AuditVisitForm(_StaffChoiceMixin, forms.Form):
    visit_date = forms.DateField(label="Date of visit", widget=UKDateInput)
    visit_time = forms.TimeField(label="Time of visit", widget=UKTimeInput, required=False)
    auditor = forms.ChoiceField(label="Audit completed by")

    def __init__(self, *args, staff: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self._set_staff_choices("auditor", staff, None)
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(Row(Column("visit_date"), Column("visit_time"), Column("auditor")))

    def clean_auditor(self):
        return self._staff_member(self.cleaned_data["auditor"])


class AuditAnswerForm(_StaffChoiceMixin, forms.Form):
    """One question of the audit: answer plus evidence, concerns and an optional further action."""

    answer = forms.CharField(label="Answer", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What you saw or were shown"}),
        required=False,
    )
    concerns = forms.CharField(label="Concerns", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    action_description = forms.CharField(
        label="What needs doing", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    action_owner = forms.ChoiceField(label="Owner", required=False)
    action_due_on = forms.DateField(label="Due by", widget=UKDateInput, required=False)
    action_blocking = forms.BooleanField(label="Blocks placements until done", required=False)

    def __init__(self, *args, answer: AuditAnswer, number: int, staff: list[User], **kwargs):
        action = getattr(answer, "action", None)
        initial = {"answer": answer.answer, "evidence": answer.evidence, "concerns": answer.concerns}
        if action is not None:
            initial |= {
                "action_description": action.description,
                "action_owner": str(action.owner.public_id),
                "action_due_on": action.due_on,
                "action_blocking": action.blocking,
            }
        kwargs.update(initial=initial, prefix=f"q{number}")
        super().__init__(*args, **kwargs)
        self._set_staff_choices("action_owner", staff, "Choose who follows it up")
        has_action = action is not None or bool(self.data.get(self.add_prefix("action_description")))
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            Row(Div("answer", css_class="col-md-7"), Div("evidence", css_class="col-md-5")),
            "concerns",
            Div(
                "action_description",
                Row(Column("action_owner"), Column("action_due_on"), Column("action_blocking", css_class="pt-md-4")),
                template="audits/layout/further_action.html",
                **({"open": "open"} if has_action else {}),
            ),
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        described = cleaned.get("action_description", "").strip()
        owner = self._staff_member(cleaned.get("action_owner", ""))
        if described:
            if owner is None:
                self.add_error("action_owner", "Choose who will follow up the further action.")
            if not cleaned.get("action_due_on") and "action_due_on" not in self.errors:
                self.add_error("action_due_on", "Give the date the further action is due by.")
        elif owner or cleaned.get("action_due_on") or cleaned.get("action_blocking"):
            self.add_error("action_description", "Describe the further action, or clear its owner and date.")
        cleaned["owner"] = owner
        return cleaned

    def action(self) -> FurtherActionDetails | None:
        """The further action for the service, or None when there is none."""
        if not self.cleaned_data["action_description"].strip():
            return None
        return FurtherActionDetails(
            description=self.cleaned_data["action_description"].strip(),
            owner=self.cleaned_data["owner"],
            due_on=self.cleaned_data["action_due_on"],
            blocking=self.cleaned_data["action_blocking"],
        )


class AuditDecisionForm(forms.Form):
    suitable = forms.TypedChoiceField(
        label="Is this AP suitable for your pupil?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        help_text="Look at any concerns and further actions the audit has revealed to decide if it's the right "
        "provision for your pupil.",
    )
    reasons = forms.CharField(
        label="Give reasons for your answer", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, audit, **kwargs):
        initial = {"reasons": audit.reasons}
        if audit.suitable is not None:
            initial["suitable"] = "yes" if audit.suitable else "no"
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
