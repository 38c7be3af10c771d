"""Template tags every page may use (a builtin: no {% load %} needed)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_block_tag
def empty_state(content: SafeString, title: str, action_url: str = "", action_label: str = "") -> str:
    """{% empty_state title="…" action_url=… action_label="…" %}What to do, over as many lines as it
    needs.{% endempty_state %} — the partials/empty_state.html box, with its text written as a block
    so no template line grows past 160 characters."""
    # The block was rendered (and escaped) by the template engine; folding its lines into one keeps it
    # safe and reads exactly as the text did when it was one line.
    context = {
        "title": title,
        "text": mark_safe(" ".join(content.split())),
        "action_url": action_url,
        "action_label": action_label,
    }
    return render_to_string("partials/empty_state.html", context)
