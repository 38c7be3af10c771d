"""The one PDF renderer. Every letter and report goes through render_pdf().

User text reaches the HTML only through autoescaped Django templates, and the URL fetcher serves
data: URLs and a short allow-list of our own files — nothing from disk paths, the network or
relative URLs — so a letter can never disclose a local file or make a request (SSRF).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
# Files a letter template may reference as asset:<name>.
PDF_ASSETS: dict[str, Path] = {
    "print.css": STATIC_DIR / "print.css",
}


class PdfRenderError(Exception):
    """The document could not be rendered; the message says why."""


def _weasyprint():
    # Imported lazily: importing WeasyPrint costs ~0.7 s, which pages without PDFs should not pay.
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        """data: URLs and named local assets only; anything else is refused and logged."""

        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=5)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("asset:"):
                path = PDF_ASSETS.get(url.removeprefix("asset:"))
                if path is not None:
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            logger.warning("PDF fetch blocked: %s", url[:100])
            # A plain exception makes WeasyPrint skip the resource and go on rendering.
            raise ValueError(f"blocked fetch: {url[:100]}")

    return weasyprint, AssetFetcher, FatalURLFetchingError


def html_to_pdf(html: str) -> bytes:
    weasyprint, AssetFetcher, FatalURLFetchingError = _weasyprint()
    try:
        return weasyprint.HTML(string=html, base_url=None, url_fetcher=AssetFetcher()).write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:  # a BaseException: `except Exception` would miss it
        raise PdfRenderError(str(exc)) from None


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template under templates/letters/ to A4 PDF bytes."""
    html = render_to_string(template_name, context)
    return html_to_pdf(html)
