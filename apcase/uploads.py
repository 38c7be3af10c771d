"""Uploaded evidence: checked by content as well as name, stored under random names outside any
served directory, and streamed back only by views that have checked permission first."""

from __future__ import annotations

import uuid
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible

# extension -> MIME type the file's own bytes must show
ALLOWED_UPLOADS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ALLOWED_DESCRIPTION = "PDF, Word (.docx), PNG or JPEG"


def validate_upload(file) -> None:
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; the largest allowed is "
            f"{filesizeformat(settings.UPLOAD_MAX_BYTES)}."
        )
    extension = PurePath(file.name).suffix.lower().lstrip(".")
    expected = ALLOWED_UPLOADS.get(extension)
    if expected is None:
        raise ValidationError(f"Upload a {ALLOWED_DESCRIPTION} file.")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8192)
    file.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime != expected:
        raise ValidationError(
            f"This file's contents are not a real .{extension} file. Upload a {ALLOWED_DESCRIPTION} file."
        )


@deconstructible
class PrivateUploadTo:
    """upload_to that keeps only the extension of the user's file name."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()[:6]
        return f"{self.prefix}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


def private_file_response(field_file, download_name: str) -> FileResponse:
    """Stream a stored file as a download; never rendered inline by the browser."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
