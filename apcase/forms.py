from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from apcase.models import Role, School, User
from apcase.services import FUTURE_DATE

F = TypeVar("F", bound=forms.Field)


def form_field(fields: Mapping[str, forms.Field], name: str, kind: type[F]) -> F:
    """fields[name] as the kind of field the form builds there (a foreign key's ModelChoiceField, a
    choice's ChoiceField), so setting its queryset or choices type-checks; TypeError if it is not."""
    field = fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The form field {name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def not_in_the_future(message: str = FUTURE_DATE) -> Callable[[date], None]:
    """A date field's validator for a day that has already come. It runs with the field checks, so
    the page names it beside every other mistake (issue 13 D1); the service checks it again."""

    def validate(day: date) -> None:
        if day > timezone.localdate():
            raise ValidationError(message)

    return validate


def dates_not_in_the_future(fields: Mapping[str, forms.Field], *names: str, message: str = FUTURE_DATE) -> None:
    for name in names:
        fields[name].validators.append(not_in_the_future(message))


def add_service_errors(form: forms.BaseForm, errors: Mapping[str, str | list[str]]) -> None:
    """Put on the form, from its clean(), the errors of the rule function its service also calls,
    so the page names them beside the field checks' own (issue 13 D1) and no rule is copied. A
    field the field checks already found wrong says so once: the rule saw no value for it."""
    for field, messages in errors.items():
        if field not in form.fields:
            form.add_error(None, messages)
        elif field not in form.errors:
            form.add_error(field, messages)


class FilterForm(forms.Form):
    """A list's filters, read from the query string: while the form is invalid the list is shown
    unfiltered, beside the form and its errors."""

    @property
    def is_filtering(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def selector_arguments(self) -> dict:
        """The selector's keyword arguments: the filters given, or none while the form is invalid."""
        if not self.is_valid():
            return {}
        return self.arguments(self.cleaned_data)

    def arguments(self, data: dict) -> dict:
        return {name: value for name, value in data.items() if value}


class UKDateInput(forms.DateInput):
    """The browser's date picker (issue 13 D2): a UK browser shows and takes the date as dd/mm/yyyy,
    and the value travels as yyyy-mm-dd, which the form reads; typed dd/mm/yyyy is still accepted
    where no picker exists (DATE_INPUT_FORMATS)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UKTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class BaseFormHelper(FormHelper):
    """Crispy helper for forms whose <form> tag and buttons come from partials/form.html."""

    form_tag = False
    disable_csrf = True


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "reminder_delivery"]
        labels = {"reminder_delivery": "Send me reminders"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class SchoolSettingsForm(forms.ModelForm):
    """The settings a school changes for itself, without the back office."""

    class Meta:
        model = School
        fields = [
            "attendance_cutoff",
            "chase_escalation_sessions",
            "provider_contact_school_days",
            "full_names_in_emails",
        ]
        widgets = {"attendance_cutoff": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class PasswordConfirmForm(forms.Form):
    """Asks for the current password again before a change to how the user signs in."""

    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = BaseFormHelper()

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class TOTPSetupForm(PasswordConfirmForm):
    token = forms.CharField(
        label="The 6-digit code your authenticator app shows",
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TwoFactorVerifyForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()


class PersonRolesForm(forms.Form):
    """The head gives or takes away a colleague's roles in this school."""

    roles = forms.MultipleChoiceField(
        label="Roles in this school",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A person with no role here can no longer open anything of this school.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = BaseFormHelper()
