"""Who may open each provider and audit URL (see audits/permissions.py for the reasons).

The DSL, head and SENDCo see providers and audits; only the DSL and head sign off, check
registration and handle safeguarding confirmations; teachers, the office and governors get 403.
"""

from django.utils import timezone

from apcase.tests.access import Case, expect
from audits.tests.factories import (
    AuditFactory,
    ProviderFactory,
    ProviderSiteFactory,
    SafeguardingConfirmationFactory,
    completed_audit,
    further_action,
    pdf_upload,
)

VIEWERS = {"sendco": 200, "head": 200, "dsl": 200}
REDIRECTED_VIEWERS = {"sendco": 302, "head": 302, "dsl": 302}
SIGNATORIES = {"head": 200, "dsl": 200}
REDIRECTED_SIGNATORIES = {"head": 302, "dsl": 302}


def _provider(world, **fields):
    return ProviderFactory(school=world.school, **fields)


def _provider_id(world):
    return {"public_id": _provider(world).public_id}


def _provider_with_agreement(world):
    return {"public_id": _provider(world, agreement_document=pdf_upload("agreement.pdf")).public_id}


def _site(world):
    provider = _provider(world)
    ProviderSiteFactory(provider=provider)
    return {"public_id": ProviderSiteFactory(provider=provider, name="Forest school", is_main=False).public_id}


def _confirmation(world):
    return {"public_id": SafeguardingConfirmationFactory(provider=_provider(world)).public_id}


def _draft_audit(world):
    return AuditFactory(provider=_provider(world), auditor=world.users["dsl"])


def _draft_audit_id(world):
    return {"public_id": _draft_audit(world).public_id}


def _completed_audit_id(world):
    return {"public_id": completed_audit(_provider(world), world.users["dsl"]).public_id}


def _answer(world):
    return {"public_id": _draft_audit(world).answers.first().public_id}


def _action(world):
    audit = completed_audit(_provider(world), world.users["dsl"])
    return {"public_id": further_action(audit, world.users["dsl"], due_on=timezone.localdate()).public_id}


def _visit_data(world):
    return {"visit_date": timezone.localdate().strftime("%d/%m/%Y"), "auditor": str(world.users["dsl"].public_id)}


CASES = {
    "providers:detail": Case(_provider_id, expect(403, **VIEWERS)),
    "providers:edit": Case(_provider_id, expect(403, **VIEWERS)),
    "providers:history": Case(_provider_id, expect(403, **VIEWERS)),
    "providers:check_registration": Case(
        _provider_id,
        expect(403, **REDIRECTED_SIGNATORIES),
        method="post",
        data={"checked_on": timezone.localdate().strftime("%d/%m/%Y")},
    ),
    # Relying on another school's check is a signatory's decision; with no check named, back to the page.
    "providers:rely_on_check": Case(_provider_id, expect(403, **REDIRECTED_SIGNATORIES), method="post"),
    "providers:agreement": Case(_provider_with_agreement, expect(403, **VIEWERS)),
    "providers:site_new": Case(_provider_id, expect(403, **VIEWERS)),
    "providers:site_edit": Case(_site, expect(403, **VIEWERS)),
    "providers:site_delete": Case(_site, expect(403, **REDIRECTED_VIEWERS), method="post"),
    "providers:safeguarding_letter": Case(_provider_id, expect(403, **SIGNATORIES)),
    "providers:safeguarding_request_send": Case(
        _provider_id, expect(403, **dict.fromkeys(SIGNATORIES, 302)), method="post"
    ),
    "providers:confirmation_new": Case(_provider_id, expect(403, **SIGNATORIES)),
    "providers:confirmation_file": Case(_confirmation, expect(403, **VIEWERS)),
    "providers:audit_new": Case(_provider_id, expect(403, **VIEWERS)),
    "providers:action_done": Case(_action, expect(403, **REDIRECTED_VIEWERS), method="post"),
    "audits:detail": Case(_draft_audit_id, expect(403, **VIEWERS)),
    "audits:answer": Case(_answer, expect(403, **VIEWERS)),
    "audits:visit": Case(_draft_audit_id, expect(403, **REDIRECTED_VIEWERS), method="post", data=_visit_data),
    "audits:decision": Case(
        _draft_audit_id, expect(403, **REDIRECTED_VIEWERS), method="post", data={"suitable": "yes", "reasons": "Safe."}
    ),
    # Only the DSL or head may sign off; this draft is unanswered, so they are sent back to finish it.
    "audits:sign_off": Case(_draft_audit_id, expect(403, **REDIRECTED_SIGNATORIES), method="post"),
    "audits:correct": Case(_completed_audit_id, expect(403, **REDIRECTED_VIEWERS), method="post"),
    "audits:report": Case(_completed_audit_id, expect(403, **VIEWERS)),
    "audits:history": Case(_completed_audit_id, expect(403, **VIEWERS)),
}
