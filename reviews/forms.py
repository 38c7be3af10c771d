"""Forms for review meetings, requests for a review, targets and the return to class.

Rules that need the term calendar or other records live in the services; these forms add layout,
what belongs to a screen, and the shape the services take.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.template.defaultfilters import floatformat
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
from outbox.models import Message
from placements.timetable import SESSION_KEYS, WEEKDAYS, Session, session_label
from pupils.forms import StaffChoiceField, StaffMultipleChoiceField
from pupils.services import staff_of
from reviews.invitations import NOBODY_INVITED, Invitees
from reviews.models import CheckIn, FinalReport, ReviewMeeting, ReviewRequest, Target
from reviews.selectors import ListView, Reading
from reviews.services.meetings import review_closing_errors

K = ReviewMeeting.Kind
YES_NO = [(True, "Yes"), (False, "No")]


def _rows(count: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": count})


def _row(*fields) -> Div:
    return Div(*(Div(field, css_class="col-md") for field in fields), css_class="row")


def _yes_no(label: str, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        required=required,
        empty_value=None,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _without_blank(field: forms.ChoiceField) -> None:
    """Radios need no empty choice."""
    choices = field.choices
    assert isinstance(choices, Iterable)  # normalised by the field: a list, or a lazy iterator from the model
    field.choices = list(choices)[1:]


class HelperMixin:
    """Every form here renders through partials/form.html with a crispy helper."""

    def _helper(self, *layout) -> None:
        self.helper = BaseFormHelper()
        if layout:
            self.helper.layout = Layout(*layout)


# --- The list -----------------------------------------------------------------------------------


class ReviewFilterForm(FilterForm):
    view = forms.ChoiceField(choices=ListView.CHOICES, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Every kind"), *K.choices], required=False)

    @property
    def is_filtering(self) -> bool:
        return bool(self.data.get("kind"))  # the tab ("view") says where the list is, not a filter


# --- Arranging, scheduling, recording, cancelling a meeting --------------------------------------


class ReviewArrangeForm(HelperMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=[(value, label) for value, label in K.choices if value != K.REQUESTED],
        widget=forms.RadioSelect,
        initial=K.FORMAL,
        help_text="A requested review is arranged by recording the written request.",
    )
    due_on = forms.DateField(label="Due by", widget=UKDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class InvitationChannelsForm(HelperMixin, forms.Form):
    """How each person invited from outside the school gets their invitation: e-mail, post or by
    hand, each defaulting from what the school holds (an e-mail address means e-mail, else post)."""

    def __init__(self, *args, invitees: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        for invitee in invitees:
            held = [f"e-mail {invitee.email}" if invitee.email else "no e-mail address"]
            held.append("a postal address" if invitee.address else "no postal address")
            self.fields[invitee.key] = forms.ChoiceField(
                label=f"{invitee.participant.name} ({invitee.participant.get_role_display().lower()})",
                choices=Message.Channel.choices,
                initial=invitee.default_channel,
                widget=forms.RadioSelect,
                help_text=f"The school holds {' and '.join(held)}.",
            )
        self._helper()

    def channels(self) -> dict[int, str]:
        return {invitee.participant.pk: self.cleaned_data[invitee.key] for invitee in self.invitees}


class ReviewScheduleForm(HelperMixin, forms.Form):
    meeting_on = forms.DateField(label="Date of the meeting", widget=UKDateInput)
    meeting_time = forms.TimeField(label="Time", widget=UKTimeInput)
    place = forms.CharField(max_length=200, required=False, help_text="For example: the centre's meeting room.")
    staff = StaffMultipleChoiceField(
        queryset=None, label="School staff invited", widget=forms.CheckboxSelectMultiple, required=False
    )
    parents = forms.CharField(
        label="Parents or carers invited", widget=_rows(2), required=False, help_text="One name a line."
    )
    pupil = forms.BooleanField(label="Invite the pupil", required=False)
    provider = forms.CharField(label="From the provider", max_length=150, required=False)
    local_authority = forms.CharField(label="From the local authority", max_length=150, required=False)
    others = forms.CharField(
        label="Anyone else", widget=_rows(2), required=False, help_text="One a line, with their role."
    )

    def __init__(self, *args, review: ReviewMeeting, invitees: Invitees, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        form_field(self.fields, "staff", forms.ModelChoiceField).queryset = staff_of(review.school)
        when = timezone.localtime(review.meeting_at) if review.meeting_at else None
        self.initial.update(
            meeting_on=when.date() if when else review.due_on,
            meeting_time=when.time() if when else None,
            place=review.place,
            staff=invitees.staff,
            parents="\n".join(invitees.parents),
            pupil=invitees.pupil,
            provider=invitees.provider,
            local_authority=invitees.local_authority,
            others="\n".join(invitees.others),
        )
        self._helper(
            Fieldset("When and where", _row("meeting_on", "meeting_time"), "place"),
            Fieldset("Who is invited", "staff", "parents", "pupil", "provider", "local_authority", "others"),
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        named = any(data.get(name, "").strip() for name in ("parents", "provider", "local_authority", "others"))
        if not (data.get("staff") or data.get("pupil") or named):
            self.add_error(None, NOBODY_INVITED)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        invitees = Invitees(
            parents=_lines(data["parents"]),
            pupil=data["pupil"],
            provider=data["provider"],
            local_authority=data["local_authority"],
            others=_lines(data["others"]),
        )
        meeting_at = timezone.make_aware(datetime.combine(data["meeting_on"], data["meeting_time"]))
        return {
            "meeting_at": meeting_at,
            "place": data["place"],
            "staff": data["staff"],
            "others": invitees.outside_school(self.review.placement.pupil.display_name),
        }


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, participant) -> str:
        return f"{participant.display_name} ({participant.get_role_display().lower()})"


class ReviewRecordForm(HelperMixin, forms.ModelForm):
    """The minutes: who came, a reading for each target, the views heard and the decision. Saved
    as often as needed; "close" also asks the day it was held."""

    attended = ParticipantChoiceField(
        queryset=None, label="Who came", widget=forms.CheckboxSelectMultiple, required=False
    )
    satisfactory_progress = _yes_no("Is the pupil now making satisfactory progress?", required=False)
    held_on = forms.DateField(label="Held on", widget=UKDateInput, required=False, help_text="Needed to close it.")

    class Meta:
        model = ReviewMeeting
        fields = [
            "pupil_voice",
            "parents_views",
            "provider_report",
            "satisfactory_progress",
            "decision",
            "extend_until",
            "decision_notes",
            "next_review_on",
        ]
        widgets = {
            "pupil_voice": _rows(3),
            "parents_views": _rows(3),
            "provider_report": _rows(4),
            "decision": forms.RadioSelect,
            "extend_until": UKDateInput,
            "decision_notes": _rows(3),
            "next_review_on": UKDateInput,
        }

    def __init__(self, *args, readings: list[Reading], closing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        review = self.instance
        self.readings, self.closing = readings, closing
        attended = form_field(self.fields, "attended", forms.ModelChoiceField)
        attended.queryset = review.participants.select_related("user")
        self.initial["attended"] = [p for p in review.participants.all() if p.attended]
        if not review.participants.all():
            self.fields["attended"].help_text = "Nobody is invited yet: arrange the meeting first."
        form_field(self.fields, "decision", forms.ChoiceField).choices = ReviewMeeting.Decision.choices
        self.fields["decision"].required = False
        self.initial.setdefault("held_on", review.held_on or _meeting_day(review))
        if not review.provider_report:  # the provider's own report, sent in the portal, to edit
            self.initial["provider_report"] = review.provider_reports_text
        reading_rows = []
        for reading in readings:
            target = reading.target
            value, note = f"value_{target.pk}", f"note_{target.pk}"
            self.fields[value] = forms.DecimalField(
                label=f"{target.get_area_display()}: {target.description} ({target.unit})",
                max_digits=6,
                decimal_places=1,
                required=False,
                help_text=_reading_help(reading),
            )
            self.fields[note] = forms.CharField(label="Note", max_length=300, required=False)
            if reading.current is not None:
                self.initial.update({value: reading.current.value, note: reading.current.note})
            reading_rows.append(_row(value, note))
        if not review.is_formal:
            del self.fields["satisfactory_progress"]
        progress = [Fieldset("Progress against each target", *reading_rows)] if reading_rows else []
        self._helper(
            "attended",
            *progress,
            Fieldset("What was heard", "pupil_voice", "parents_views", "provider_report"),
            Fieldset(
                "What was decided",
                *(["satisfactory_progress"] if review.is_formal else []),
                "decision",
                "extend_until",
                "decision_notes",
                "next_review_on",
            ),
            Fieldset("Closing the record", "held_on"),
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.closing:
            errors = review_closing_errors(
                self.instance,
                held_on=data.get("held_on"),
                anyone_attended=bool(data.get("attended")),
                decision=data.get("decision", ""),
                satisfactory_progress=data.get("satisfactory_progress"),
                extend_until=data.get("extend_until"),
                next_review_on=data.get("next_review_on"),
            )
            add_service_errors(self, errors)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name in self.fields}
        readings = {
            reading.target: (data[f"value_{reading.target.pk}"], data[f"note_{reading.target.pk}"])
            for reading in self.readings
        }
        return {**fields, "attended": data["attended"], "readings": readings}


def _reading_help(reading: Reading) -> str:
    target, before = reading.target, reading.previous
    if before:
        last = f"Last reading {floatformat(before.value, -1)} on {before.measured_on:%d/%m/%Y}"
    else:
        last = f"Baseline {floatformat(target.baseline, -1)}"
    return f"{last}; target {floatformat(target.target_value, -1)}."


def _meeting_day(review: ReviewMeeting) -> date:
    return timezone.localdate(review.meeting_at) if review.meeting_at else timezone.localdate()


class ReasonForm(HelperMixin, forms.Form):
    reason = forms.CharField(label="Why", max_length=300, widget=_rows(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ReviewActionForm(HelperMixin, forms.Form):
    description = forms.CharField(label="Action", max_length=300)
    owner = StaffChoiceField(queryset=None, required=False, label="Who does it (school staff)")
    owner_name = forms.CharField(label="Or someone outside the school", max_length=150, required=False)
    due_on = forms.DateField(label="By", widget=UKDateInput)

    def __init__(self, *args, school: School, **kwargs):
        kwargs["prefix"] = "action"
        super().__init__(*args, **kwargs)
        form_field(self.fields, "owner", forms.ModelChoiceField).queryset = staff_of(school)
        self._helper("description", _row("owner", "owner_name"), "due_on")


# --- Requests for a review ----------------------------------------------------------------------


class ReviewRequestForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = ReviewRequest
        fields = ["received_on", "requester", "requester_name", "method", "request_text"]
        widgets = {
            "received_on": UKDateInput,
            "requester": forms.RadioSelect,
            "method": forms.RadioSelect,
            "request_text": _rows(3),
        }
        help_texts = {"request_text": "A summary of what they ask, or the text of the request."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("requester", "method"):
            _without_blank(form_field(self.fields, name, forms.ChoiceField))
        dates_not_in_the_future(self.fields, "received_on")
        self._helper()


class RequestAnswerForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = ReviewRequest
        fields = ["decision", "decision_until", "decision_notes", "notified_on", "notified_method", "notified_to"]
        widgets = {
            "decision": forms.RadioSelect,
            "decision_until": UKDateInput,
            "decision_notes": _rows(3),
            "notified_on": UKDateInput,
            "notified_method": forms.RadioSelect,
        }
        help_texts = {"notified_to": "Each person told, e.g. 'Mrs D Clarke (mother)'."}

    # What the review decided about the placement, as a decision about the direction.
    FROM_REVIEW = {
        ReviewMeeting.Decision.CONTINUE: ReviewRequest.Decision.CONTINUE,
        ReviewMeeting.Decision.CHANGE: ReviewRequest.Decision.CONTINUE,
        ReviewMeeting.Decision.EXTEND: ReviewRequest.Decision.CONTINUE_UNTIL,
        ReviewMeeting.Decision.END: ReviewRequest.Decision.END,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request, review = self.instance, self.instance.review
        self.initial.update(notified_on=timezone.localdate(), notified_to=request.requester_name)
        if review is not None and review.decision:
            self.initial.update(decision=self.FROM_REVIEW[review.decision], decision_until=review.extend_until)
        for name in ("decision", "notified_method", "notified_to", "notified_on"):
            self.fields[name].required = True
        for name in ("decision", "notified_method"):
            _without_blank(form_field(self.fields, name, forms.ChoiceField))
        dates_not_in_the_future(self.fields, "notified_on")
        self._helper(
            Fieldset("The decision", "decision", "decision_until", "decision_notes"),
            Fieldset("How it was told", "notified_on", "notified_method", "notified_to"),
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        answer = {name: data.get(name) for name in ("decision", "notified_on", "decision_until")}
        for field, message in self.instance.answer_errors(**answer).items():
            self.add_error(field, message)
        return data


# --- Targets ------------------------------------------------------------------------------------


class TargetForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["area", "description", "baseline", "target_value", "unit", "higher_is_better"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper("area", "description", _row("baseline", "target_value", "unit"), "higher_is_better")


class MeasurementForm(HelperMixin, forms.Form):
    measured_on = forms.DateField(label="Measured on", widget=UKDateInput, initial=timezone.localdate)
    value = forms.DecimalField(max_digits=6, decimal_places=1)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates_not_in_the_future(self.fields, "measured_on")
        self._helper(_row("measured_on", "value"), "note")


# --- The return to class ------------------------------------------------------------------------

MAX_RETURN_WEEKS = 12


class PlanVersionForm(HelperMixin, forms.Form):
    """The whole plan; saving it agrees a new version. The graduated return timetable is a grid of
    Monday to Friday mornings and afternoons for each week of the return."""

    strengths = forms.CharField(label="The pupil's strengths", widget=_rows(3))
    needs = forms.CharField(widget=_rows(3))
    agreed_targets = forms.CharField(label="Agreed targets", widget=_rows(3))
    classroom_strategies = forms.CharField(label="Classroom strategies", widget=_rows(3))
    return_timetable = forms.MultipleChoiceField(
        label="Graduated return timetable: sessions in the home class",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="Tick the sessions the pupil spends in the home class each week of the return.",
    )
    who_supports = forms.CharField(label="Who supports the return", widget=_rows(2))
    review = forms.ModelChoiceField(
        queryset=ReviewMeeting.objects.none(), required=False, label="Agreed at", empty_label="Not at a review meeting"
    )
    agreed_on = forms.DateField(label="Agreed on", widget=UKDateInput, initial=timezone.localdate)
    change_summary = forms.CharField(
        label="What changed and why", widget=_rows(2), required=False, help_text="Needed for every change."
    )

    def __init__(self, *args, placement, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        dates_not_in_the_future(self.fields, "agreed_on")
        weeks = current.return_timetable if current else []
        self.weeks = min(max(len(weeks) + 2, 4), MAX_RETURN_WEEKS)
        form_field(self.fields, "return_timetable", forms.ChoiceField).choices = [
            (f"{week}:{key}", f"Week {week}, {session_label(key)}")
            for week in range(1, self.weeks + 1)
            for key in SESSION_KEYS
        ]
        form_field(self.fields, "review", forms.ModelChoiceField).queryset = placement.reviews.order_by("-due_on")
        if current is not None:
            self.initial.update({name: getattr(current, name) for name in ("strengths", "needs", "agreed_targets")})
            self.initial.update(classroom_strategies=current.classroom_strategies, who_supports=current.who_supports)
            self.initial["return_timetable"] = [
                f"{number}:{key}" for number, keys in enumerate(weeks, start=1) for key in keys
            ]
        else:
            del self.fields["change_summary"]
        self._helper(
            "strengths",
            "needs",
            "agreed_targets",
            "classroom_strategies",
            Field("return_timetable", template="reviews/fields/return_timetable.html"),
            "who_supports",
            _row("agreed_on", "review"),
            *(["change_summary"] if current is not None else []),
        )

    @property
    def return_grid(self) -> list[tuple[int, list[tuple[str, list]]]]:
        """(week, [(Morning/Afternoon, [boxes Monday..Friday])]) for the timetable's table."""
        boxes = {box.data["value"]: box for box in self["return_timetable"].subwidgets}
        return [
            (
                week,
                [(Session(half).label, [boxes[f"{week}:{day}_{half}"] for day in WEEKDAYS]) for half in Session.values],
            )
            for week in range(1, self.weeks + 1)
        ]

    def clean_return_timetable(self) -> list[list[str]]:
        chosen = set(self.cleaned_data["return_timetable"])
        weeks = [[key for key in SESSION_KEYS if f"{week}:{key}" in chosen] for week in range(1, self.weeks + 1)]
        while weeks and not weeks[-1]:
            weeks.pop()
        return weeks

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class FinalReportForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = FinalReport
        fields = [
            "attainment_progress",
            "behaviour_evidence",
            "pupil_views",
            "pupil_views_heard_by",
            "objectives_on_return",
            "prepared_on",
        ]
        widgets = {
            "attainment_progress": _rows(4),
            "behaviour_evidence": _rows(4),
            "pupil_views": _rows(3),
            "objectives_on_return": _rows(3),
            "prepared_on": UKDateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("prepared_on", timezone.localdate())
        dates_not_in_the_future(self.fields, "prepared_on")
        self._helper(
            HTML(
                '<p class="text-body-secondary">Attendance before and during the placement comes from the '
                "register, and the targets' progress from their measurements.</p>"
            ),
            "attainment_progress",
            "behaviour_evidence",
            Fieldset("The pupil's own views", "pupil_views", "pupil_views_heard_by"),
            "objectives_on_return",
            "prepared_on",
        )


class CheckInForm(HelperMixin, forms.ModelForm):
    still_in_class = _yes_no("Is the pupil still in class?")

    class Meta:
        model = CheckIn
        fields = ["held_on", "still_in_class", "where_now", "notes"]
        widgets = {"held_on": UKDateInput, "notes": _rows(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.initial.setdefault("held_on", timezone.localdate())
        dates_not_in_the_future(self.fields, "held_on")
        self._helper()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        answer = {name: data.get(name) for name in ("held_on", "still_in_class")}
        for field, message in self.instance.record_errors(**answer, where_now=data.get("where_now", "")).items():
            self.add_error(field, message)
        return data
