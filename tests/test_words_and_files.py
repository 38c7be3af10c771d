"""Forms, words and files (issue 13, D): what a user reads, downloads and types in says what it is,
once, in the right words."""

from __future__ import annotations

from datetime import date, datetime
from html import unescape

import pytest

from apcase.tests.downloads import saved_as
from placements.models import Placement
from reviews.tests.factories import ReviewMeetingFactory

S = Placement.Status


class TestDownloadNames:
    def test_the_parent_notice_is_named_for_the_pupil_and_the_day_it_was_issued(self, at, client_for, sendco):
        placement = at(S.NOTICE_ISSUED)
        response = client_for(sendco).get(f"/placements/{placement.public_id}/notice.pdf")
        issued_on = placement.notice.issued_on
        assert saved_as(response) == f"Parent notice – {placement.pupil.initials} – {issued_on:%Y-%m-%d}.pdf"

    def test_review_minutes_are_named_by_the_day_held(self, school, client_for, sendco, today):
        review = ReviewMeetingFactory(placement__pupil__school=school, held=True, held_on=date(2026, 11, 19))
        response = client_for(sendco).get(f"/reviews/{review.public_id}/minutes.pdf")
        initials = review.placement.pupil.initials
        assert saved_as(response) == f"Review minutes – {initials} – 2026-11-19.pdf"


class TestFormsAskTheRightWay:
    def test_dates_use_the_browsers_date_picker(self, at, client_for, sendco):
        placement = at(S.PLANNED)
        page = client_for(sendco).get(f"/placements/{placement.public_id}/edit/").content.decode()
        assert 'type="date" name="start_date" value="2026-11-30"' in page
        assert 'placeholder="dd/mm/yyyy"' not in page

    def test_a_date_typed_the_uk_way_is_still_read(self, at, client_for, sendco):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        data = {"outcome": "managed_move", "actual_end_date": "23/11/2026"}
        assert client_for(sendco).post(f"/placements/{placement.public_id}/end/", data).status_code == 302

    def test_the_cancel_page_never_offers_cancel_it_beside_cancel(self, at, client_for, sendco):
        page = client_for(sendco).get(f"/placements/{at(S.PLANNED).public_id}/cancel/").content.decode()
        assert "Cancel it" not in page and ">Cancel<" not in page
        assert ">Cancel the placement</button>" in page and ">Keep the placement</a>" in page

    def test_issuing_the_notice_asks_in_the_page(self, at, client_for, sendco):
        page = client_for(sendco).get(f"/placements/{at(S.APPROVED).public_id}/notice/").content.decode()
        assert '<details class="confirm-step">' in page and "Yes: issue the notice</button>" in page
        assert "data-confirm" not in page

    def test_no_native_confirm_is_left(self):
        from pathlib import Path

        assert "confirm(" not in Path("static/js/app.js").read_text()


class TestCopy:
    def test_a_tile_of_one_reads_in_the_singular(self):
        from dashboards.panels import Tile

        assert Tile("parent notices to issue", 1, "/").words == "parent notice to issue"
        assert Tile("parent notices to issue", 2, "/").words == "parent notices to issue"
        assert Tile("new Causes for Concern to review", 1, "/").words == "new Cause for Concern to review"
        assert Tile("current placements of pupils you teach", 1, "/").words == "current placement of pupils you teach"
        assert Tile("letters waiting to be posted or handed over", 1, "/").words == (
            "letter waiting to be posted or handed over"
        )

    def test_every_dashboard_tile_that_counts_things_has_a_singular(self):
        """Each role's tiles (the dashboards' own list of them) read right for a count of one: only a
        tile that counts no noun may read the same ("1 waiting for the head's decision")."""
        from dashboards.panels import singular
        from dashboards.tests.test_dashboards import TILES

        unchanged = {label for labels in TILES.values() for label in labels if singular(label) == label}
        assert unchanged == {"waiting for the head's decision"}

    @pytest.mark.parametrize(
        ("persona", "advice"),
        [
            ("office", "referrals and placement plans are for the SENDCo and the headteacher. Ask the SENDCo."),
            ("teacher", "Ask the SENDCo if you need to know more about a pupil."),
            ("governor", "Governors see the governors' report, not pupils' records."),
        ],
    )
    def test_the_403_page_advises_for_the_role(self, persona, advice, at, client_for, request):
        placement = at(S.PLANNED)
        response = client_for(request.getfixturevalue(persona)).get(f"/placements/{placement.public_id}/edit/")
        page = unescape(response.content.decode())
        assert response.status_code == 403 and advice in page
        assert page.count("does not allow this") == 1
        assert "ask your headteacher or school office" not in page

    def test_the_head_is_not_told_to_ask_the_headteacher(self):
        from apcase.models import Role
        from apcase.views import access_advice

        assert "headteacher" not in access_advice({Role.HEAD, Role.SENDCO})
        assert access_advice({Role.SENDCO}).endswith("Ask the headteacher.")

    def test_internal_ap_is_capitalised_wherever_the_app_says_it(self):
        """ "Internal AP" is the provision's name (IAP): templates and the strings the code shows
        (its docstrings and comments aside) never say "internal AP"."""
        import ast
        from pathlib import Path

        apps = ["apcase", "pupils", "outbox", "audits", "placements", "reviews", "provider_portal", "dashboards",
                "reports", "reminders", "demo", "oversight"]  # fmt: skip
        found = [str(path) for path in Path("templates").rglob("*.*") if "internal AP" in path.read_text()]
        for path in (p for app in apps for p in Path(app).rglob("*.py") if "tests" not in p.parts):
            tree = ast.parse(path.read_text())
            docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
            found += [
                f"{path}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and "internal AP" in node.value
            ]
        assert found == []

    def test_the_k_code_says_once_that_it_is_not_for_the_schools_placements(self, at, client_for, office):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        page = client_for(office).get(f"/placements/{placement.public_id}/attendance/").content.decode()
        assert page.count("the school arranges") == 1


class TestLettersGreetAParentByTitleAndSurname:
    """D3: every letter and e-mail to a parent opens through apcase.greetings.greeting."""

    def test_the_notice_and_its_emails_greet_each_parent_as_recorded(self, at, pupil, sendco):
        from apcase.tests.pdf import pdf_text
        from placements.services import parent_notice_issue
        from pupils.tests.factories import ContactFactory

        pupil.contacts.update(title="Mrs", email="donna@example.org")
        ContactFactory(pupil=pupil, name="Lee Clarke", email="lee@example.org", priority=2)
        placement = at(S.APPROVED)
        notice = parent_notice_issue(actor=sendco, placement=placement, method="email")
        text = pdf_text(notice.document.read_bytes())
        assert "Dear Mrs Clarke," in text and "Dear Lee Clarke," in text
        bodies = {m.recipient_email: m.body for m in placement.pupil.messages.all()}
        assert bodies["donna@example.org"].startswith("Dear Mrs Clarke,\n")
        assert bodies["lee@example.org"].startswith("Dear Lee Clarke,\n")

    def test_the_agreement_letter_greets_the_parent_by_title(self, school, sendco, head, client_for, today):
        from apcase.tests.pdf import pdf_text
        from placements.services import parent_agreement_record
        from placements.tests.cases import internal_provider, placement_at, pupil_with_parent

        pupil = pupil_with_parent(school)
        pupil.contacts.update(title="Ms")
        fields = {"pupil": pupil, "provider": internal_provider(school), "directed_off_site": False}
        placement = placement_at(S.PLANNED, sendco=sendco, head=head, **fields)
        parent_agreement_record(actor=sendco, placement=placement, response="agreed", given_by="Donna Clarke",
                                given_on=today, method="meeting")  # fmt: skip
        response = client_for(sendco).get(f"/placements/{placement.public_id}/agreement.pdf")
        assert "Dear Ms Clarke," in pdf_text(response.content)

    def test_the_contact_form_takes_the_title(self, pupil, client_for, sendco):
        contact = pupil.contacts.get()
        data = {"title": "Dr", "name": contact.name, "relationship": "mother", "priority": 1,
                "phone": "07700 900000", "preferred_method": "phone"}  # fmt: skip
        response = client_for(sendco).post(f"/pupils/contacts/{contact.public_id}/edit/", data)
        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.greeting == "Dear Dr Clarke"


class TestNotifications:
    def test_they_carry_the_time_of_their_event_and_name_the_pupil_as_the_reader_may(self, at, sendco, dsl):
        from django.utils import timezone

        from placements.services import placement_incident_record

        placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
        happened = timezone.make_aware(datetime(2026, 11, 18, 13, 40))
        placement_incident_record(
            actor=sendco,
            placement=placement,
            occurred_at=happened,
            severity="serious",
            description="Left the site.",
            actions_taken="Found at the bus stop.",
            reported_by="Ms Jo Whitfield",
            safeguarding_concern=True,
        )
        note = dsl.notifications.get(kind="safeguarding_concern")
        pupil = placement.pupil
        assert note.created_at == happened
        assert note.title == f"Safeguarding concern reported at AP for {pupil.initials}"  # what e-mails say
        assert note.shown_title == f"Safeguarding concern reported at AP for {pupil.display_name}"
