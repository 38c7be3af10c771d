"""The one way views fetch objects fails closed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory

from apcase.access import get_object_for_user
from apcase.models import ExportJob, RecordAccess

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_queryset_with_no_user_scope_is_refused_rather_than_searched_unscoped(sendco):
    with pytest.raises(ImproperlyConfigured, match="RecordAccess has no for_user"):
        get_object_for_user(_request(sendco), RecordAccess.objects.all(), "00000000-0000-0000-0000-000000000000")


def test_a_record_owned_by_one_person_is_not_found_for_a_colleague(sendco, head, school):
    job = ExportJob.objects.create(user=sendco, school=school, kind="pupils")

    assert get_object_for_user(_request(sendco), ExportJob.objects.all(), job.public_id) == job
    with pytest.raises(Http404):
        get_object_for_user(_request(head), ExportJob.objects.all(), job.public_id)
