"""A record's editable details as one typed value (docs/architecture.md, "Services").

A record edited on one long form (a pupil, a provider) is created and corrected with the same
fields. Its create and update services take them as one frozen dataclass rather than `**fields`,
so nothing but the declared fields reaches the model (never its status, school or who checked
it), mypy checks each one where the value is made, and the list is written once: in the class."""

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

    def apply_to(self, record: models.Model) -> None:
        """Write the details onto the record. The names are the class's own fields, fixed where it
        is declared, so no caller can add one; a field added to the class is written with no
        second list to keep in step."""
        for field in fields(self):
            setattr(record, field.name, getattr(self, field.name))
