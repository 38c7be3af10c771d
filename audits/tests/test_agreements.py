"""Commissioning agreements: part of clearance where the school's AP policy asks for one
(docs/oversight.md; the reminder before one ends is in reminders/tests/test_sources.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from apcase.models import School
from audits.selectors import provider_clearance
from audits.tests.factories import cleared_provider, pdf_upload

TODAY = date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)


def _requiring(school) -> None:
    School.objects.filter(pk=school.pk).update(requires_commissioning_agreement=True)
    school.refresh_from_db()


def test_not_asked_for_it_does_not_count(school, dsl):
    provider = cleared_provider(school, dsl)
    assert provider_clearance(provider, on=TODAY).cleared
    assert "Commissioning agreement in force" not in [item.label for item in provider_clearance(provider).items]


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({}, "No signed commissioning agreement with its dates is recorded."),
        (
            {"agreement_starts_on": date(2025, 9, 1), "agreement_ends_on": date(2026, 8, 31)},
            "The commissioning agreement ended on 31/08/2026.",
        ),
        (
            {"agreement_starts_on": date(2027, 1, 4), "agreement_ends_on": date(2027, 8, 31)},
            "The commissioning agreement starts on 04/01/2027.",
        ),
    ],
)
def test_where_the_policy_asks_a_provider_without_one_in_force_is_not_cleared(school, dsl, fields, missing):
    _requiring(school)
    if fields:
        fields["agreement_document"] = pdf_upload("agreement.pdf")
    provider = cleared_provider(school, dsl, **fields)
    clearance = provider_clearance(provider, on=TODAY)
    assert not clearance.cleared and clearance.missing == [missing]


def test_an_agreement_in_force_clears(school, dsl):
    _requiring(school)
    provider = cleared_provider(
        school,
        dsl,
        agreement_starts_on=date(2026, 9, 1),
        agreement_ends_on=date(2027, 8, 31),
        agreement_document=pdf_upload("agreement.pdf"),
    )
    assert provider_clearance(provider, on=TODAY).cleared
