from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits import services
from audits.models import Audit, AuditAnswer, FurtherAction, Provider, ProviderSite, QuestionBank
from audits.selectors import provider_clearance
from audits.tests.factories import (
    AuditFactory,
    ProviderFactory,
    ProviderSiteFactory,
    answer_everything,
    cleared_provider,
    completed_audit,
    further_action,
    pdf_upload,
)

pytestmark = pytest.mark.usefixtures("today")


class TestProviders:
    def test_it_creates_a_provider_with_its_main_site_and_records_who(self, school, sendco):
        provider = services.provider_create(
            actor=sendco,
            school=school,
            main_site=services.ProviderSiteDetails(
                name="Main site", address="Littleton Green Lane\nCannock", postcode="ws99 4lg"
            ),
            details=services.ProviderDetails(
                name="Littleton Green Alternative Provision",
                kind=Provider.Kind.OFFSITE,
                registration=Provider.Registration.REGISTERED_SCHOOL,
                urn="145123",
            ),
        )
        site = provider.sites.get()
        assert site.is_main and site.postcode == "WS99 4LG"
        assert provider.history.get().history_user == sendco

    def test_it_refuses_a_second_provider_of_the_same_name_in_a_school(self, school, sendco):
        ProviderFactory(school=school, name="Greenway Care Farm")
        with pytest.raises(ValidationError, match="already has a provider with this name"):
            services.provider_create(
                actor=sendco, school=school, details=services.ProviderDetails(name="Greenway Care Farm", urn="145999")
            )

    def test_changing_the_registration_means_checking_it_again(self, school, dsl):
        provider = ProviderFactory(school=school, registration_checked_on=date(2026, 9, 1), registration_checked_by=dsl)
        details = services.ProviderDetails.of(provider)
        services.provider_update(actor=dsl, provider=provider, details=replace(details, phone="01234 000000"))
        assert provider.registration_checked_on == date(2026, 9, 1)
        services.provider_update(actor=dsl, provider=provider, details=replace(details, urn="145999"))
        provider.refresh_from_db()
        assert provider.registration_checked_on is None and provider.registration_checked_by is None

    def test_only_the_dsl_or_head_records_a_registration_check(self, school, dsl, head, sendco):
        provider = ProviderFactory(school=school)
        with pytest.raises(PermissionDenied):
            services.provider_registration_check(actor=sendco, provider=provider, checked_on=date(2026, 11, 23))
        services.provider_registration_check(actor=head, provider=provider, checked_on=date(2026, 11, 20))
        assert (provider.registration_checked_on, provider.registration_checked_by) == (date(2026, 11, 20), head)

    def test_a_registration_check_needs_complete_details_and_a_past_date(self, school, dsl):
        incomplete = ProviderFactory(school=school, registration=Provider.Registration.UKPRN_ONLY, ukprn="")
        with pytest.raises(ValidationError, match="UKPRN"):
            services.provider_registration_check(actor=dsl, provider=incomplete, checked_on=date(2026, 11, 23))
        with pytest.raises(ValidationError, match="future"):
            services.provider_registration_check(
                actor=dsl, provider=ProviderFactory(school=school), checked_on=date(2026, 11, 24)
            )

    def test_making_a_site_the_main_one_demotes_the_old_main_site(self, school, sendco):
        old = ProviderSiteFactory(provider__school=school)
        new = services.provider_site_create(
            actor=sendco,
            provider=old.provider,
            details=services.ProviderSiteDetails(
                name="Forest school", address="Woods", postcode="WS99 5HR", is_main=True
            ),
        )
        old.refresh_from_db()
        assert new.is_main and not old.is_main

    def test_the_main_site_cannot_be_removed_or_unmarked(self, school, sendco):
        site = ProviderSiteFactory(provider__school=school)
        with pytest.raises(ValidationError, match="main site cannot be removed"):
            services.provider_site_delete(actor=sendco, site=site)
        with pytest.raises(ValidationError):
            services.provider_site_update(
                actor=sendco, site=site, details=replace(services.ProviderSiteDetails.of(site), is_main=False)
            )
        other = ProviderSiteFactory(provider=site.provider, name="Annex", is_main=False)
        services.provider_site_delete(actor=sendco, site=other)
        assert list(ProviderSite.objects.filter(provider=site.provider)) == [site]


class TestSafeguardingConfirmations:
    def _record(self, actor, provider, **overrides):
        fields: dict[str, Any] = {
            "confirmed_by_name": "Jo Whitfield",
            "confirmed_by_position": "Head of centre",
            "signed_on": date(2026, 9, 3),
            "checks": {
                "enhanced_dbs",
                "barred_list",
                "identity",
                "right_to_work",
                "qualifications",
                "prohibition",
                "single_central_record",
            },
            "signed_copy": pdf_upload(),
        }
        return services.safeguarding_confirmation_record(actor=actor, provider=provider, **(fields | overrides))

    def test_it_expires_after_the_schools_validity_period(self, school, dsl):
        school.confirmation_validity_months = 6
        school.save()
        confirmation = self._record(dsl, ProviderFactory(school=school))
        assert confirmation.expires_on == date(2027, 3, 3)
        assert confirmation.recorded_by == dsl and confirmation.is_complete
        assert confirmation.signed_copy.read().startswith(b"%PDF")

    def test_it_keeps_which_checks_were_not_confirmed(self, school, dsl):
        confirmation = self._record(dsl, ProviderFactory(school=school), checks={"enhanced_dbs", "identity"})
        assert not confirmation.barred_list and len(confirmation.missing_checks) == 5

    def test_only_the_dsl_or_head_records_one(self, school, sendco):
        with pytest.raises(PermissionDenied):
            self._record(sendco, ProviderFactory(school=school))

    def test_it_refuses_a_date_in_the_future_and_an_internal_provision(self, school, head):
        with pytest.raises(ValidationError, match="future"):
            self._record(head, ProviderFactory(school=school), signed_on=date(2026, 11, 24))
        with pytest.raises(ValidationError, match="single central record"):
            self._record(head, ProviderFactory(school=school, internal=True))


def _start(actor, provider, **overrides):
    fields = {"visit_date": date(2026, 11, 20), "visit_time": time(9, 30), "auditor": actor} | overrides
    return services.audit_start(actor=actor, provider=provider, **fields)


def _save(actor, answer, text="Seen.", action=None, **fields):
    return services.audit_answer_save(
        actor=actor,
        answer=answer,
        text=text,
        evidence=fields.get("evidence", ""),
        concerns=fields.get("concerns", ""),
        action=action,
    )


def _ready_to_sign(audit):
    answer_everything(audit)
    audit.suitable, audit.reasons = True, "Safe and well led."
    audit.save()


class TestAuditing:
    def test_starting_an_audit_uses_the_current_questions_with_a_blank_answer_each(self, school, sendco):
        audit = _start(sendco, ProviderFactory(school=school))
        assert audit.status == Audit.Status.DRAFT and audit.bank.version == 1
        assert audit.answers.count() == 27
        assert not audit.answers.exclude(answer="").exists()

    def test_it_refuses_an_audit_of_an_internal_provision_or_a_second_draft(self, school, dsl):
        with pytest.raises(ValidationError, match="off-site providers"):
            _start(dsl, ProviderFactory(school=school, internal=True))
        provider = ProviderFactory(school=school)
        _start(dsl, provider)
        with pytest.raises(ValidationError, match="already in draft"):
            _start(dsl, provider)

    def test_teachers_cannot_start_an_audit(self, school, teacher):
        with pytest.raises(PermissionDenied):
            _start(teacher, ProviderFactory(school=school))

    def test_an_answer_saves_with_its_further_action_and_can_drop_it(self, school, dsl):
        answer = AuditFactory(provider__school=school).answers.first()
        assert answer is not None
        action = services.FurtherActionDetails(
            description="See the DBS log.", owner=dsl, due_on=date(2026, 12, 1), blocking=True
        )
        _save(dsl, answer, "  Policies seen.  ", action=action, concerns="Log not up to date")
        answer.refresh_from_db()
        assert (answer.answer, answer.concerns) == ("Policies seen.", "Log not up to date")
        assert answer.action.blocking and answer.action.owner == dsl
        _save(dsl, answer, "Policies seen.", concerns="Log not up to date")
        assert not FurtherAction.objects.exists()

    def test_teachers_cannot_answer_questions(self, school, teacher):
        answer = AuditFactory(provider__school=school).answers.first()
        with pytest.raises(PermissionDenied):
            _save(teacher, answer, "Looks fine to me.")

    def test_saving_the_same_answer_again_writes_no_history(self, school, dsl):
        answer = AuditFactory(provider__school=school).answers.first()
        assert answer is not None
        _save(dsl, answer, "Seen.")
        _save(dsl, answer, "Seen.")
        assert answer.history.count() == 1  # the first save only (bulk-created answers have no history row)

    def test_only_the_dsl_or_head_can_sign_off(self, school, sendco, teacher):
        audit = AuditFactory(provider__school=school)
        _ready_to_sign(audit)
        for actor in (sendco, teacher):
            with pytest.raises(PermissionDenied, match="sign off the audit"):
                services.audit_sign_off(actor=actor, audit=audit)
        audit.refresh_from_db()
        assert audit.status == Audit.Status.DRAFT

    @pytest.mark.parametrize("signer", ["dsl", "head"])
    def test_the_dsl_or_head_signs_it_off_and_it_lasts_12_months_from_the_visit(self, school, signer, request):
        actor = request.getfixturevalue(signer)
        audit = AuditFactory(provider__school=school, visit_date=date(2026, 11, 20))
        _ready_to_sign(audit)
        services.audit_sign_off(actor=actor, audit=audit)
        audit.refresh_from_db()
        assert audit.status == Audit.Status.COMPLETED and audit.signed_off_by == actor
        assert audit.expires_on == date(2027, 11, 20)

    def test_sign_off_needs_every_answer_and_the_decision(self, school, dsl):
        audit = AuditFactory(provider__school=school)
        with pytest.raises(ValidationError) as error:
            services.audit_sign_off(actor=dsl, audit=audit)
        assert error.value.messages == [
            "Answer every question before signing off (27 unanswered, the first: “How did Ofsted judge "
            "safeguarding in the last report?”). Where a question does not apply, say why.",
            "Say whether this AP is suitable for your pupil.",
            "Give the reasons for the decision.",
        ]

    def test_a_signed_off_audit_cannot_be_changed(self, school, dsl):
        audit = completed_audit(ProviderFactory(school=school), dsl)
        answer = audit.answers.first()
        assert answer is not None
        before = answer.answer
        with pytest.raises(ValidationError, match="signed off and can no longer be changed"):
            _save(dsl, answer, "Rewritten after the event.")
        with pytest.raises(ValidationError, match="signed off"):
            services.audit_decision_save(actor=dsl, audit=audit, suitable=False, reasons="Changed my mind")
        with pytest.raises(ValidationError, match="signed off"):
            services.audit_details_update(
                actor=dsl, audit=audit, visit_date=date(2026, 1, 1), visit_time=None, auditor=dsl
            )
        with pytest.raises(ValidationError):
            services.audit_sign_off(actor=dsl, audit=audit)
        answer.refresh_from_db()
        audit.refresh_from_db()
        assert answer.answer == before and audit.suitable is True

    def test_a_correction_copies_everything_and_replaces_the_old_version_only_when_signed(self, school, dsl):
        provider = cleared_provider(school, dsl)
        original = provider.audits.get()
        action = further_action(original, dsl, due_on=date(2026, 12, 1), number=3)
        correction = services.audit_correct(actor=dsl, audit=original)
        assert (correction.version, correction.supersedes, correction.status) == (2, original, Audit.Status.DRAFT)
        copied = correction.answers.select_related("action").order_by("question__section__order", "question__order")
        assert [a.answer for a in copied] == [
            a.answer for a in original.answers.order_by("question__section__order", "question__order")
        ]
        assert copied[2].action.description == action.description
        assert provider_clearance(provider).cleared  # the signed version still stands
        with pytest.raises(ValidationError, match="already in draft"):
            services.audit_correct(actor=dsl, audit=original)

        _save(dsl, copied[0], "Corrected: safeguarding was judged effective in March 2025.")
        services.audit_sign_off(actor=dsl, audit=correction)
        original.refresh_from_db()
        assert original.status == Audit.Status.SUPERSEDED
        assert AuditAnswer.objects.filter(audit=original).count() == 27  # the old version is kept whole
        assert provider_clearance(provider).cleared

    def test_a_draft_cannot_be_corrected(self, school, dsl):
        with pytest.raises(ValidationError, match="Only a signed-off audit"):
            services.audit_correct(actor=dsl, audit=AuditFactory(provider__school=school))


class TestFurtherActions:
    def test_marking_an_action_done_records_who_and_when(self, school, sendco, dsl):
        action = further_action(completed_audit(ProviderFactory(school=school), dsl), dsl, due_on=date(2026, 11, 1))
        services.further_action_mark_done(actor=sendco, action=action)
        assert (action.done_on, action.done_by) == (date(2026, 11, 23), sendco)

    def test_an_action_is_marked_done_on_the_version_being_corrected(self, school, dsl):
        audit = completed_audit(ProviderFactory(school=school), dsl)
        action = further_action(audit, dsl, due_on=date(2026, 11, 1))
        services.audit_correct(actor=dsl, audit=audit)
        with pytest.raises(ValidationError, match="mark the action done there"):
            services.further_action_mark_done(actor=dsl, action=action)

    def test_teachers_cannot_mark_actions_done(self, school, teacher, dsl):
        action = further_action(completed_audit(ProviderFactory(school=school), dsl), dsl, due_on=date(2026, 11, 1))
        with pytest.raises(PermissionDenied):
            services.further_action_mark_done(actor=teacher, action=action)


class TestQuestionBank:
    def test_a_new_version_is_a_draft_copy_and_audits_keep_the_version_they_were_made_with(self, school, dsl):
        version_1 = QuestionBank.objects.get(version=1)
        audit = _start(dsl, ProviderFactory(school=school))
        version_2 = services.question_bank_new_version(actor=None, source=version_1)
        assert not version_2.is_published
        assert version_2.sections.count() == 4
        question = version_2.sections.get(order=1).questions.get(order=1)
        question.text = "What did Ofsted's last report say about safeguarding (met or not met)?"
        question.save()
        assert services.question_bank_current() == version_1  # drafts are never used

        services.question_bank_publish(actor=None, bank=version_2)
        newer = _start(dsl, ProviderFactory(school=school))
        first = {
            a.audit_id: str(a.question)
            for a in AuditAnswer.objects.filter(question__order=1, question__section__order=1)
        }
        assert first[audit.pk] == "How did Ofsted judge safeguarding in the last report?"
        assert first[newer.pk] == "What did Ofsted's last report say about safeguarding (met or not met)?"
        assert audit.bank == version_1 and newer.bank == version_2

    def test_an_empty_version_cannot_be_published(self, db):
        empty = QuestionBank.objects.create(version=99)
        with pytest.raises(ValidationError, match="no questions"):
            services.question_bank_publish(actor=None, bank=empty)

    def test_without_a_published_version_no_audit_can_start(self, school, dsl):
        QuestionBank.objects.update(published_at=None)
        with pytest.raises(ValidationError, match="No audit questions are published"):
            _start(dsl, ProviderFactory(school=school))


class TestSafeguardingRequestByEmail:
    """The KCSIE confirmation request to the provider's contact, through the outbox."""

    def test_it_queues_the_letter_to_the_providers_email(self, school, dsl):
        from audits.services import safeguarding_request_send
        from outbox.models import Message

        provider = ProviderFactory(school=school, email="office@littleton.example", contact_name="Ms Jo Whitfield")
        message = safeguarding_request_send(actor=dsl, provider=provider)
        assert (message.recipient_email, message.recipient_name, message.purpose, message.pupil) == (
            "office@littleton.example",
            "Ms Jo Whitfield",
            Message.Purpose.KCSIE_REQUEST,
            None,
        )
        assert message.document is not None and message.document.read_bytes().startswith(b"%PDF")

    def test_without_an_email_it_says_what_to_do(self, school, dsl):
        from audits.services import safeguarding_request_send

        with pytest.raises(ValidationError, match="download the letter and post it"):
            safeguarding_request_send(actor=dsl, provider=ProviderFactory(school=school, email=""))

    def test_the_sendco_does_not_send_it(self, school, sendco):
        from audits.services import safeguarding_request_send

        with pytest.raises(PermissionDenied):
            safeguarding_request_send(actor=sendco, provider=ProviderFactory(school=school, email="a@b.example"))
