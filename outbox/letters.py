"""The printable post batch: for each letter, a cover sheet whose address shows through the
window of a DL envelope, followed by the letter exactly as stored (never rendered again)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from apcase.pdf import render_pdf
from outbox.models import Message


def post_batch_pdf(messages: list[Message]) -> bytes:
    writer = PdfWriter()
    for message in messages:
        cover = render_pdf("letters/post_cover.html", {"school": message.school, "message": message})
        writer.append(PdfReader(io.BytesIO(cover)))
        if message.document is not None:
            writer.append(PdfReader(io.BytesIO(message.document.read_bytes())))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
