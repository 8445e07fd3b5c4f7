"""HTML to PDF with WeasyPrint, for reports people print or hand on (no network access)."""

from __future__ import annotations

from typing import Any


class PdfRenderingError(RuntimeError):
    """WeasyPrint produced no page: the report would be an empty file."""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Reports are self-contained; refuse every URL so no text can make the server fetch.
    raise ValueError(f"external resources are not loaded in reports: {url}")


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document; checked to have at least one page."""
    from weasyprint import HTML  # imported on use: loading Pango takes a moment

    document = HTML(string=html, url_fetcher=_no_fetch).render()
    if not document.pages:
        raise PdfRenderingError("the report rendered to no page")
    pdf: bytes = document.write_pdf()
    return pdf
