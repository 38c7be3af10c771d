from __future__ import annotations

from django import forms

from apcase.forms import BaseFormHelper, UKDateInput, form_field
from audits.models import LAQualityVisit


class AcknowledgeForm(forms.Form):
    reference = forms.CharField(
        label="The LA's reference", max_length=100, required=False, help_text="Optional: your own case reference."
    )


class LAQualityVisitForm(forms.ModelForm):
    class Meta:
        model = LAQualityVisit
        fields = ["visited_on", "visitor", "judgement", "summary", "next_visit_due"]
        widgets = {
            "visited_on": UKDateInput,
            "judgement": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "next_visit_due": UKDateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As radio buttons the model's blank choice would be a pre-ticked "---------" outcome.
        form_field(self.fields, "judgement", forms.ChoiceField).choices = LAQualityVisit.Judgement.choices
        self.helper = BaseFormHelper()
