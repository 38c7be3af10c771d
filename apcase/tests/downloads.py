"""What a download response says about itself: its type and the name it is saved under."""

from __future__ import annotations

from urllib.parse import unquote

from django.http import HttpResponseBase


def saved_as(response: HttpResponseBase, content_type: str = "application/pdf") -> str:
    """The UTF-8 file name of a download (RFC 5987 filename*), decoded, once the response is
    checked to be of the type expected."""
    assert response["Content-Type"] == content_type, response["Content-Type"]
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''" in disposition, disposition
    return unquote(disposition.split("filename*=utf-8''")[1])
