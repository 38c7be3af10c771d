"""Every e-mail is a triplet of templates: emails/<name>-subject.txt, -body.txt and -body.html.

E-mails leave the school's systems, so they carry a pupil's initials and a link, never detail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def render_plain_text(template_name: str, context: dict) -> str:
    """A subject or text/plain body: rendered without HTML escaping, because no mail program reads
    it as HTML ("F.R.'s", not "F.R.&#x27;s"). Only the -body.html part is escaped, and a subject
    cannot carry a line break into the headers (email_send joins it onto one line; Django refuses
    newlines in headers)."""
    return Engine.get_default().get_template(template_name).render(Context(context, autoescape=False))


def email_send(*, to: list[str], template: str, context: dict) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_plain_text(f"emails/{template}-subject.txt", context).split())
    text = render_plain_text(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()
