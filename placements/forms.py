"""Forms for placements, the parent notice, the attendance grid and placement records.

Rules that need the term calendar (school days, the first day, the notice deadline) live in the
services; these forms add layout and what belongs to a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.utils import timezone

from apcase.forms import (
    BaseFormHelper,
    FilterForm,
    UKDateInput,
    UKTimeInput,
    add_service_errors,
    dates_not_in_the_future,
    form_field,
)
from apcase.models import School
from audits.models import Audit, Provider, ProviderSite
from audits.selectors import audits_to_consider
from placements.models import (
    ContactLog,
    Handover,
    Incident,
    ParentAgreement,
    ParentNotice,
    Placement,
    SuitabilityDecision,
    Visit,
)
from placements.selectors.attendance import AttendanceWeek, GridCell, GridDay
from placements.selectors.placements import LIST_GROUPS
from placements.services import MarkEntry
from placements.services.contacts import contact_date_errors
from placements.services.notices import parent_notice_issue_errors
from placements.services.placements import TERMS, PlacementDetails, placement_end_errors, placement_late_start_settle
from placements.timetable import SESSION_KEYS, WEEKDAYS, Session, session_label
from pupils.approvals import DecisionCheck
from pupils.forms import StaffChoiceField, StaffMultipleChoiceField
from pupils.models import Contact, Pupil
from pupils.services import staff_of

P = Placement


def _rows(count: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": count})


def _row(*fields) -> Div:
    return Div(*(Div(field, css_class="col-md") for field in fields), css_class="row")


class PlacementFilterForm(FilterForm):
    status = forms.ChoiceField(choices=[("", "Any status"), *P.Status.choices], required=False)
    group = forms.ChoiceField(choices=[("", "Current or not"), *LIST_GROUPS.items()], required=False, label="Stage")
    provider = forms.ModelChoiceField(queryset=Provider.objects.none(), required=False, empty_label="Any provider")
    kind = forms.ChoiceField(choices=[("", "Internal or off-site"), *P.Kind.choices], required=False)
    attention = forms.ChoiceField(required=False, label="Needing attention")

    def __init__(self, *args, school: School, **kwargs):
        from placements.selectors.attention import ATTENTION

        form_field(self.base_fields, "attention", forms.ChoiceField).choices = [("", "Anything")] + [
            (reason, attention.label.capitalize()) for reason, attention in ATTENTION.items()
        ]
        super().__init__(*args, **kwargs)
        provider = form_field(self.fields, "provider", forms.ModelChoiceField)
        provider.queryset = Provider.objects.filter(school=school).order_by("name")


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, site) -> str:
        return f"{site.provider.name}: {site.name}, {site.postcode}"


class PlacementForm(forms.ModelForm):
    """The whole plan. After the headteacher is asked, what they approve (services TERMS) is shown
    but cannot be changed here. Once they have approved it, a later last day is an extension: it
    needs a reason and goes to them for approval (one at a time)."""

    timetable = forms.MultipleChoiceField(
        label="Sessions at the provision each week",
        choices=[(key, session_label(key)) for key in SESSION_KEYS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        help_text="Tick each session the pupil spends at the provision. A full-time placement has all ten.",
    )
    site = SiteChoiceField(queryset=None, required=False, help_text="The address the pupil attends.")
    school_contact = StaffChoiceField(
        queryset=None, required=False, label="School contact for questions", help_text="Named in the parent notice."
    )
    extension_reason = forms.CharField(
        label="If the last day moves later: why the placement needs longer",
        required=False,
        widget=_rows(2),
        help_text="A later last day adds school days and cost, so the headteacher approves the extension in the "
        "approvals inbox. Until they decide, the placement keeps its current last day.",
    )

    class Meta:
        model = Placement
        fields = [
            "provider",
            "site",
            "directed_off_site",
            "census_reason",
            "reasons",
            "pattern",
            "timetable",
            "start_date",
            "start_time",
            "planned_end_date",
            "school_days",
            "maximum_end_date",
            "objectives",
            "intervention",
            "reintegration_intention",
            "timeline",
            "first_day_contact",
            "sessions_a_day",
            "day_starts",
            "break_starts",
            "break_ends",
            "day_ends",
            "what_to_bring",
            "transport",
            "reporting_arrangements",
            "school_contact",
            "cost_unit",
            "cost_rate",
            "funding_source",
            "baseline_attendance",
            "baseline_note",
        ]
        widgets = {
            "pattern": forms.RadioSelect,
            "sessions_a_day": forms.RadioSelect,
            "start_date": UKDateInput,
            "planned_end_date": UKDateInput,
            "maximum_end_date": UKDateInput,
            "start_time": UKTimeInput,
            "day_starts": UKTimeInput,
            "break_starts": UKTimeInput,
            "break_ends": UKTimeInput,
            "day_ends": UKTimeInput,
            "reasons": _rows(),
            "objectives": _rows(4),
            "intervention": _rows(),
            "reintegration_intention": _rows(),
            "timeline": _rows(),
            "what_to_bring": _rows(2),
            "transport": _rows(2),
            "reporting_arrangements": _rows(2),
        }
        help_texts = {
            "planned_end_date": "Give the last day, or the length in school days: the other is worked out from "
            "the school's term dates. An IAP is six weeks unless you say otherwise.",
            "cost_rate": "The provider's charge per session or per day; the total is estimated from the timetable.",
        }

    def __init__(self, *args, school: School, pending_until: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.extending = False  # set by clean(): the last day moves later than the approved one
        provider = form_field(self.fields, "provider", forms.ModelChoiceField)
        provider.queryset = Provider.objects.filter(school=school, is_active=True).order_by("name")
        form_field(self.fields, "site", forms.ModelChoiceField).queryset = (
            ProviderSite.objects.filter(provider__school=school).select_related("provider").order_by("provider__name")
        )
        form_field(self.fields, "school_contact", forms.ModelChoiceField).queryset = staff_of(school)
        self.initial.setdefault("timetable", list(self.instance.timetable))
        if self.instance.pk and self.instance.status != P.Status.PLANNED:
            for name in TERMS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed once the headteacher is asked to approve."
        if not (self.instance.pk and self.instance.is_in_force) or pending_until is not None:
            del self.fields["extension_reason"]
        if pending_until is not None:  # one extension at a time
            waiting = (
                f"An extension to {pending_until:%d/%m/%Y} is waiting for the headteacher's decision; the last "
                "day can change again once they have decided."
            )
            for name in ("planned_end_date", "school_days"):
                self.fields[name].disabled = True
                self.fields[name].help_text = waiting
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(*self.start_fields(), *self.sections())

    def start_fields(self) -> list:
        return []

    @property
    def timetable_grid(self) -> list[tuple[str, list]]:
        """The timetable's checkboxes as (session, [Monday..Friday]) rows, for its table."""
        boxes = {box.data["value"]: box for box in self["timetable"].subwidgets}
        return [(Session(half).label, [boxes[f"{day}_{half}"] for day in WEEKDAYS]) for half in Session.values]

    def sections(self) -> list:
        return [
            Fieldset("Where", "provider", "site", "directed_off_site", "census_reason", "reasons"),
            Fieldset(
                "When",
                "pattern",
                Field("timetable", template="placements/fields/timetable.html"),
                _row("start_date", "start_time"),
                _row("planned_end_date", "school_days"),
                *(["extension_reason"] if "extension_reason" in self.fields else []),
                "maximum_end_date",
            ),
            Fieldset("The personalised plan", "objectives", "intervention", "reintegration_intention", "timeline"),
            Fieldset(
                "The first day and the school day at the provision",
                "first_day_contact",
                "sessions_a_day",
                _row("day_starts", "break_starts", "break_ends", "day_ends"),
                "what_to_bring",
                "transport",
                "reporting_arrangements",
                "school_contact",
            ),
            Fieldset("Cost", _row("cost_unit", "cost_rate", "funding_source")),
            Fieldset("Attendance before the placement", _row("baseline_attendance", "baseline_note")),
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        provider, site = cleaned.get("provider"), cleaned.get("site")
        if provider:
            self.instance.kind = provider.kind  # the model's own checks compare the two
        if provider and site and site.provider_id != provider.pk:
            self.add_error("site", f"Choose one of {provider.name}'s sites.")
        if provider and provider.is_internal and cleaned.get("directed_off_site"):
            self.add_error("directed_off_site", "A placement on the school site is not a direction off-site.")
        if "extension_reason" in self.fields:
            self.extending = self._moves_later()
            if self.extending and not cleaned.get("extension_reason", "").strip():
                self.add_error(
                    "extension_reason", "Say why the placement needs longer: the headteacher approves the extension."
                )
        return cleaned

    def _moves_later(self) -> bool:
        """Whether the last day (or the length) given is later than the saved one. Called from clean(),
        before the form copies its values onto the instance."""
        length, saved = self.length(), self.instance
        if length["planned_end_date"] is not None:
            return saved.planned_end_date is not None and length["planned_end_date"] > saved.planned_end_date
        return (length["school_days"] or 0) > (saved.school_days or 0)

    def length(self) -> dict:
        """The last day or the length in school days, whichever the user gave or changed (the service
        works out the other); on an edit that changed neither, the last day stands."""
        end, days = self.cleaned_data.get("planned_end_date"), self.cleaned_data.get("school_days")
        if "school_days" in self.changed_data and "planned_end_date" not in self.changed_data and days:
            return {"planned_end_date": None, "school_days": days}
        if end is None and days:
            return {"planned_end_date": None, "school_days": days}
        return {"planned_end_date": end, "school_days": None}

    def details(self) -> PlacementDetails:
        return PlacementDetails.from_data(self.cleaned_data)


class PlacementStartForm(PlacementForm):
    """A new placement without an approved referral: which pupil, and why there is no referral."""

    pupil = forms.ModelChoiceField(queryset=Pupil.objects.none(), label="Pupil")
    no_referral_reason = forms.CharField(
        label="Why there is no approved referral",
        max_length=300,
        help_text="For example: provision from the sixth day of a suspension.",
    )
    field_order = ["pupil", "no_referral_reason"]

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, school=school, **kwargs)
        pupil = form_field(self.fields, "pupil", forms.ModelChoiceField)
        pupil.queryset = Pupil.objects.filter(school=school).on_roll()

    def start_fields(self) -> list:
        return [Fieldset("Pupil", "pupil", "no_referral_reason")]


class CancelForm(forms.Form):
    reasons = forms.CharField(label="Why is it cancelled?", max_length=300, widget=_rows(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class ExtensionWithdrawForm(CancelForm):
    reasons = forms.CharField(
        label="Why is the request withdrawn?",
        max_length=300,
        widget=_rows(2),
        help_text="The headteacher's inbox and the pupil's chronology show it.",
    )


class EndForm(forms.Form):
    outcome = forms.ChoiceField(choices=P.Outcome.choices, widget=forms.RadioSelect)
    actual_end_date = forms.DateField(label="Last day at the placement", widget=UKDateInput())
    outcome_notes = forms.CharField(label="About the outcome", required=False, widget=_rows(3))
    ended_without_steps_reason = forms.CharField(
        label="Headteacher only: why the pupil returns without an agreed reintegration plan or a final report",
        required=False,
        widget=_rows(2),
        help_text="Leave empty when both are recorded on the placement page.",
    )

    def __init__(self, *args, placement: Placement, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement, self.actor = placement, actor
        self.helper = BaseFormHelper()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        errors = placement_end_errors(
            self.placement,
            outcome=data.get("outcome", ""),
            actual_end_date=data.get("actual_end_date"),
            ended_without_steps_reason=data.get("ended_without_steps_reason", ""),
            actor=self.actor,
            today=timezone.localdate(),
        )
        add_service_errors(self, errors)
        return data


class NoticeIssueForm(forms.Form):
    method = forms.ChoiceField(label="How is it served?", choices=ParentNotice.Method.choices, widget=forms.RadioSelect)
    issued_on = forms.DateField(label="Date of service", widget=UKDateInput())
    late_reason = forms.CharField(
        label="If this is after the deadline: why",
        required=False,
        widget=_rows(2),
        help_text="Needed only when the notice is given later than two school days before the first day.",
    )

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.initial.setdefault("issued_on", timezone.localdate())
        dates_not_in_the_future(self.fields, "issued_on", message="The date of service cannot be in the future.")
        self.helper = BaseFormHelper()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        errors = parent_notice_issue_errors(
            self.placement,
            method=data.get("method", ""),
            issued_on=data.get("issued_on"),
            late_reason=data.get("late_reason", ""),
        )
        add_service_errors(self, errors)
        return data


class ParentAgreementForm(forms.ModelForm):
    class Meta:
        model = ParentAgreement
        fields = ["response", "given_by", "given_on", "method", "notes"]
        widgets = {
            "response": forms.RadioSelect,
            "given_on": UKDateInput,
            "method": forms.RadioSelect,
            "notes": _rows(2),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates_not_in_the_future(self.fields, "given_on")
        self.helper = BaseFormHelper()


class _AuditChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Audit) -> str:
        return f"Audit of {obj.visit_date:%-d %B %Y} by {obj.provider.school.name}"


class SuitabilityDecisionForm(forms.ModelForm):
    """The audit's closing question, asked of this pupil: "Is this AP suitable for your pupil?"."""

    suitable = forms.TypedChoiceField(
        label="Is this provision suitable for this pupil?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="Look at the concerns and further actions the audit revealed, and at what this pupil needs.",
    )
    audit = _AuditChoiceField(queryset=None, required=False, label="Audit considered", empty_label="No audit")

    class Meta:
        model = SuitabilityDecision
        fields = ["suitable", "decided_on", "audit", "considered", "reasons"]
        widgets = {"decided_on": UKDateInput, "considered": _rows(3), "reasons": _rows(3)}

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decided_on", timezone.localdate())
        form_field(self.fields, "audit", forms.ModelChoiceField).queryset = audits_to_consider(placement.provider)
        self.helper = BaseFormHelper()


class NoticeAmendForm(forms.Form):
    method = forms.ChoiceField(label="How is it sent?", choices=ParentNotice.Method.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class EmergencyContactsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} · {obj.phone}"


class HandoverForm(forms.ModelForm):
    shared_by = StaffChoiceField(queryset=None)
    emergency_contacts = EmergencyContactsField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The pupil's contacts with a phone number; the provider sees those ticked.",
    )
    items = forms.MultipleChoiceField(
        label="What was shared by other means",
        choices=Handover.Item.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Handover
        fields = [
            "shared_on",
            "shared_by",
            "shared_with",
            "items",
            "notes",
            *Handover.SECTIONS,
            "emergency_contacts",
            "shared_in_portal",
        ]
        widgets = {
            "shared_on": UKDateInput,
            "notes": _rows(3),
            **{name: _rows(3) for name in Handover.SECTIONS},
        }

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self.fields, "shared_by", forms.ModelChoiceField).queryset = staff_of(placement.school)
        dates_not_in_the_future(self.fields, "shared_on")
        contacts = form_field(self.fields, "emergency_contacts", EmergencyContactsField)
        contacts.queryset = placement.pupil.contacts.for_emergencies()
        self.helper = BaseFormHelper()


class IncidentForm(forms.ModelForm):
    field_order = ["occurred_on", "occurred_time"]
    occurred_on = forms.DateField(label="Date it happened", widget=UKDateInput())
    occurred_time = forms.TimeField(label="Time", widget=UKTimeInput())

    class Meta:
        model = Incident
        fields = ["severity", "description", "actions_taken", "safeguarding_concern", "reported_by"]
        widgets = {"severity": forms.RadioSelect, "description": _rows(4), "actions_taken": _rows(3)}
        help_texts = {"severity": "A serious incident goes on the SENDCo's queue and leads to a placement review."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self.fields, "severity", forms.ChoiceField).choices = Incident.Severity.choices
        self.helper = BaseFormHelper()
        self.helper.layout = Layout(
            _row("occurred_on", "occurred_time"),
            "severity",
            "description",
            "actions_taken",
            "safeguarding_concern",
            "reported_by",
        )

    def clean(self):
        super().clean()
        day, time = self.cleaned_data.get("occurred_on"), self.cleaned_data.get("occurred_time")
        if day and time and timezone.make_aware(datetime.combine(day, time)) > timezone.now():
            self.add_error("occurred_on", Incident.IN_THE_FUTURE)
        return self.cleaned_data

    def service_fields(self) -> dict:
        day, time = self.cleaned_data["occurred_on"], self.cleaned_data["occurred_time"]
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {**fields, "occurred_at": timezone.make_aware(datetime.combine(day, time))}


class IncidentResponseForm(forms.Form):
    response = forms.CharField(
        label="Course of action decided",
        widget=_rows(3),
        help_text="For example: placement review on 01/12 with the provider and parents; support plan updated.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class VisitForm(forms.ModelForm):
    staff = StaffMultipleChoiceField(queryset=None, label="Who visited", widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Visit
        fields = ["visited_on", "staff", "what_was_seen", "pupil_voice", "follow_up"]
        widgets = {"visited_on": UKDateInput, "what_was_seen": _rows(4), "pupil_voice": _rows(3), "follow_up": _rows(2)}

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self.fields, "staff", forms.ModelChoiceField).queryset = staff_of(school)
        dates_not_in_the_future(self.fields, "visited_on")
        self.helper = BaseFormHelper()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactLogForm(forms.ModelForm):
    """Two clicks from the pupil or the placement page: who, how, when, what was agreed."""

    class Meta:
        model = ContactLog
        fields = ["placement", "party", "with_whom", "how", "contacted_on", "agreed", "outcome", "follow_up_on"]
        labels = {"outcome": "If it was a call home about an absence: the outcome"}
        widgets = {"contacted_on": UKDateInput, "follow_up_on": UKDateInput, "agreed": _rows(3)}

    def __init__(self, *args, pupil: Pupil, placement: Placement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("contacted_on", timezone.localdate())
        if placement is not None:
            del self.fields["placement"]  # the page it was opened from says which
        else:
            about = form_field(self.fields, "placement", forms.ModelChoiceField)
            about.queryset = pupil.placements.select_related("provider").order_by("-start_date")
            self.fields["placement"].help_text = "Optional: the placement this was about."
        self.helper = BaseFormHelper()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        add_service_errors(
            self, contact_date_errors(contacted_on=data.get("contacted_on"), follow_up_on=data.get("follow_up_on"))
        )
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


def grid_entries(week: AttendanceWeek, data) -> list[MarkEntry]:
    """The marks typed into the open cells of the attendance grid (an empty cell clears its mark)."""
    return [
        MarkEntry(
            cell.day,
            cell.session,
            data.get(cell.name, ""),
            data.get(f"reason-{cell.name}", ""),
            data.get(f"correction-{cell.name}", ""),
        )
        for cell in week.open_cells
        if cell.name in data
    ]


def present_entries(week: AttendanceWeek, code: str) -> list[MarkEntry]:
    """ "All present this week": the present code in every open cell that has no mark yet."""
    return [MarkEntry(cell.day, cell.session, code) for cell in week.open_cells if cell.mark is None]


def parse_week(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class GridEntry:
    """One cell of the grid as the page shows it: what is (or was just) typed, and any problem."""

    cell: GridCell
    code: str
    reason: str
    problem: str


def grid_rows(week: AttendanceWeek, data, problems: dict[str, str]) -> list[tuple[GridDay, list[GridEntry]]]:
    """The week's days with their cells, showing what was typed when the marks were refused."""
    typed = data if problems else {}  # after a refusal, show what was typed rather than what is saved
    rows = []
    for day in week.days:
        entries = []
        for cell in day.cells:
            saved_code, saved_reason = (cell.mark.code.code, cell.mark.reason) if cell.mark else ("", "")
            code = typed.get(cell.name, saved_code)
            reason = typed.get(f"reason-{cell.name}", saved_reason)
            entries.append(GridEntry(cell, code, reason, problems.get(cell.name, "")))
        rows.append((day, entries))
    return rows


def placement_late_start_check(placement: Placement, day: date) -> DecisionCheck | None:
    """Approving a placement whose first day has already passed: a new first day, or a reason."""
    if placement.start_date is None or placement.start_date >= day:
        return None
    return DecisionCheck(
        warning=f"The first day ({placement.start_date:%d/%m/%Y}) has already passed. Give a new first day (its "
        "last day is worked out again on the term calendar, keeping its length) or record why you approve it "
        "as it is, for example because the pupil has been attending since then.",
        fields={
            "new_start_date": forms.DateField(label="New first day", required=False, widget=UKDateInput()),
            "late_reason": forms.CharField(
                label="Or: why approve it with its first day passed",
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
        },
        unanswered="The first day has passed: give a new first day, or the reason to approve it as it is.",
        resolve=lambda answers, actor: placement_late_start_settle(actor=actor, placement=placement, **answers),
    )
