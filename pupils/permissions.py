"""Who may do what with pupils, referrals and approvals (rules; autodiscovered).

Tenancy comes first: a record of a school where the user holds no role is a 404 before any rule
here is asked (apcase.access). These rules decide, inside the school, between 200 and 403.
List pages filter further in pupils.selectors with the same reasoning.

Pupils
- SENDCo, headteacher, DSL and office see every pupil of their school: they run cases,
  safeguarding and the roll.
- A teacher may find any pupil on roll when raising a concern (name, year and class only), but
  opens the profile only of pupils they are class teacher or key adult for.
- Governors never see a pupil (aggregates only, in reports).
- The roll itself (add, edit, contacts, CSV import) is kept by the office, SENDCo and head. The
  DSL reads it but does not edit it: the roll has one set of keepers.
- The change history of a pupil shows past addresses and contacts, so it is for the people
  who keep or safeguard the record, not for class teachers.

Referrals (Cause for Concern)
- Teachers see the referrals they raised, and their outcome; SENDCo and head see all of their
  school's (drafts too, marked as drafts: the chronology already says one was started); the
  DSL sees those flagged with a safeguarding concern; office and governors none.
- The SENDCo's review and the parents' meeting (family detail) are for leaders and, on flagged
  referrals, the DSL: the referring teacher sees the outcome, not the family's views.
- Only the author edits the form, and only while it is a draft; only the author submits it.
- The SENDCo reviews and asks for the head's decision; SENDCo or head may meet the parents.
- The author or a leader (SENDCo, head) may withdraw a referral that is not yet decided.

Approvals
- Requesting (SENDCo, head) and deciding (head, including a trust-wide head) are different
  permissions; the services also refuse anyone deciding their own request.
"""

from __future__ import annotations

import rules
from django.db.models import prefetch_related_objects

from apcase.permissions import is_dsl, is_head, is_leader, is_office, is_sendco, is_teacher


@rules.predicate
def teaches_pupil(user, pupil) -> bool:
    """Class teacher or key adult. The key adults are loaded once per pupil object, and only when a
    rule gets this far (a leader's rules decide before), so views need not prefetch them."""
    if pupil is None:
        return False
    if pupil.class_teacher_id == user.pk:
        return True
    prefetch_related_objects([pupil], "key_adults")  # no query when already prefetched
    return any(adult.pk == user.pk for adult in pupil.key_adults.all())


@rules.predicate
def is_referral_author(user, referral) -> bool:
    return referral is not None and referral.raised_by_id == user.pk


@rules.predicate
def is_flagged_for_safeguarding(user, referral) -> bool:
    return referral is not None and referral.safeguarding_concern


@rules.predicate
def is_draft(user, referral) -> bool:
    return referral is not None and referral.status == "draft"


keeps_the_roll = is_leader | is_office
can_raise_concerns = is_teacher | is_leader | is_dsl

# Pupils
rules.add_perm("pupils.list_pupils", keeps_the_roll | is_dsl | is_teacher)  # teachers: their own pupils
rules.add_perm("pupils.view_pupil", keeps_the_roll | is_dsl | (is_teacher & teaches_pupil))
rules.add_perm("pupils.add_pupil", keeps_the_roll)
rules.add_perm("pupils.change_pupil", keeps_the_roll)
rules.add_perm("pupils.import_pupils", keeps_the_roll)
rules.add_perm("pupils.view_pupil_history", keeps_the_roll | is_dsl)
rules.add_perm("pupils.find_pupil_for_referral", can_raise_concerns)

# Referrals
rules.add_perm("pupils.list_referrals", can_raise_concerns)
rules.add_perm("pupils.add_referral", can_raise_concerns)
rules.add_perm("pupils.view_referral", is_referral_author | is_leader | (is_dsl & is_flagged_for_safeguarding))
rules.add_perm("pupils.view_referral_review", is_leader | (is_dsl & is_flagged_for_safeguarding))
rules.add_perm("pupils.change_referral", is_referral_author & is_draft)
rules.add_perm("pupils.submit_referral", is_referral_author)
rules.add_perm("pupils.review_referral", is_sendco)
rules.add_perm("pupils.record_parent_meeting", is_leader)
rules.add_perm("pupils.withdraw_referral", is_referral_author | is_leader)
rules.add_perm("pupils.add_referral_evidence", is_referral_author | is_leader)
rules.add_perm("pupils.view_referral_history", is_leader)

# Approvals
rules.add_perm("pupils.request_approval", is_leader)
rules.add_perm("pupils.decide_approval", is_head)

# Privacy duties (UK GDPR): who has opened a record, subject access, end of retention.
# The access log and a subject access export are for the leaders who answer to the family and
# the ICO; anonymising at the end of retention is for the head and the office who keep the roll.
rules.add_perm("pupils.view_access_log", is_leader)
rules.add_perm("pupils.export_subject_access", is_leader)
rules.add_perm("pupils.review_retention", is_head | is_office)
rules.add_perm("pupils.anonymise_pupil", is_head | is_office)
