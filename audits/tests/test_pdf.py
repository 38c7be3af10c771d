"""The two PDFs, read back with pypdf: the KCSIE request letter and the audit report."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apcase.models import RecordAccess
from apcase.tests.pdf import assert_a4_without_attachments, pdf_text
from audits.models import AuditQuestion, SafeguardingConfirmation
from audits.tests.factories import AuditFactory, ProviderFactory, ProviderSiteFactory, completed_audit, further_action

pytestmark = pytest.mark.usefixtures("today")


def _folded(text: str) -> str:
    return " ".join(text.split())


class TestSafeguardingLetter:
    def test_it_asks_the_provider_to_confirm_every_kcsie_check_and_is_signed_by_the_dsl(self, client_for, school, dsl):
        site = ProviderSiteFactory(
            provider__school=school, provider__name="Littleton Green Alternative Provision", postcode="WS99 4LG"
        )
        response = client_for(dsl).get(reverse("providers:safeguarding_letter", args=[site.provider.public_id]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        reader = assert_a4_without_attachments(response.content)
        text = pdf_text(response.content)
        assert reader.metadata is not None and reader.metadata.title == "Confirmation of safeguarding checks"
        for expected in [
            school.name,
            "Littleton Green Alternative Provision",
            "WS99 4LG",
            "23 November 2026",
            "Dear Ms Whitfield,",
            "we need to seek confirmation that as an organisation you have carried out all the necessary "
            "safeguarding and pre-employment checks",
            "Please complete and sign the form below",
            f"{dsl.get_full_name()} Designated Safeguarding Lead",
            "Name of the person agreeing to the above statement",
            "Position",
            "Signed",
            "Date",
        ]:
            assert expected in text, expected
        for _field, label in SafeguardingConfirmation.CHECKS:
            assert label in text

    def test_the_head_signs_it_as_headteacher_and_the_download_is_logged(self, client_for, school, head):
        provider = ProviderFactory(school=school)
        response = client_for(head).get(reverse("providers:safeguarding_letter", args=[provider.public_id]))
        assert f"{head.get_full_name()} Headteacher" in pdf_text(response.content)
        assert RecordAccess.objects.get(object_id=provider.public_id).action == "download"

    def test_an_internal_provision_has_no_letter(self, client_for, school, dsl):
        provider = ProviderFactory(school=school, internal=True)
        assert (
            client_for(dsl).get(reverse("providers:safeguarding_letter", args=[provider.public_id])).status_code == 404
        )


class TestAuditReport:
    def test_it_contains_every_question_answer_concern_action_the_decision_and_sign_off(self, client_for, school, dsl):
        provider = ProviderFactory(school=school, name="Littleton Green Alternative Provision")
        audit = completed_audit(provider, dsl, visit_date=date(2026, 10, 14))
        answers = list(audit.answers.select_related("question").order_by("question__section__order", "question__order"))
        answers[2].concerns = "Two tutors' training certificates were missing."
        answers[2].save()
        further_action(audit, dsl, due_on=date(2026, 12, 1), blocking=True, number=3)

        response = client_for(dsl).get(reverse("audits:report", args=[audit.public_id]))
        assert response.status_code == 200
        assert_a4_without_attachments(response.content)
        text = pdf_text(response.content)
        for section in [
            "Safeguarding",
            "Quality of education",
            "Transition process and procedures",
            "Communication and information sharing",
        ]:
            assert section in text
        for number, answer in enumerate(answers, start=1):
            for line in answer.question.text.splitlines():
                assert _folded(line) in text, line
            assert f"{number}." in text
            assert answer.answer in text
        assert "Look at the complaints policy." in text
        assert "Two tutors' training certificates were missing." in text
        assert "See the new tutors' DBS certificates." in text and "Blocks placements until done" in text
        assert "Is this AP suitable for your pupil?" in text and "Yes" in text
        assert audit.reasons in text
        assert f"Signed off by {dsl.get_full_name()}, Designated Safeguarding Lead" in text
        assert "Date and time of visit 14/10/2026" in text
        assert AuditQuestion.objects.filter(section__bank=audit.bank).count() == len(answers) == 27

    def test_a_draft_report_says_it_is_a_draft(self, client_for, school, sendco):
        audit = AuditFactory(provider__school=school)
        text = pdf_text(client_for(sendco).get(reverse("audits:report", args=[audit.public_id])).content)
        assert "DRAFT" in text and "Not signed off: this is a draft." in text and "Not decided" in text
