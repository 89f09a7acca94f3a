"""PDF documents for partners, drawn by WeasyPrint from an HTML template (no network: every resource is inline)."""
from __future__ import annotations

import re

from flask import Response


def _no_fetch(url: str, *args, **kwargs):
    # A document never reaches out: a stray link to a stylesheet or an image must not become a request.
    raise ValueError(f"documents load nothing from outside: {url}")


def pdf_response(html: str, filename: str) -> Response:
    """A download of `html` rendered to PDF."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    safe_name = re.sub(r"[^\w.\-]+", "-", filename, flags=re.ASCII).strip("-.") or "document.pdf"
    return Response(document, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{safe_name}"',
        "Cache-Control": "private, no-store",
    })
