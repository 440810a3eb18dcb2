"""Uploading in the browser: a disguised file is refused next to the field in Swedish, a genuine one is
stored and comes back as a download under its Swedish name (RFC 5987), with axe-core on every page."""

import re

import pytest

from people.management.commands.demo_data import DEMO_PASSWORD
from people.models import User
from tests.browser.conftest import log_in, open_file_dialog_from_keyboard
from tests.core.factories import PDF, png_then_html
from tests.factories import initiative_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True
    call_command("demo_data")
    settings.DEBUG = False
    return initiative_draft(User.objects.get(username="karlstad"), title="Laddplatser vid resecentrum")


def upload_from_keyboard(page, path):
    chooser = open_file_dialog_from_keyboard(page, page.get_by_label(re.compile(r"^Fil\s*\*?$")))
    chooser.set_files(str(path))
    page.get_by_role("button", name="Ladda upp", exact=True).focus()
    page.keyboard.press("Enter")


def test_a_disguised_image_is_refused_and_a_genuine_file_downloads_under_its_swedish_name(
    page, axe, draft, tmp_path
):
    log_in(page, "karlstad", DEMO_PASSWORD)
    page.goto(draft.get_absolute_url())
    axe(page)

    disguised = tmp_path / "karta.png"
    disguised.write_bytes(png_then_html())
    upload_from_keyboard(page, disguised)
    page.wait_for_selector(".field--error >> text=Bilden har data efter sitt slut")
    assert page.get_by_label(re.compile(r"^Fil\s*\*?$")).get_attribute("aria-invalid") == "true"
    axe(page)
    assert not list((tmp_path / "media").rglob("*.*"))

    genuine = tmp_path / "Åtgärdsplan för Älvsbacka.pdf"
    genuine.write_bytes(PDF)
    upload_from_keyboard(page, genuine)
    page.wait_for_selector("text=Bilagan är uppladdad")
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Åtgärdsplan för Älvsbacka.pdf").click()
    assert download.value.suggested_filename == "Åtgärdsplan för Älvsbacka.pdf"
    saved = tmp_path / "hämtad.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
