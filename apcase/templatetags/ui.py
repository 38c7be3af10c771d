"""Template tags every page may use (a builtin: no {% load %} needed)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from apcase import greetings

register = template.Library()


def _text(content: SafeString) -> SafeString:
    # The block was rendered (and escaped) by the template engine; folding its lines into one keeps it
    # safe and reads exactly as the text did when it was one line.
    return mark_safe(" ".join(content.split()))


@register.simple_block_tag(takes_context=True)
def include_block(context, content: SafeString, template_name: str, **parameters) -> SafeString:
    """{% include_block "partials/confirm_modal.html" id=… title="…" %}The text, over as many lines as
    it needs.{% endinclude_block %}: `include … with text="…"`, for a text too long for one template
    line (no template line is longer than 160 characters)."""
    partial = context.template.engine.get_template(template_name)
    with context.push(**parameters, text=_text(content)):
        return partial.render(context)


@register.simple_block_tag(takes_context=True)
def empty_state(context, content: SafeString, **parameters) -> SafeString:
    """{% empty_state title="…" action_url=… action_label="…" %}What to do.{% endempty_state %}"""
    return include_block(context, content, "partials/empty_state.html", **parameters)


@register.simple_tag(name="greeting")
def greeting_tag(name: str | None, fallback: str = greetings.PARENT_FALLBACK) -> str:
    """{% greeting provider.contact_name provider.name %}: a letter's opening, as every letter says it."""
    return greetings.greeting(name=name or "", fallback=fallback)


@register.simple_tag
def once_token() -> SafeString:
    """{% once_token %}: a one-time token for a form of buttons that makes a record without a form
    class (the chase's call outcomes). The view claims it with the record
    (apcase.services.form_submission_claim), so a second press makes nothing; form classes carry
    theirs as form.once_token (partials/form.html), under the same name."""
    return format_html('<input type="hidden" name="once" value="{}">', uuid.uuid4())
