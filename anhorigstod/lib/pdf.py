"""Rendering a template to PDF with WeasyPrint, offline.

Documents are rendered from templates we control, but they carry user-entered text; a
fetcher that refuses every URL except inline ``data:`` ones means no ``<img src>`` or
``url()`` in that text can make the server fetch a file or call the network (SSRF), and
rendering never waits on a remote host. Fonts come from the machine (fontconfig), so
templates name ``font-family: "DejaVu Sans", sans-serif`` and link nothing.

Every document is tagged PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant: a structure tree
for headings, tables and lists, the language and the title in the metadata), because the
follow-up reports go to the nämnd and are published, and the register extract goes to
the carer: both must be readable with a screen reader (DOS-lagen). A template must
therefore give ``<html lang>`` and a ``<title>``.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

# PDF/UA-1: tagged, PDF 1.7, with the title shown instead of the file name.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, context: dict[str, Any]) -> tuple[str, bytes]:
    """Render ``template`` with ``context`` in the active language: ``(html, pdf)``.

    The HTML is returned too, so tests and previews can look at exactly what was printed.
    """
    # Imported here: WeasyPrint loads Pango and its fonts, which no web request needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return html, pdf
