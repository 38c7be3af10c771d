"""Signing in and out in a real browser, by keyboard alone."""

from __future__ import annotations

import pytest

# serialized_rollback: a transactional test empties every table, and the rows data migrations
# made (attendance codes, the audit question bank) must be back for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_teacher_signs_in_with_the_keyboard_only_and_lands_where_they_were_going(journey, teacher):
    journey.go("/account/")
    assert "/accounts/login/" in journey.page.url
    journey.snap("sign-in page")
    page = journey.page
    assert page.evaluate("document.activeElement.id") == "id_username"  # the form has focus on arrival
    page.keyboard.type("teacher")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.snap("the page they asked for")
    assert page.locator("h1").inner_text() == "Your account"  # back where they were going


def test_a_wrong_password_is_explained_and_announced(journey, teacher):
    journey.go("/accounts/login/")
    journey.page.fill("#id_username", "teacher")
    journey.page.fill("#id_password", "not-it")
    with journey.page.expect_navigation():
        journey.page.click("button[type=submit]")
    journey.snap("wrong password")
    summary = journey.page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert "correct username and password" in summary.inner_text()
    assert journey.page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
