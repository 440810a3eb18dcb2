"""PDFs from HTML, in one place: the only module that imports WeasyPrint.

Safe with text from users: templates auto-escape it, and whatever HTML reaches WeasyPrint can fetch
only our own static files (`<base_url>static/…`) and `data:` URLs; `file://`, `http(s)://` elsewhere
and every other scheme are refused, so a PDF can never read the server's files or call out. A bundled
font (DejaVu Sans, static/fonts/) is embedded: WeasyPrint ignores @font-face unless the same
FontConfiguration is given to both the stylesheet and write_pdf. PDF/A-3a: archival and tagged.
"""

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

logger = logging.getLogger("dgr.pdf")

PDF_VARIANT = "pdf/a-3a"


def _static_path(relative: str) -> str | None:
    relative = posixpath.normpath(unquote(relative)).lstrip("/")
    if relative.startswith("..") or "\\" in relative:
        return None
    found = finders.find(relative)
    if found:
        return found
    try:  # production: collected into STATIC_ROOT (no finders for app directories needed)
        path = staticfiles_storage.path(relative)
    except NotImplementedError:  # pragma: no cover - a storage without local files
        return None
    import os

    return path if os.path.isfile(path) else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class StaticOnlyFetcher(URLFetcher):
        """Serves `<base_url>static/…` from our static files and `data:` URLs; refuses the rest."""

        def __init__(self, base_url: str):
            super().__init__(allowed_protocols=["data"])
            split = urlsplit(base_url)
            self.origin = (split.scheme, split.netloc)
            self.static_prefix = (
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
            )
            self.fetched: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            split = urlsplit(url)
            if (split.scheme, split.netloc) == self.origin and split.path.startswith(self.static_prefix):
                path = _static_path(split.path[len(self.static_prefix) :])
                if path:
                    self.fetched.append(url)
                    with open(path, "rb") as file:
                        body = file.read()
                    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
            self.refused.append(url)
            logger.warning("PDF: refused to fetch %s", url[:200])
            raise URLFetchingError(f"DGR PDFs fetch only their own static files, not {url[:80]}")

    return StaticOnlyFetcher


def static_only_fetcher(base_url: str):
    return _fetcher_class()(base_url)


def render_pdf(html: str, *, base_url: str, fetcher=None) -> bytes:
    """HTML → PDF bytes. `base_url` is the site's root (`request.build_absolute_uri("/")`); templates
    link the stylesheet as `static/css/pdf.css` relative to it. Pass `fetcher` to inspect what was
    fetched (tests)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = fetcher or static_only_fetcher(base_url)
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    stylesheet = CSS(
        url=base_url.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/css/pdf.css",
        url_fetcher=fetcher,
        font_config=font_config,
    )
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT)


def worker_base_url() -> str:
    """The base of a PDF rendered by the worker, outside any request: it only resolves our own static
    files (the fetcher reads them from disk)."""
    return (settings.DGR_BASE_URL or "http://localhost").rstrip("/") + "/"


def pdf_response(request, template: str, context: dict, filename: str, *, finish=None):
    """A PDF rendered from a template in Swedish, as a download: the one way pages offer their PDFs
    (minutes, notices, excerpts, the report of delegated decisions). `finish(pdf) -> pdf` is applied last
    (signed minutes get their seal)."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from core.language import in_swedish

    with in_swedish():
        html = render_to_string(template, {**context, "generated_at": timezone.localtime()}, request=request)
        pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    return pdf_download(finish(pdf) if finish else pdf, filename)


def pdf_download(pdf: bytes, filename: str):
    """PDF bytes made already (a notice, the same file its members got by mail) as a download."""
    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
