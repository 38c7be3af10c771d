"""The register's code choices (provider_portal.selectors.CodeChoices), one select at a time."""

from django import template

register = template.Library()


@register.simple_tag
def code_options(choices, chosen: str, blank: str):
    return choices.options(chosen, blank)
