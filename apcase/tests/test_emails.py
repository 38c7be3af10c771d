"""E-mail subjects and plain-text bodies show text as written (issue 14, finding 9): "F.R.'s",
never "F.R.&#x27;s". The HTML part stays escaped."""

from __future__ import annotations

from apcase.emails import email_send
from apcase.models import Notification

TITLE = 'F.R.\'s review is due <soon> & "today"'


def test_the_subject_and_text_body_are_plain_text_and_the_html_is_escaped(smtp, sendco):
    note = Notification(user=sendco, title=TITLE, body="Tom & Jerry's notes")
    email_send(to=["a@school.example"], template="notification", context={"user": sendco, "notification": note})
    [message] = smtp.received
    assert message["Subject"] == f"apcase: {TITLE}"
    text = message.get_body(("plain",)).get_content()
    assert TITLE in text and "Tom & Jerry's notes" in text and "&#x27;" not in text and "&amp;" not in text
    html = message.get_body(("html",)).get_content()
    assert "F.R.&#x27;s review is due &lt;soon&gt; &amp;" in html
