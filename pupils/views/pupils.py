"""The pupil list, add and edit, contacts, the profile with its chronology, and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apcase.access import current_school, get_object_for_user, record_access_log, require_perm
from apcase.http import AuthedRequest
from apcase.views import history_page
from pupils.forms import ContactForm, PupilFilterForm, PupilForm
from pupils.models import CaseEvent, Contact, Pupil
from pupils.selectors import (
    pupil_case_status,
    pupil_chronology,
    pupil_list_for_user,
    pupil_profile_queryset,
    referral_list_for_user,
    sees_every_pupil,
)
from pupils.services import (
    ContactDetails,
    PupilDetails,
    contact_create,
    contact_delete,
    contact_update,
    pupil_create,
    pupil_update,
)
from pupils.views import submit_form, submit_once


def pupil_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "pupils.list_pupils")
    school = current_school(request)
    filters = PupilFilterForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    pupils = pupil_list_for_user(
        user=request.user,
        school=school,
        search=wanted.get("q", ""),
        year=wanted.get("year", ""),
        sen=wanted.get("sen", ""),
        case_status=wanted.get("case", ""),
    )
    context = {
        "page_obj": Paginator(pupils, settings.PAGINATE_BY).get_page(request.GET.get("page")),
        "filters": filters,
        "is_filtered": any(wanted.values()),
        "sees_every_pupil": sees_every_pupil(user=request.user, school=school),
    }
    return render(request, "pupils/pupil_list.html", context)


def pupil_new(request: AuthedRequest) -> HttpResponse:
    require_perm(request, "pupils.add_pupil")
    school = current_school(request)
    form = PupilForm(request.POST or None, school=school)
    pupil = submit_once(
        request,
        form,
        lambda: pupil_create(
            actor=request.user,
            school=school,
            details=PupilDetails.from_data(form.cleaned_data),
            key_adults=form.cleaned_data["key_adults"],
        ),
    )
    if pupil is not None:
        messages.success(request, f"{pupil.display_name} has been added.")
        return redirect(pupil)
    return render(request, "pupils/pupil_form.html", {"form": form})


def pupil_edit(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(request, pupil_profile_queryset(), public_id, "pupils.change_pupil")
    record_access_log(request, pupil)
    form = PupilForm(request.POST or None, instance=pupil, school=pupil.school)
    save = lambda: pupil_update(  # noqa: E731
        actor=request.user,
        pupil=pupil,
        details=PupilDetails.from_data(form.cleaned_data),
        key_adults=form.cleaned_data["key_adults"],
    )
    if submit_form(request, form, save):
        messages.success(request, "The pupil's details are saved.")
        return redirect(pupil)
    return render(request, "pupils/pupil_form.html", {"form": form, "pupil": pupil})


def pupil_detail(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(request, pupil_profile_queryset(), public_id, "pupils.view_pupil")
    record_access_log(request, pupil)
    kind = request.GET.get("kind", "")
    kind = kind if kind in CaseEvent.Kind.values else ""
    user = request.user
    context = {
        "pupil": pupil,
        "age": pupil.age_on(timezone.localdate()),
        "events": pupil_chronology(pupil=pupil, kind=kind),
        "kind": kind,
        "kinds": CaseEvent.Kind.choices,
        "case_status": pupil_case_status(pupil=pupil),
        "referrals": referral_list_for_user(user=user).filter(pupil=pupil),
        "can_change": user.has_perm("pupils.change_pupil", pupil),
        "can_see_history": user.has_perm("pupils.view_pupil_history", pupil),
    }
    return render(request, "pupils/pupil_detail.html", context)


def pupil_history(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(request, Pupil.objects.all(), public_id, "pupils.view_pupil_history")
    record_access_log(request, pupil)
    return history_page(request, pupil, record_label=pupil.display_name, back_url=pupil.get_absolute_url())


# --- Contacts -----------------------------------------------------------------------------------


def contact_new(request: AuthedRequest, public_id) -> HttpResponse:
    pupil = get_object_for_user(request, Pupil.objects.all(), public_id, "pupils.change_pupil")
    form = ContactForm(request.POST or None, initial={"priority": pupil.contacts.count() + 1})
    if submit_once(
        request,
        form,
        lambda: contact_create(actor=request.user, pupil=pupil, details=ContactDetails.from_data(form.cleaned_data)),
    ):
        messages.success(request, "The contact has been added.")
        return redirect(pupil)
    return render(request, "pupils/contact_form.html", {"form": form, "pupil": pupil})


def contact_edit(request: AuthedRequest, public_id) -> HttpResponse:
    contact = get_object_for_user(request, Contact.objects.select_related("pupil__school"), public_id)
    require_perm(request, "pupils.change_pupil", contact.pupil)
    record_access_log(request, contact.pupil)
    form = ContactForm(request.POST or None, instance=contact)
    if submit_form(
        request,
        form,
        lambda: contact_update(
            actor=request.user, contact=contact, details=ContactDetails.from_data(form.cleaned_data)
        ),
    ):
        messages.success(request, "The contact is saved.")
        return redirect(contact.pupil)
    return render(request, "pupils/contact_form.html", {"form": form, "pupil": contact.pupil, "contact": contact})


@require_POST
def contact_remove(request: AuthedRequest, public_id) -> HttpResponse:
    contact = get_object_for_user(request, Contact.objects.select_related("pupil"), public_id)
    require_perm(request, "pupils.change_pupil", contact.pupil)
    contact_delete(actor=request.user, contact=contact)
    messages.success(request, f"{contact.name} is no longer a contact (the change history keeps the record).")
    return redirect(contact.pupil)
