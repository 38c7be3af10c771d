"""Helpers for asserting on real PDFs with pypdf (never on bytes)."""

from __future__ import annotations

import io

from pypdf import PdfReader

A4_POINTS = [0, 0, 595, 842]


def read_pdf(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-"), "not a PDF"
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """All text, with runs of whitespace folded so assertions survive line wrapping."""
    reader = read_pdf(content)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assert_a4_without_attachments(content: bytes) -> PdfReader:
    reader = read_pdf(content)
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == A4_POINTS
        annotations = page.get("/Annots") or []
        subtypes = {annotation.get_object().get("/Subtype") for annotation in annotations}
        assert "/FileAttachment" not in subtypes
    assert not reader.attachments
    return reader
