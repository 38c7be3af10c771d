from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apcase.models import RecordAccess
from audits import threshold
from audits.models import Audit, AuditAnswer, FurtherAction, Provider, SafeguardingConfirmation
from audits.tests.factories import (
    PDF_BYTES,
    AuditFactory,
    ProviderFactory,
    ProviderSiteFactory,
    SafeguardingConfirmationFactory,
    cleared_provider,
    completed_audit,
    further_action,
)

pytestmark = pytest.mark.usefixtures("today")


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestDirectory:
    def test_it_shows_each_provider_with_its_clearance_and_reasons(self, client_for, school, dsl):
        cleared_provider(school, dsl, name="Littleton Green Alternative Provision")
        ProviderFactory(school=school, name="Greenway Care Farm")
        html = _html(client_for(dsl).get(reverse("providers:list")))
        assert "Littleton Green Alternative Provision" in html and "Cleared for placements" in html
        assert "Greenway Care Farm" in html and "Registration has not been checked." in html

    def test_it_filters_by_kind_and_clearance(self, client_for, school, dsl):
        cleared_provider(school, dsl, name="Littleton Green")
        ProviderFactory(school=school, name="Rockets class", internal=True)
        ProviderFactory(school=school, name="Greenway Care Farm")
        client = client_for(dsl)
        not_cleared = _html(client.get(reverse("providers:list"), {"status": "not_cleared"}))
        assert "Greenway Care Farm" in not_cleared and "Littleton Green" not in not_cleared
        internal = _html(client.get(reverse("providers:list"), {"kind": "internal"}))
        assert "Rockets class" in internal and "Greenway" not in internal

    def test_an_empty_directory_invites_the_first_provider(self, client_for, dsl):
        html = _html(client_for(dsl).get(reverse("providers:list")))
        assert "No providers yet" in html and reverse("providers:new") in html

    def test_a_search_with_no_match_says_so(self, client_for, school, dsl):
        ProviderFactory(school=school)
        html = _html(client_for(dsl).get(reverse("providers:list"), {"q": "nothing like it"}))
        assert "No providers match" in html

    @pytest.mark.parametrize("persona", ["teacher", "governor", "office"], indirect=True)
    def test_staff_who_place_no_pupils_cannot_open_it(self, client_for, persona):
        assert client_for(persona).get(reverse("providers:list")).status_code == 403

    def test_its_query_count_does_not_grow_with_providers(self, client_for, school, dsl, django_assert_max_num_queries):
        for index in range(30):
            provider = cleared_provider(school, dsl, name=f"Provider {index:02d}")
            ProviderSiteFactory(provider=provider, name="Annex", is_main=False)
            further_action(provider.audits.get(), dsl, due_on=date(2026, 11, 1), blocking=index % 3 == 0)
        client = client_for(dsl)
        with django_assert_max_num_queries(17):
            html = _html(client.get(reverse("providers:list")))
        assert html.count("Not cleared") == 10


class TestProviderRecord:
    def test_it_shows_the_checklist_sites_confirmations_audits_and_actions(self, client_for, school, dsl):
        provider = cleared_provider(school, dsl, name="Littleton Green Alternative Provision")
        ProviderSiteFactory(provider=provider, name="Forest school", is_main=False)
        further_action(provider.audits.get(), dsl, due_on=date(2026, 12, 1))
        html = _html(client_for(dsl).get(reverse("providers:detail", args=[provider.public_id])))
        for text in [
            "Registration checked",
            "Forest school",
            "Signed 24/10/2026 by Jo Whitfield",
            "Visit 13/11/2026",
            "See the new tutors",
            "Record a signed confirmation",
        ]:
            assert text in html

    def test_opening_it_is_logged(self, client_for, school, sendco):
        provider = ProviderFactory(school=school)
        client_for(sendco).get(reverse("providers:detail", args=[provider.public_id]))
        assert RecordAccess.objects.filter(user=sendco, object_id=provider.public_id, action="view").exists()

    def test_the_sendco_sees_it_without_the_safeguarding_signatory_actions(self, client_for, school, sendco):
        provider = ProviderFactory(school=school)
        html = _html(client_for(sendco).get(reverse("providers:detail", args=[provider.public_id])))
        assert "Record a signed confirmation" not in html and "Record registration check" not in html
        assert "Start an audit" in html

    def test_an_outsider_gets_404(self, client_for, school, outsider):
        provider = ProviderFactory(school=school)
        assert client_for(outsider).get(reverse("providers:detail", args=[provider.public_id])).status_code == 404

    def test_a_teacher_gets_403(self, client_for, school, teacher):
        provider = ProviderFactory(school=school)
        assert client_for(teacher).get(reverse("providers:detail", args=[provider.public_id])).status_code == 403

    def test_its_query_count_does_not_grow_with_records(self, client_for, school, dsl, django_assert_max_num_queries):
        provider = cleared_provider(school, dsl)
        for index in range(5):
            ProviderSiteFactory(provider=provider, name=f"Site {index}", is_main=False)
            SafeguardingConfirmationFactory(provider=provider, signed_on=date(2020 + index, 1, 1))
            audit = completed_audit(provider, dsl, visit_date=date(2020 + index, 1, 1))
            further_action(audit, dsl, due_on=date(2026, 12, 1), blocking=True)
        client = client_for(dsl)
        with django_assert_max_num_queries(22):
            _html(client.get(reverse("providers:detail", args=[provider.public_id])))


class TestRegistrationThresholdWarning:
    @pytest.fixture
    def counter(self, monkeypatch):
        monkeypatch.setattr(threshold, "_placement_counter", None)
        threshold.register_placement_counter(lambda provider: (5, 0))

    def test_the_page_warns_loudly_when_our_placements_would_need_registration(self, client_for, school, dsl, counter):
        provider = ProviderFactory(school=school, name="Stepping Stones Tuition", unregistered=True)
        html = _html(client_for(dsl).get(reverse("providers:detail", args=[provider.public_id])))
        assert "This provider must be registered as a school" in html
        assert "5 full-time pupils of compulsory school age" in html
        assert "every school using apcase that places there" in html

    def test_a_registered_school_shows_no_warning(self, client_for, school, dsl, counter):
        provider = ProviderFactory(school=school)
        html = _html(client_for(dsl).get(reverse("providers:detail", args=[provider.public_id])))
        assert "must be registered" not in html

    def test_without_a_counter_the_page_shows_no_count_based_warning(self, client_for, school, dsl, monkeypatch):
        monkeypatch.setattr(threshold, "_placement_counter", None)
        provider = ProviderFactory(school=school, unregistered=True)
        html = _html(client_for(dsl).get(reverse("providers:detail", args=[provider.public_id])))
        assert "must be registered" not in html


class TestProviderForms:
    def _data(self, **overrides):
        return {
            "name": "Northbridge Outdoor Learning",
            "kind": "offsite",
            "is_active": "on",
            "registration": "ukprn_only",
            "ukprn": "10087654",
            "site_name": "Boathouse",
            "site_address": "Reservoir Road\nNorthbridge",
            "site_postcode": "st99 7ol",
            "cost_per_day": "140.00",
            **overrides,
        }

    def test_adding_a_provider_keeps_its_main_site(self, client_for, school, sendco):
        response = client_for(sendco).post(reverse("providers:new"), self._data())
        provider = Provider.objects.get(name="Northbridge Outdoor Learning")
        assert response.status_code == 302 and response["Location"] == reverse(
            "providers:detail", args=[provider.public_id]
        )
        assert provider.school == school
        assert provider.sites.get().postcode == "ST99 7OL"

    def test_the_form_explains_what_is_missing(self, client_for, sendco):
        html = _html(
            client_for(sendco).post(reverse("providers:new"), self._data(ukprn="", site_address="", cost_per_day="-1"))
        )
        assert "There is a problem" in html
        assert "Give the provider&#x27;s UKPRN." in html
        assert "Give the address where pupils will attend." in html
        assert not Provider.objects.exists()

    def test_an_internal_provision_needs_no_address_or_registration(self, client_for, school, head):
        data = {"name": "Rockets class", "kind": "internal", "is_active": "on", "lead_staff_name": "Miss A Carter"}
        assert client_for(head).post(reverse("providers:new"), data).status_code == 302
        assert Provider.objects.get(name="Rockets class").sites.count() == 0

    def test_editing_the_registration_clears_the_registration_check(self, client_for, school, dsl):
        provider = ProviderFactory(school=school, registration_checked_on=date(2026, 9, 1), registration_checked_by=dsl)
        data = self._data(name=provider.name, registration="registered_school", urn="145999")
        response = client_for(dsl).post(reverse("providers:edit", args=[provider.public_id]), data)
        assert response.status_code == 302
        provider.refresh_from_db()
        assert provider.urn == "145999" and provider.registration_checked_on is None

    def test_a_commissioning_agreement_is_checked_by_content_and_downloaded_with_a_log(self, client_for, school, dsl):
        provider = ProviderFactory(school=school)
        client = client_for(dsl)
        fake = SimpleUploadedFile("agreement.pdf", b"not really a pdf", content_type="application/pdf")
        data = self._data(name=provider.name, registration="registered_school", urn=provider.urn)
        html = _html(
            client.post(reverse("providers:edit", args=[provider.public_id]), data | {"agreement_document": fake})
        )
        assert "not a real .pdf file" in html
        real = SimpleUploadedFile("agreement.pdf", PDF_BYTES, content_type="application/pdf")
        client.post(reverse("providers:edit", args=[provider.public_id]), data | {"agreement_document": real})
        response = client.get(reverse("providers:agreement", args=[provider.public_id]))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert RecordAccess.objects.filter(object_id=provider.public_id, action="download").exists()

    def test_the_dsl_records_a_registration_check(self, client_for, school, dsl):
        provider = ProviderFactory(school=school)
        client_for(dsl).post(
            reverse("providers:check_registration", args=[provider.public_id]), {"checked_on": "20/11/2026"}
        )
        provider.refresh_from_db()
        assert provider.registration_checked_on == date(2026, 11, 20) and provider.registration_checked_by == dsl

    def test_a_site_can_be_added_edited_and_removed(self, client_for, school, sendco):
        main = ProviderSiteFactory(provider__school=school)
        client = client_for(sendco)
        client.post(
            reverse("providers:site_new", args=[main.provider.public_id]),
            {"name": "Forest school", "address": "Hednesford Road", "postcode": "ws99 5hr"},
        )
        forest = main.provider.sites.get(name="Forest school")
        client.post(
            reverse("providers:site_edit", args=[forest.public_id]),
            {"name": "Forest school", "address": "Hednesford Road Woods", "postcode": "WS99 5HR"},
        )
        forest.refresh_from_db()
        assert forest.address == "Hednesford Road Woods" and not forest.is_main
        client.post(reverse("providers:site_delete", args=[forest.public_id]))
        assert list(main.provider.sites.all()) == [main]


class TestSafeguardingConfirmationViews:
    def test_the_dsl_records_a_signed_confirmation_with_its_copy(self, client_for, school, dsl):
        provider = ProviderFactory(school=school)
        upload = SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf")
        response = client_for(dsl).post(
            reverse("providers:confirmation_new", args=[provider.public_id]),
            {
                "confirmed_by_name": "Jo Whitfield",
                "confirmed_by_position": "Head of centre",
                "signed_on": "03/09/2026",
                "checks": [field for field, _label in SafeguardingConfirmation.CHECKS],
                "signed_copy": upload,
            },
        )
        assert response.status_code == 302
        confirmation = provider.confirmations.get()
        assert confirmation.expires_on == date(2027, 9, 3) and confirmation.is_complete

    def test_a_confirmation_needs_its_signed_copy(self, client_for, school, dsl):
        provider = ProviderFactory(school=school)
        data = {"confirmed_by_name": "Jo", "confirmed_by_position": "Head", "signed_on": "03/09/2026"}
        html = _html(client_for(dsl).post(reverse("providers:confirmation_new", args=[provider.public_id]), data))
        assert "Signed copy" in html and "This field is required." in html
        assert not provider.confirmations.exists()

    def test_the_sendco_cannot_record_one(self, client_for, school, sendco):
        provider = ProviderFactory(school=school)
        assert (
            client_for(sendco).get(reverse("providers:confirmation_new", args=[provider.public_id])).status_code == 403
        )

    def test_the_signed_copy_download_is_logged(self, client_for, school, sendco):
        confirmation = SafeguardingConfirmationFactory(provider__school=school)
        response = client_for(sendco).get(reverse("providers:confirmation_file", args=[confirmation.public_id]))
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
        content_type = ContentType.objects.get_for_model(SafeguardingConfirmation)
        assert RecordAccess.objects.filter(content_type=content_type, action="download").count() == 1


class TestAuditViews:
    def test_starting_an_audit_opens_its_form(self, client_for, school, sendco):
        provider = ProviderFactory(school=school)
        response = client_for(sendco).post(
            reverse("providers:audit_new", args=[provider.public_id]),
            {"visit_date": "20/11/2026", "visit_time": "09:30", "auditor": str(sendco.public_id)},
        )
        audit = provider.audits.get()
        assert response["Location"] == reverse("audits:detail", args=[audit.public_id])
        assert audit.auditor == sendco and audit.answers.count() == 27

    def test_the_draft_shows_every_question_with_its_guidance_section_by_section(self, client_for, school, dsl):
        audit = AuditFactory(provider__school=school)
        html = _html(client_for(dsl).get(reverse("audits:detail", args=[audit.public_id])))
        for section in [
            "Safeguarding",
            "Quality of education",
            "Transition process and procedures",
            "Communication and information sharing",
        ]:
            assert section in html
        assert "Ask to see the AP&#x27;s safeguarding action plan." in html
        assert html.count('hx-trigger="change, submit"') == 28  # 27 questions and the decision
        assert "<script>" not in html and " style=" not in html

    def test_an_answer_saves_with_htmx_and_updates_its_section_progress(self, client_for, school, dsl):
        audit = AuditFactory(provider__school=school)
        answer = audit.answers.order_by("question__section__order", "question__order").first()
        assert answer is not None
        response = client_for(dsl).post(
            reverse("audits:answer", args=[answer.public_id]),
            {"q1-answer": "Good; safeguarding met.", "q1-evidence": "Report read.", "q1-concerns": ""},
            HTTP_HX_REQUEST="true",
        )
        html = _html(response)
        assert "Saved at 10:00" in html
        assert f'id="progress-{answer.question.section_id}"' in html and "hx-swap-oob" in html and "1/4" in html
        answer.refresh_from_db()
        assert (answer.answer, answer.evidence) == ("Good; safeguarding met.", "Report read.")

    def test_an_answer_with_an_incomplete_action_comes_back_with_its_errors(self, client_for, school, dsl):
        audit = AuditFactory(provider__school=school)
        answer = audit.answers.order_by("question__section__order", "question__order").first()
        assert answer is not None
        response = client_for(dsl).post(
            reverse("audits:answer", args=[answer.public_id]),
            {"q1-answer": "Seen", "q1-action_description": "Get the action plan"},
            HTTP_HX_REQUEST="true",
        )
        html = _html(response)
        assert response["HX-Retarget"] == f"#answer-{answer.public_id}"
        assert "Choose who will follow up the further action." in html
        assert "Give the date the further action is due by." in html
        assert not FurtherAction.objects.exists()

    def test_without_javascript_an_answer_saves_and_returns_to_the_audit(self, client_for, school, dsl):
        audit = AuditFactory(provider__school=school)
        answer = audit.answers.order_by("question__section__order", "question__order")[2]
        response = client_for(dsl).post(
            reverse("audits:answer", args=[answer.public_id]),
            {
                "q3-answer": "Level 2 for all staff",
                "q3-action_description": "See the training log",
                "q3-action_owner": str(dsl.public_id),
                "q3-action_due_on": "01/12/2026",
                "q3-action_blocking": "on",
            },
        )
        assert response["Location"].endswith(f"#answer-{answer.public_id}")
        assert FurtherAction.objects.get().blocking

    def test_without_javascript_errors_show_on_the_questions_own_page(self, client_for, school, dsl):
        answer = AuditFactory(provider__school=school).answers.first()
        assert answer is not None
        response = client_for(dsl).post(reverse("audits:answer", args=[answer.public_id]), {"q1-action_blocking": "on"})
        html = _html(response)
        assert "There is a problem" in html and "Back to the whole audit" in html

    def test_the_decision_saves_as_you_go(self, client_for, school, sendco):
        audit = AuditFactory(provider__school=school)
        response = client_for(sendco).post(
            reverse("audits:decision", args=[audit.public_id]),
            {"suitable": "no", "reasons": "No safeguarding lead on site."},
            HTTP_HX_REQUEST="true",
        )
        assert "Saved at" in _html(response)
        audit.refresh_from_db()
        assert audit.suitable is False and audit.reasons == "No safeguarding lead on site."

    def test_the_sendco_cannot_sign_off(self, client_for, school, sendco):
        audit = AuditFactory(provider__school=school)
        assert client_for(sendco).post(reverse("audits:sign_off", args=[audit.public_id])).status_code == 403
        html = _html(client_for(sendco).get(reverse("audits:detail", args=[audit.public_id])))
        assert "Sign off the audit" not in html and "the DSL or the headteacher signs the audit off" in html

    def test_the_dsl_is_told_what_is_missing_before_sign_off(self, client_for, school, dsl):
        audit = AuditFactory(provider__school=school)
        client = client_for(dsl)
        response = client.post(reverse("audits:sign_off", args=[audit.public_id]), follow=True)
        assert "Answer every question before signing off" in response.content.decode()
        audit.refresh_from_db()
        assert audit.is_draft

    def test_sign_off_errors_show_where_the_user_lands(self, client_for, school, dsl):
        """#decision is thousands of pixels down a long audit: the errors are there, not at the top."""
        audit = AuditFactory(provider__school=school)
        response = client_for(dsl).post(reverse("audits:sign_off", args=[audit.public_id]), follow=True)
        page = response.content.decode()
        decision = page.index('id="decision"')
        errors = page.index('id="sign-off-errors"')
        assert decision < errors and "Answer every question before signing off" in page[errors:]
        assert page.count("Answer every question before signing off") == 1

    def test_a_decision_that_cannot_be_saved_says_so_where_the_user_lands(self, client_for, school, dsl):
        audit = completed_audit(ProviderFactory(school=school), dsl)  # signed off by now
        url = reverse("audits:decision", args=[audit.public_id])
        response = client_for(dsl).post(url, {"suitable": "no", "reasons": "Changed my mind."}, follow=True)
        assert response.redirect_chain[-1][0].endswith("#decision")
        page = response.content.decode()
        errors = page.index('id="sign-off-errors"')
        assert page.index('id="decision"') < errors and "The decision was not saved:" in page[errors:]

    def test_a_signed_off_audit_is_read_only(self, client_for, school, dsl):
        audit = completed_audit(ProviderFactory(school=school), dsl)
        answer = audit.answers.first()
        assert answer is not None
        client = client_for(dsl)
        html = _html(client.get(reverse("audits:detail", args=[audit.public_id])))
        assert "hx-post" not in html and "<textarea" not in html and "Correct this audit" in html
        response = client.post(reverse("audits:answer", args=[answer.public_id]), {"q1-answer": "Changed"}, follow=True)
        assert "can no longer be changed" in response.content.decode()
        htmx = client.post(
            reverse("audits:answer", args=[answer.public_id]), {"q1-answer": "Changed"}, HTTP_HX_REQUEST="true"
        )
        assert htmx["HX-Redirect"] == reverse("audits:detail", args=[audit.public_id])
        answer.refresh_from_db()
        assert answer.answer != "Changed"

    def test_correcting_opens_a_new_version_and_keeps_the_old_one(self, client_for, school, dsl):
        audit = completed_audit(ProviderFactory(school=school), dsl)
        response = client_for(dsl).post(reverse("audits:correct", args=[audit.public_id]))
        correction = Audit.objects.get(supersedes=audit)
        assert response["Location"] == reverse("audits:detail", args=[correction.public_id])
        html = _html(client_for(dsl).get(response["Location"]))
        assert "stays in force until this one is signed off" in html

    @pytest.mark.parametrize("persona", ["teacher", "governor"], indirect=True)
    def test_teachers_and_governors_cannot_see_audits(self, client_for, school, dsl, persona):
        audit = completed_audit(ProviderFactory(school=school), dsl)
        client = client_for(persona)
        assert client.get(reverse("audits:detail", args=[audit.public_id])).status_code == 403
        assert client.get(reverse("audits:report", args=[audit.public_id])).status_code == 403

    def test_an_outsider_gets_404_for_an_audit_and_its_answers(self, client_for, school, dsl, outsider):
        audit = AuditFactory(provider__school=school)
        client = client_for(outsider)
        assert client.get(reverse("audits:detail", args=[audit.public_id])).status_code == 404
        assert client.get(reverse("audits:answer", args=[audit.answers.order_by("pk")[0].public_id])).status_code == 404

    def test_the_audit_page_query_count_does_not_grow_with_actions(
        self, client_for, school, dsl, django_assert_max_num_queries
    ):
        audit = AuditFactory(provider__school=school)
        for number in range(1, 28):
            further_action(audit, dsl, due_on=date(2026, 12, 1), number=number)
        client = client_for(dsl)
        with django_assert_max_num_queries(14):
            _html(client.get(reverse("audits:detail", args=[audit.public_id])))


class TestFurtherActionQueue:
    def test_it_lists_open_actions_and_marks_them_done(self, client_for, school, dsl):
        audit = completed_audit(ProviderFactory(school=school, name="Stepping Stones Tuition"), dsl)
        action = further_action(audit, dsl, due_on=date(2026, 11, 14), blocking=True)
        client = client_for(dsl)
        html = _html(client.get(reverse("providers:actions")))
        assert "See the new tutors" in html and "Overdue" in html and "Stepping Stones Tuition" in html
        response = client.post(
            reverse("providers:action_done", args=[action.public_id]), {"next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("providers:actions")
        action.refresh_from_db()
        assert action.done_by == dsl
        assert "No further actions are open" in _html(client.get(reverse("providers:actions")))

    def test_the_queue_stays_within_its_query_budget(self, client_for, school, dsl, django_assert_max_num_queries):
        for index in range(30):
            audit = completed_audit(ProviderFactory(school=school), dsl)
            further_action(audit, dsl, due_on=date(2026, 11, 1 + index % 28))
        client = client_for(dsl)
        with django_assert_max_num_queries(10):
            _html(client.get(reverse("providers:actions")))


def test_history_pages_list_changes(client_for, school, dsl):
    provider = ProviderFactory(school=school)
    provider.phone = "01234 000000"
    provider.save()
    html = _html(client_for(dsl).get(reverse("providers:history", args=[provider.public_id])))
    assert "Phone" in html and "01234 000000" in html
    audit = completed_audit(provider, dsl)
    assert "Change history" in _html(client_for(dsl).get(reverse("audits:history", args=[audit.public_id])))


def test_every_answer_of_an_audit_is_a_record_of_its_school(school, dsl):
    audit = AuditFactory(provider__school=school)
    assert AuditAnswer.objects.for_user(dsl).filter(audit=audit).count() == 27
