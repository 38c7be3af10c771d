from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from pupils.models import Contact, ParentMeeting, Pupil, SenProvision
from pupils.tests.factories import ContactFactory, ParentMeetingFactory, PupilFactory, make_upn
from pupils.upn import upn_is_temporary, validate_upn

VALID = "B801200005001"  # python-stdnum's own example


class TestUpn:
    def test_it_accepts_a_valid_upn_in_any_case_and_spacing(self):
        validate_upn(VALID)
        validate_upn(" b801 2000 05001 ")
        validate_upn(make_upn(42))

    def test_it_names_a_wrong_check_letter_without_suggesting_a_fix(self):
        with pytest.raises(ValidationError) as error:
            validate_upn("A801200005001")
        assert error.value.code == "upn_check_letter"
        assert "check letter A does not match" in error.value.messages[0]
        assert "B" not in error.value.messages[0]  # the "right" letter is not offered

    def test_it_accepts_a_temporary_upn_ending_in_a_letter(self):
        upn = make_upn(7, temporary=True)
        assert upn[-1] == "A"
        validate_upn(upn)
        assert upn_is_temporary(upn)
        assert not upn_is_temporary(VALID)

    def test_it_refuses_a_temporary_upn_whose_check_letter_is_wrong(self):
        upn = make_upn(7, temporary=True)
        wrong = ("C" if upn[0] != "C" else "D") + upn[1:]
        with pytest.raises(ValidationError, match="check letter"):
            validate_upn(wrong)

    @pytest.mark.parametrize(
        ("upn", "letters"), [("B80120000500I", "I"), ("O801200005001", "O"), ("S80120000S001", "S")]
    )
    def test_it_explains_that_i_o_and_s_are_never_used(self, upn, letters):
        with pytest.raises(ValidationError) as error:
            validate_upn(upn)
        assert error.value.code == "upn_letters"
        assert f"has {letters}" in error.value.messages[0]
        assert "1, 0 or 5" in error.value.messages[0]

    @pytest.mark.parametrize("upn", ["B80120000500", "B8012000050012", ""])
    def test_it_says_how_many_characters_there_are(self, upn):
        with pytest.raises(ValidationError, match=f"this one has {len(upn)}") as error:
            validate_upn(upn)
        assert error.value.code == "upn_length"

    def test_it_names_an_unknown_local_authority_code(self):
        with pytest.raises(ValidationError, match="000 is not a known one") as error:
            validate_upn("E000200005001")
        assert error.value.code == "upn_la_code"

    def test_it_refuses_letters_in_the_middle(self):
        with pytest.raises(ValidationError) as error:
            validate_upn("X80120000A001")
        assert error.value.code == "upn_format"


@pytest.mark.django_db
class TestPupil:
    def test_names_initials_and_age(self, school):
        pupil = PupilFactory(
            school=school,
            legal_first_name="Jonathan",
            legal_last_name="smith",
            preferred_first_name="Jon",
            date_of_birth=date(2016, 11, 24),
        )
        assert pupil.display_name == "Jon smith"
        assert pupil.full_name == "Jonathan smith"
        assert pupil.initials == "J.S."
        assert pupil.age_on(date(2026, 11, 23)) == 9
        assert pupil.age_on(date(2026, 11, 24)) == 10

    def test_has_ehcp_follows_the_sen_provision_code(self, school):
        assert PupilFactory(school=school, sen_provision="E", primary_need="ASD").has_ehcp
        assert not PupilFactory(school=school, sen_provision="K", primary_need="SEMH").has_ehcp

    def test_the_upn_is_unique_across_every_school(self, school, other_school):
        PupilFactory(school=school, upn=VALID)
        with pytest.raises(IntegrityError):
            PupilFactory(school=other_school, upn=VALID)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"sen_provision": SenProvision.NONE, "primary_need": "SEMH"}, "primary_need"),
            ({"sen_provision": SenProvision.SUPPORT, "primary_need": ""}, "primary_need"),
            ({"sen_provision": SenProvision.EHCP, "primary_need": "ASD", "ehcp_pathway": "requested"}, "ehcp_pathway"),
            ({"admission_date": date(2015, 1, 1)}, "admission_date"),
            ({"leaving_date": date(2019, 1, 1)}, "leaving_date"),
            ({"date_of_birth": date(2099, 1, 1)}, "date_of_birth"),
        ],
    )
    def test_clean_refuses_inconsistent_records(self, school, changes, field):
        pupil = PupilFactory.build(school=school, **changes)
        with pytest.raises(ValidationError) as error:
            pupil.full_clean()
        assert field in error.value.message_dict

    def test_on_roll_excludes_pupils_who_have_left(self, school):
        staying = PupilFactory(school=school)
        PupilFactory(school=school, leaving_date=date(2025, 7, 22))
        assert list(Pupil.objects.on_roll()) == [staying]


@pytest.mark.django_db
def test_a_contact_not_to_be_contacted_needs_a_reason(school):
    contact = ContactFactory.build(pupil=PupilFactory(school=school), do_not_contact=True)
    with pytest.raises(ValidationError, match="Say why"):
        contact.full_clean()
    contact.do_not_contact_reason = "Court order"
    contact.full_clean()


@pytest.mark.django_db
def test_a_contact_reached_by_email_needs_an_address(school):
    contact = ContactFactory.build(pupil=PupilFactory(school=school), preferred_method=Contact.Method.EMAIL)
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "email" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_an_exclusion_alternative_not_made_clear(school):
    with pytest.raises(IntegrityError):
        ParentMeetingFactory(referral__pupil__school=school, alternative_to_exclusion=True, made_clear_to_parents=False)


def test_the_meeting_rule_in_clean_matches_the_database_rule():
    meeting = ParentMeeting(alternative_to_exclusion=True, made_clear_to_parents=False)
    with pytest.raises(ValidationError) as error:
        meeting.clean()
    assert "made_clear_to_parents" in error.value.message_dict


def test_a_meetings_mistakes_are_named_together():
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(days=1)
    meeting = ParentMeeting(alternative_to_exclusion=True, made_clear_to_parents=False, held_at=later)
    with pytest.raises(ValidationError) as error:
        meeting.clean()
    assert set(error.value.message_dict) == {"made_clear_to_parents", "held_at"}
