"""Who each kind of review meeting invites by default (the SENDCo edits the list when arranging it).

- Half-termly progress review: the AP lead with the provider (docs/domain-rules.md#review-cadence).
- Termly agreement review: with the parents and the provider (docs/domain-rules.md#review-cadence).
- Weekly IAP review: the reintegration plan with the pupil, staff and parents (docs/domain-rules.md#review-cadence).
- Formal review: headteacher, AP lead, pupil, parents and provider (docs/domain-rules.md#formal-reviews).
- Requested review, final review before return and review after a serious incident: the
  headteacher joins the AP lead, the family and the provider (docs/domain-rules.md#roles: the headteacher decides
  on serious incidents and obtains the final report).
Where the pupil has an EHC plan, the local authority is invited to the reviews of the placement
with the family (IPSEA: "the LA has to be invited to reviews").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apcase.models import Role, User
from pupils.services import staff_of
from reviews.models import ReviewMeeting, ReviewParticipant

K = ReviewMeeting.Kind
HEAD, CLASS_TEACHER, PUPIL, PARENTS, PROVIDER, LA = "head", "class_teacher", "pupil", "parents", "provider", "la"
INVITED: dict[str, set[str]] = {
    K.HALF_TERMLY: {PROVIDER},
    K.TERMLY: {PARENTS, PROVIDER, LA},
    K.IAP_WEEKLY: {CLASS_TEACHER, PUPIL, PARENTS},
    K.FORMAL: {HEAD, PUPIL, PARENTS, PROVIDER, LA},
    K.REQUESTED: {HEAD, PARENTS, PROVIDER, LA},
    K.FINAL: {HEAD, CLASS_TEACHER, PUPIL, PARENTS, PROVIDER, LA},
    K.INCIDENT: {HEAD, PARENTS, PROVIDER},
}


NOBODY_INVITED = "Invite at least one person."


@dataclass
class Invitees:
    staff: list[User] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    pupil: bool = False
    provider: str = ""
    local_authority: str = ""
    others: list[str] = field(default_factory=list)

    def outside_school(self, pupil_name: str) -> list[tuple[str, str]]:
        """Everyone invited who is not school staff, as (role, name) for review_schedule."""
        P = ReviewParticipant.Role
        people = [(P.PARENT, name) for name in self.parents]
        if self.pupil:
            people.append((P.PUPIL, pupil_name))
        people += [(P.PROVIDER, self.provider), (P.LOCAL_AUTHORITY, self.local_authority)]
        people += [(P.OTHER, name) for name in self.others]
        return [(role, name.strip()) for role, name in people if name.strip()]


def default_invitees(review: ReviewMeeting) -> Invitees:
    placement, pupil, school = review.placement, review.placement.pupil, review.school
    invited = INVITED[review.kind]
    # The placement's school contact is its AP lead; without one, the school's SENDCos.
    contact = placement.school_contact
    staff = [contact] if contact is not None else list(staff_of(school, [Role.SENDCO]))
    if HEAD in invited:
        staff += [head for head in staff_of(school, [Role.HEAD]) if head not in staff]
    teacher = pupil.class_teacher
    if CLASS_TEACHER in invited and teacher is not None and teacher not in staff:
        staff.append(teacher)
    provider = placement.provider
    who = provider.contact_name or provider.lead_staff_name
    return Invitees(
        staff=staff,
        parents=[
            contact.name
            for contact in pupil.contacts.all()
            if contact.parental_responsibility and not contact.do_not_contact
        ]
        if PARENTS in invited
        else [],
        pupil=PUPIL in invited,
        provider=f"{who}, {provider.name}" if who and PROVIDER in invited else "",
        local_authority=school.la_send_contact if LA in invited and pupil.has_ehcp else "",
    )


def invitees_of(review: ReviewMeeting) -> Invitees:
    """The invitation list as it stands, in the same shape (to edit an arranged meeting)."""
    invitees = Invitees()
    P = ReviewParticipant.Role
    for participant in review.participants.all():
        if participant.role == P.STAFF:
            invitees.staff.append(participant.user)
        elif participant.role == P.PARENT:
            invitees.parents.append(participant.name)
        elif participant.role == P.PUPIL:
            invitees.pupil = True
        elif participant.role == P.PROVIDER:
            invitees.provider = participant.name
        elif participant.role == P.LOCAL_AUTHORITY:
            invitees.local_authority = participant.name
        else:
            invitees.others.append(participant.name)
    return invitees
