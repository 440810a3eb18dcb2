"""The crawl the issue demands: every public URL, as an anonymous reader, after seeding what must never be
public with unique marker texts. Every page answers 200 and no marker appears anywhere."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.public.conftest import MARKERS

PREFIX = "/offentligt/"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HREF = re.compile(r'href="([^"#]*)')


def _text(response) -> str:
    """What a reader could read in the response: the text, and a PDF's extracted text as well."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if response["Content-Type"] == "application/pdf" and shutil.which("pdftotext"):
        pdftotext = shutil.which("pdftotext")
        extracted = subprocess.run([pdftotext, "-", "-"], input=body, capture_output=True, check=False)  # noqa: S603
        text += extracted.stdout.decode("utf-8", errors="replace")
    return text


def _sitemap_urls(client) -> list[str]:
    response = client.get(reverse("public:sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    return [urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


@pytest.mark.django_db
def test_crawl_of_every_public_url_finds_no_marker(public_world):
    client = Client()
    start = _sitemap_urls(client)
    api_schema = client.get(reverse("public-api:openapi-json")).json()
    cycle = public_world["cycle"]
    api_urls = [
        path.format(year=cycle.registration_year, serial=cycle.registration_serial)
        for path in api_schema["paths"]
    ]
    queue = [*start, *api_urls, reverse("public:feed"), reverse("public-api:openapi-json")]
    seen: dict[str, str] = {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        # Pages are the same for everyone and set no cookie; the check page's upload form alone needs
        # its CSRF cookie.
        assert not response.cookies or url == reverse("archive:verify"), f"{url} sets a cookie"
        text = _text(response)
        seen[url] = text
        for name, marker in MARKERS.items():
            assert marker not in text, f"{name} marker on {url}"
        if response["Content-Type"].startswith("text/html"):
            for href in HREF.findall(text):
                path = urlsplit(urljoin(url, href.replace("&amp;", "&")))
                if not path.netloc and path.path.startswith(PREFIX):
                    queue.append(path.path)
    # The crawl reached every kind of public page, the downloads included.
    for name, args in [
        ("public:fund", []),
        ("public:initiative-detail", [cycle.registration_year, cycle.registration_serial]),
        ("public:minutes-detail", [public_world["signed"].pk]),
        ("public:minutes-pdf", [public_world["signed"].pk]),
        ("public:notice-detail", [public_world["unsigned"].pk]),
        ("public:report-download", [public_world["archived"].pk]),
        ("public:dataset-csv", ["initiativ"]),
        ("public:privacy", []),
        ("public:personal-data", []),
    ]:
        assert reverse(name, args=args) in seen, name
    paragraph = public_world["paragraph"]
    assert reverse("public:paragraph-pdf", args=["varmlandsradet", paragraph.year, paragraph.number]) in seen
    # What is public is there: the signed minutes name their adjuster, the initiative its money and outcome.
    minutes = seen[reverse("public:minutes-detail", args=[public_world["signed"].pk])]
    assert "Jenny Justerare" in minutes
    detail = seen[
        reverse("public:initiative-detail", args=[cycle.registration_year, cycle.registration_serial])
    ]
    assert "Stråket är projekterat." in detail
    assert "Arvika" in detail  # a co-sponsoring party
    # Unsigned minutes, a draft and an initiative only in preparation are not even linked.
    assert reverse("public:minutes-detail", args=[public_world["unsigned"].pk]) not in seen
    assert public_world["bus"].title not in seen[reverse("public:initiative-list")]
    assert "Gemensam kollektivtrafikapp" not in seen[reverse("public:initiative-list")]


@pytest.mark.django_db
def test_what_is_not_published_answers_not_found(public_world):
    client = Client()
    bus, unsigned = public_world["bus"], public_world["unsigned"]
    for url in (
        reverse("public:minutes-detail", args=[unsigned.pk]),
        reverse("public:minutes-pdf", args=[unsigned.pk]),
        reverse("public:initiative-detail", args=[bus.registration_year, bus.registration_serial]),
        reverse(
            "public-api:initiative", kwargs={"year": bus.registration_year, "serial": bus.registration_serial}
        ),
        reverse("public:dataset-csv", args=["personer"]),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_the_api_describes_its_endpoints_and_licence(public_world):
    client = Client()
    schema = client.get(reverse("public-api:openapi-json")).json()
    assert set(schema["paths"]) == {
        "/offentligt/api/fonden",
        "/offentligt/api/initiativ",
        "/offentligt/api/initiativ/{year}/{serial}",
        "/offentligt/api/stallningstaganden",
        "/offentligt/api/sammantraden",
        "/offentligt/api/arsrapporter",
    }
    assert schema["info"]["license"]["name"] == "CC0 1.0"
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    initiatives = client.get("/offentligt/api/initiativ").json()
    [cycle] = initiatives
    assert cycle["registration_number"] == public_world["cycle"].registration_number
    assert cycle["granted"] == "3000000.00"
    assert cycle["disbursed"] == "1700000.25"  # 2026 and the open 2027
    assert cycle["co_parties"] == ["Arvika"]
    assert cycle["outcome_summary"] == "Stråket är projekterat."
    assert "contact_email" not in cycle
    [position] = client.get("/offentligt/api/stallningstaganden").json()
    assert (
        position["identifier"]
        == f"varmlandsradet-{public_world['paragraph'].year}-{public_world['paragraph'].number}"
    )
    assert len(position["stances"]) == 17
    parts = client.get("/offentligt/api/fonden").json()
    assert [p["capital_part"] for p in parts] == [1, 2, 3]
    assert client.post("/offentligt/api/fonden").status_code == 405
    # No interactive docs page (not axe-clean): the description is the OpenAPI file.
    assert client.get("/offentligt/api/docs").status_code == 404


@pytest.mark.django_db
def test_csv_holds_the_same_records_as_the_api(public_world):
    client = Client()
    response = client.get(reverse("public:dataset-csv", args=["initiativ"]))
    lines = response.content.decode("utf-8-sig").splitlines()
    header, row = lines[0].split(";"), lines[1].split(";")
    assert len(lines) == 2
    record = dict(zip(header, row, strict=True))
    assert record["registration_number"] == public_world["cycle"].registration_number
    assert record["granted"] == "3000000,00"
    assert record["co_parties"] == "Arvika"


@pytest.mark.django_db
def test_the_feed_parses_and_lists_the_signed_minutes(public_world):
    response = Client().get(reverse("public:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", atom)
    ids = {entry.find("a:id", atom).text for entry in entries}
    assert f"dgr:minutes:{public_world['signed'].pk}" in ids
    assert f"dgr:minutes:{public_world['unsigned'].pk}" not in ids
    assert f"dgr:notice:{public_world['unsigned'].pk}" in ids
    links = {entry.find("a:link", atom).get("href") for entry in entries}
    assert any(
        link.endswith(reverse("public:minutes-detail", args=[public_world["signed"].pk])) for link in links
    )
    assert "CC0" in root.find("a:rights", atom).text


@pytest.mark.django_db
def test_the_register_lists_the_retention_rules_from_core(public_world):
    from core.retention import rules

    text = Client().get(reverse("public:personal-data")).content.decode()
    for rule in rules():
        assert rule.code in text
        assert str(rule.description) in text
    assert "Gallras efter 365 dagar (regel initiatives.drafts)." in text


@pytest.mark.django_db
def test_a_csv_file_without_records_still_names_its_columns(db):
    response = Client().get(reverse("public:dataset-csv", args=["arsrapporter"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == ["kind;fund;year;sha256;size;url"]


@pytest.mark.django_db
def test_every_csv_has_the_api_schemas_columns(public_world):
    client = Client()
    schemas = client.get(reverse("public-api:openapi-json")).json()["components"]["schemas"]
    from public_record.exports import DATASETS

    for dataset in DATASETS.values():
        header = client.get(reverse("public:dataset-csv", args=[dataset.name])).content.decode("utf-8-sig")
        assert header.splitlines()[0].split(";") == list(schemas[dataset.schema]["properties"]), dataset.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/offentligt/", "/offentligt/initiativ/", "/offentligt/flode.atom", "/offentligt/sitemap.xml"]
)
def test_the_public_pages_are_read_only(path):
    """A POST to a public page is refused as a method the page does not have, not served the page as if
    something had been done (and never cached: a later GET gets the page)."""
    client = Client(enforce_csrf_checks=False)
    assert client.post(path, {"anything": "1"}).status_code == 405
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200
