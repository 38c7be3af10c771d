"""The one opening every letter and e-mail uses (issue 13 D3)."""

from __future__ import annotations

import pytest

from apcase.greetings import greeting


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("Aisha Khan", "Ms", "Dear Ms Khan"),
        ("Aisha Khan", "", "Dear Aisha Khan"),
        ("", "", "Dear parent or carer"),
        ("", "Mrs", "Dear parent or carer"),
        ("Khan", "Dr", "Dear Dr Khan"),
        ("Harpreet Kaur-Bell", "Mrs", "Dear Mrs Kaur-Bell"),
        ("Maria de Souza", "Mrs", "Dear Mrs de Souza"),
        ("Mary Ann Smith", "Miss", "Dear Miss Smith"),
        ("Jan van der Berg", "Mr", "Dear Mr van der Berg"),
        ("Mrs Donna Clarke", "", "Dear Mrs Clarke"),  # a title typed into the name is not said twice
        ("Mrs. Donna Clarke", "Ms", "Dear Ms Clarke"),  # the title field wins
        ("  Lee   Booth ", "", "Dear Lee Booth"),
        ("Ms Jo Whitfield, Littleton Green", "", "Dear Ms Whitfield"),  # a position is not part of the name
        ("Donna Clarke (mother)", "", "Dear Donna Clarke"),
    ],
)
def test_a_parent_is_greeted_by_title_and_surname_when_known(name, title, expected):
    assert greeting(name=name, title=title) == expected


def test_someone_without_a_name_is_greeted_by_the_callers_fallback():
    assert greeting(name="", fallback="Provider") == "Dear Provider"
