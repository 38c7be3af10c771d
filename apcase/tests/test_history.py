from __future__ import annotations

from apcase.history import history_entries, history_stamp
from apcase.models import School


def test_it_lists_field_changes_with_who_and_labels(school, sendco, django_assert_num_queries):
    history_stamp(school, user=sendco)
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


def test_a_changed_foreign_key_is_shown_by_name_not_by_id(school, sendco, django_assert_num_queries):
    from apcase.models import Trust

    first, second = Trust.objects.create(name="Northbridge Learning Trust"), Trust.objects.create(name="Dove Trust")
    school.trust = first
    school.save()
    school.trust = second
    history_stamp(school, user=sendco)
    school.save()
    fresh = School.objects.get(pk=school.pk)
    with django_assert_num_queries(2):  # the history rows, then the trusts' names in one query
        entries = history_entries(fresh)
    assert ("Trust", "Northbridge Learning Trust", "Dove Trust") in {
        (c.field, c.old, c.new) for c in entries[0].changes
    }
