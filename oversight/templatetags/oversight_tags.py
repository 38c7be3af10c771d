"""A figure on the trust's or the LA's page that opens the list behind it in its school."""

from django import template

register = template.Library()


@register.inclusion_tag("oversight/_figure.html")
def figure(school, next_url: str, value, label: str, prefix: str = "", suffix: str = "") -> dict:
    return {"school": school, "next": next_url, "shown": f"{prefix}{value}{suffix}", "label": label}
