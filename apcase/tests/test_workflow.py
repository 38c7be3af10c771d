from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError

from apcase.workflow import Transition, Workflow


class Thing:
    """A stand-in with a status field; the workflow only needs _meta.get_field and the attribute."""

    class _Meta:
        @staticmethod
        def get_field(name):
            class Field:
                choices = [("draft", "Draft"), ("sent", "Sent"), ("done", "Done")]

            return Field

    _meta = _Meta()

    def __init__(self, status):
        self.status = status


rules.add_perm("tests.send_thing", rules.is_superuser)

WORKFLOW = Workflow(
    [
        Transition("draft", "sent", "tests.send_thing", "Send it"),
        Transition("sent", "done", None, "Finish it"),
    ]
)


def test_it_applies_an_allowed_move(admin_user):
    thing = Thing("draft")
    transition = WORKFLOW.apply(obj=thing, target="sent", actor=admin_user)
    assert thing.status == "sent" and transition.label == "Send it"


def test_it_refuses_an_undeclared_move_with_readable_names(admin_user):
    with pytest.raises(ValidationError, match="cannot move from “Draft” to “Done”"):
        WORKFLOW.apply(obj=Thing("draft"), target="done", actor=admin_user)


def test_it_refuses_a_move_the_role_may_not_make(django_user_model, db):
    user = django_user_model.objects.create(username="plain")
    thing = Thing("draft")
    with pytest.raises(PermissionDenied, match="cannot send it"):
        WORKFLOW.apply(obj=thing, target="sent", actor=user)
    assert thing.status == "draft"


def test_it_lists_the_moves_a_user_may_make(django_user_model, admin_user, db):
    user = django_user_model.objects.create(username="plain")
    assert [t.target for t in WORKFLOW.available_to(admin_user, Thing("draft"))] == ["sent"]
    assert WORKFLOW.available_to(user, Thing("draft")) == []
