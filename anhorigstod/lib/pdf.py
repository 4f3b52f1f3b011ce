"""Rendering a template to PDF with WeasyPrint, offline.

Documents are rendered from templates we control, but they carry user-entered text; a
fetcher that refuses every URL except inline ``data:`` ones means no ``<img src>`` or
``url()`` in that text can make the server fetch a file or call the network (SSRF), and
rendering never waits on a remote host. Fonts come from the machine (fontconfig), so
templates name ``font-family: "DejaVu Sans", sans-serif`` and link nothing.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> tuple[str, bytes]:
    """Render ``template`` with ``context`` in the active language: ``(html, pdf)``.

    The HTML is returned too, so tests and previews can look at exactly what was printed.
    """
    # Imported here: WeasyPrint loads Pango and its fonts, which no web request needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return html, pdf
