"""The two PDFs of this app: the KCSIE confirmation request (docs/domain-rules.md#kcsie-confirmation) and the audit
report. Both are rendered on request: the request letter is a blank form the provider signs (the
signed copy is what the school keeps), and a signed-off audit never changes."""

from __future__ import annotations

from django.utils import timezone

from apcase.access import has_role
from apcase.models import Role, User
from apcase.pdf import render_pdf
from audits.models import Audit, Provider, SafeguardingConfirmation
from audits.selectors import audit_sections


def _signatory_position(user: User, provider: Provider) -> str:
    if has_role(user, provider.school_id, Role.DSL):
        return Role.DSL.label
    return Role.HEAD.label


def safeguarding_letter_pdf(*, provider: Provider, signatory: User) -> bytes:
    """The request letter, signed off by the DSL or head asking for it, with the reply form."""
    context = {
        "school": provider.school,
        "provider": provider,
        "main_site": provider.sites.filter(is_main=True).first(),
        "checks": [label for _field, label in SafeguardingConfirmation.CHECKS],
        "signatory_name": signatory.get_full_name() or signatory.username,
        "signatory_position": _signatory_position(signatory, provider),
        "date": timezone.localdate(),
        "title": "Confirmation of safeguarding checks",
    }
    return render_pdf("letters/safeguarding_request.html", context)


def audit_report_pdf(*, audit: Audit) -> bytes:
    """Every question, answer, evidence, concern and further action, the decision and sign-off."""
    context = {
        "school": audit.provider.school,
        "audit": audit,
        "provider": audit.provider,
        "main_site": audit.provider.sites.filter(is_main=True).first(),
        "sections": audit_sections(audit),
        "signed_off_position": _signatory_position(audit.signed_off_by, audit.provider) if audit.signed_off_by else "",
        "printed_at": timezone.localtime(),
        "title": f"Alternative provision audit: {audit.provider.name}",
    }
    return render_pdf("letters/audit_report.html", context)


def safeguarding_confirmation_signed_pdf(
    *, provider: Provider, statement: str, version: str, checks, typed_name, position, signed_at, signer, ip
) -> bytes:
    """The KCSIE confirmation as signed in the provider portal: the exact statement and its version,
    each check ticked or not, and the signature (typed name, position, date and time, address)."""
    context = {
        "school": provider.school,
        "provider": provider,
        "main_site": provider.sites.filter(is_main=True).first(),
        "statement": statement,
        "version": version,
        "checks": checks,
        "typed_name": typed_name,
        "position": position,
        "signed_at": signed_at,
        "signer": signer,
        "ip": ip,
        "title": "Confirmation of safeguarding checks (signed in apcase)",
    }
    return render_pdf("letters/safeguarding_signed.html", context)
