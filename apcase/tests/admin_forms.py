"""Post a back-office form the way a browser would: start from what the page shows, change a few
fields, send it. Lets a test try exactly what a person (or a hand-edited request) could send."""

from __future__ import annotations

from django.forms import MultiWidget


def _bound_value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def _form_data(form) -> dict:
    data = {}
    for bound_field in form:
        if isinstance(bound_field.field.widget, MultiWidget):
            context = bound_field.field.widget.get_context(bound_field.html_name, bound_field.value(), {})
            data.update({sub["name"]: sub["value"] or "" for sub in context["widget"]["subwidgets"]})
            continue
        value = _bound_value(bound_field)
        if value in ("", []) and getattr(bound_field.field.widget, "input_type", "") == "checkbox":
            continue
        data[bound_field.html_name] = value
    return data


def admin_form_data(response) -> dict:
    """The POST data the admin change or add page in `response` would send unchanged."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return {key: value for key, value in data.items() if value != ""}


def inline_prefix(response, model_name: str) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model._meta.model_name == model_name:
            return inline.formset.prefix
    raise AssertionError(f"No {model_name} inline on this page")


def add_inline_row(data: dict, prefix: str, **fields) -> dict:
    """Append one new inline row (as the "Add another" link does) with the given fields."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data
