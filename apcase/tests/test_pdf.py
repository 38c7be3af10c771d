"""The one PDF renderer: A4, tagged, and unable to read local files or reach the network."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from django.template import engines
from pypdf.generic import DictionaryObject

from apcase import pdf
from apcase.pdf import html_to_pdf, render_pdf
from apcase.tests.pdf import assert_a4_without_attachments, pdf_text, read_pdf


@pytest.fixture
def fetch_spy(monkeypatch):
    """Record every URL WeasyPrint asks the fetcher for, and every local file opened by path."""
    asked: list[str] = []
    weasyprint, fetcher_class, _fatal = pdf._weasyprint()
    original = fetcher_class.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf, "_weasyprint", lambda: (weasyprint, type("Spy", (fetcher_class,), {"fetch": spy}), _fatal))
    return asked


def test_it_renders_a_letter_on_a4_with_its_text(school):
    content = render_pdf(
        "letters/plain.html",
        {"school": school, "title": "Test letter", "date": date(2026, 1, 6), "paragraphs": ["Dear Ms Smith,"]},
    )
    reader = assert_a4_without_attachments(content)
    text = pdf_text(content)
    assert "Oakfield Primary School" in text
    assert "Dear Ms Smith," in text
    assert "6 January 2026" in text
    assert "Page 1 of 1" in text
    assert reader.metadata is not None and reader.metadata.title == "Test letter"
    assert "/StructTreeRoot" in reader.root_object  # tagged PDF (PDF/UA) for screen readers


def test_user_text_with_markup_is_printed_not_obeyed(school, fetch_spy):
    hostile = '<img src="file:///etc/passwd"><img src="http://169.254.169.254/"><link rel="stylesheet" href="file:///etc/passwd">'
    content = render_pdf(
        "letters/plain.html", {"school": school, "title": "Escaping", "date": date(2026, 1, 6), "paragraphs": [hostile]}
    )
    assert_a4_without_attachments(content)
    assert '<img src="file:///etc/passwd">' in pdf_text(content)
    assert fetch_spy == ["asset:print.css"]


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd" alt="">',
        '<img src="http://127.0.0.1:9/x.png" alt="">',
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        '<style>@import url("file:///etc/passwd");</style>',
        '<a rel="attachment" href="file:///etc/hostname">file</a>',
        '<a rel="attachment" href="http://127.0.0.1:9/secret">web</a>',
    ],
)
def test_raw_html_that_points_outside_fetches_nothing_and_embeds_nothing(markup, monkeypatch):
    opened: list[str] = []
    connections: list[object] = []
    real_open = open

    def watching_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    def no_network(self, address):
        connections.append(address)
        raise OSError("network use in a PDF render")

    monkeypatch.setattr("builtins.open", watching_open)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    content = html_to_pdf(f'<html lang="en-GB"><head><title>t</title></head><body><p>Body</p>{markup}</body></html>')
    assert_a4_without_attachments(content)
    assert not {"/etc/passwd", "/etc/hostname"} & set(opened)
    assert connections == []
    resources = read_pdf(content).pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject) and not resources.get("/XObject")  # no image was embedded


def test_a_relative_path_is_never_resolved(fetch_spy):
    content = html_to_pdf('<html><body><img src="/etc/passwd" alt=""><img src="../secret.png" alt=""></body></html>')
    assert_a4_without_attachments(content)
    assert fetch_spy == []


def test_data_urls_still_work_for_charts():
    svg = (
        "data:image/svg+xml;utf8,"
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"
    )
    content = html_to_pdf(f'<html><body><img src="{svg}" alt="chart"></body></html>')
    assert_a4_without_attachments(content)


def test_the_print_stylesheet_sets_a4_even_for_templates_from_strings(school):
    template = engines["django"].from_string(
        '<html><head><link rel="stylesheet" href="asset:print.css"></head><body>{{ x }}</body></html>'
    )
    content = html_to_pdf(template.render({"x": "Hello"}))
    assert "Hello" in pdf_text(content)
    assert_a4_without_attachments(content)


def test_every_page_footer_names_the_school_and_the_document(school):
    paragraphs = ["A long paragraph of text that fills the page. " * 40] * 6
    content = render_pdf(
        "letters/plain.html",
        {"school": school, "title": "Footer test", "date": date(2026, 1, 6), "paragraphs": paragraphs},
    )
    reader = read_pdf(content)
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"{school.name} · Footer test" in text
        assert f"Page {number} of {len(reader.pages)}" in text
