from __future__ import annotations

from django import forms


class AcknowledgeForm(forms.Form):
    reference = forms.CharField(
        label="The LA's reference", max_length=100, required=False, help_text="Optional: your own case reference."
    )
