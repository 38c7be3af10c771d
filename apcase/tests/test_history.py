from __future__ import annotations

from apcase.history import history_entries
from apcase.models import School


def test_it_lists_field_changes_with_who_and_labels(school, sendco, django_assert_num_queries):
    school._history_user = sendco
    school.name = "Oakfield Primary Academy"
    school.confirmation_validity_months = 6
    school.save()
    school.save()  # a no-op save is not shown
    fresh = School.objects.get(pk=school.pk)
    with django_assert_num_queries(1):
        entries = history_entries(fresh)
    assert [e.action for e in entries] == ["Changed", "Created"]
    changed = entries[0]
    assert changed.who == str(sendco)
    assert {(c.field, c.old, c.new) for c in changed.changes} == {
        ("Name", "Oakfield Primary School", "Oakfield Primary Academy"),
        ("Confirmation validity months", "12", "6"),
    }
