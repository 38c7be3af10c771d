"""Typed readers for environment variables that fail loudly.

A wrong or missing value stops start-up with ImproperlyConfigured naming the variable,
so a misconfigured server never starts half-right.
"""

from __future__ import annotations

import os
from enum import Enum
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class _Missing(Enum):
    """No default given: the variable must be set (an enum member, so the type checker narrows it)."""

    MISSING = "missing"


_MISSING = _Missing.MISSING
T = TypeVar("T")


def _raw(name: str, default: T | _Missing) -> str | T:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the {name} environment variable (see .env.example).")
        return default
    return value.strip()


def env_str(name: str, default: str | _Missing = _MISSING) -> str:
    return _raw(name, default)


def env_bool(name: str, default: bool | _Missing = _MISSING) -> bool:
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = str(value).lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int | _Missing = _MISSING, *, minimum: int | None = None) -> int:
    value = _raw(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: str | list[str] | _Missing = _MISSING) -> list[str]:
    value = _raw(name, default)
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str | _Missing = _MISSING) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value
