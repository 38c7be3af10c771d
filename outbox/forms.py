from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _today():
    return timezone.localdate()


class PostedForm(_Form):
    title = "Record as posted"
    posted_on = forms.DateField(label="Posted on", initial=_today, widget=forms.DateInput(attrs={"type": "date"}))


class HandedForm(_Form):
    title = "Record as handed over"
    handed_to = forms.CharField(label="Handed to", max_length=200, help_text="The person who took the letter.")
    handed_on = forms.DateField(label="On", initial=_today, widget=forms.DateInput(attrs={"type": "date"}))


class BouncedForm(_Form):
    title = "Record a bounce"
    reason = forms.CharField(label="What the bounce said", max_length=300, help_text="For example “mailbox full”.")


class RetryForm(_Form):
    title = "Send again"
    recipient_email = forms.EmailField(
        label="Send to", required=False, help_text="Leave as it is to try the same address again."
    )
