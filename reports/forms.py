from __future__ import annotations

from django import forms

from apcase.forms import BaseFormHelper, UKDateInput, form_field


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period", required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self.fields, "period", forms.ChoiceField).choices = [(p.key, p.label) for p in periods]
        self.helper = BaseFormHelper()


class CensusRangeForm(forms.Form):
    start = forms.DateField(label="Placements attended from", widget=UKDateInput())
    end = forms.DateField(label="to", widget=UKDateInput())

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the range must be on or after its start.")
        return data
