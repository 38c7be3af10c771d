"""A record's details as one typed value: only the declared fields travel, in and out."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from apcase.details import Details
from apcase.models import School


@dataclass(frozen=True, kw_only=True)
class SchoolName(Details):
    name: str
    la_name: str = ""


def test_a_form_gives_only_the_declared_fields_and_the_defaults_fill_the_rest():
    details = SchoolName.from_data({"name": "Oakfield", "urn": "999999", "is_superuser": True})
    assert details == SchoolName(name="Oakfield", la_name="")


def test_a_required_field_the_form_lacks_is_an_error_not_a_blank():
    with pytest.raises(TypeError):
        SchoolName.from_data({"la_name": "Northshire"})


def test_applying_details_writes_their_fields_and_nothing_else(school):
    urn = school.urn
    changed = replace(SchoolName.of(school), la_name="Northshire")
    changed.apply_to(school)
    school.save()
    school = School.objects.get(pk=school.pk)
    assert (school.name, school.la_name, school.urn) == ("Oakfield Primary School", "Northshire", urn)
