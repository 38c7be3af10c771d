"""A record's editable details as one typed value (docs/architecture.md, "Services").

A record edited on one long form (a pupil, a provider) is created and corrected with the same
fields. Its create and update services take them as one frozen dataclass rather than `**fields`,
so nothing but the declared fields reaches the model (never its status, school or who checked
it), mypy checks each one, and the list is written once instead of in two signatures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

from django.db import models


@dataclass(frozen=True, kw_only=True)
class Details:
    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """The declared fields out of a form's cleaned_data; a field the form does not show keeps
        its default, and one missing with no default is a TypeError, not a silent blank."""
        return cls(**{field.name: data[field.name] for field in fields(cls) if field.name in data})

    @classmethod
    def of(cls, record: models.Model) -> Self:
        """The record's current details, for a change to a few of them (`dataclasses.replace`)."""
        return cls(**{field.name: getattr(record, field.name) for field in fields(cls)})
