"""The journey of an initiative in the browser, from draft to prepared, with axe-core on every page and
the forms worked from the keyboard."""

import re

import pytest
from django.core.management import call_command

from people.management.commands.demo_data import DEMO_PASSWORD
from tests.browser.conftest import log_in, open_file_dialog_from_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NUMBER = re.compile(r"DGR \d{4}/\d{4}")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("demo_data")
    settings.DEBUG = False


def field(scope, label):
    """The field whose label is exactly `label` (a required field's label ends in an asterisk)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def type_into(page, label, text, scope=None):
    """Focus a field and type, as a keyboard user does."""
    field(scope or page, label).focus()
    page.keyboard.type(text)


def press(page, button_name):
    """Focus a button and press Enter."""
    page.get_by_role("button", name=button_name, exact=True).focus()
    page.keyboard.press("Enter")


def submit_confirmed(page):
    """Lämna in: the confirmation dialog opens with focus on its confirming button, Enter confirms."""
    press(page, "Lämna in initiativet")
    page.get_by_role("dialog").wait_for()
    page.keyboard.press("Enter")


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/")


def test_an_initiative_from_draft_to_prepared(page, axe, demo, tmp_path):
    # karlstad writes a draft.
    log_in(page, "karlstad", DEMO_PASSWORD)
    axe(page)
    page.get_by_role("link", name="Nytt initiativ", exact=True).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/initiativ/nytt/")
    axe(page)
    type_into(page, "Titel", "Gemensam laddinfrastruktur för elbussar")
    page.keyboard.press("Tab")  # the summary follows the title
    page.keyboard.type("Laddstationer för elbussar i alla kommuner.")
    type_into(page, "Beskrivning", "Kommunerna bygger laddstationer vid resecentrum enligt en gemensam plan.")
    field(page, "Typ av satsning").focus()
    page.keyboard.press("p")  # Projekt
    assert field(page, "Typ av satsning").input_value() == "project"
    page.get_by_label("Arvika").focus()
    page.keyboard.press("Space")
    type_into(page, "Kontaktperson", "Karin Lund")
    type_into(page, "Betydelse för hela Värmland", "Bussarna korsar kommungränserna.")
    # A motivation is asked for only once its box is ticked (CSS, no script under the strict CSP).
    assert not field(page, "Motivering, Trafikförsörjningsprogrammet").is_visible()
    page.get_by_label("Satsningen utgår från Trafikförsörjningsprogrammet").focus()
    page.keyboard.press("Space")
    assert field(page, "Motivering, Trafikförsörjningsprogrammet").is_visible()
    type_into(page, "Motivering, Trafikförsörjningsprogrammet", "Målbild 2040: fossilfri kollektivtrafik.")
    # The dates are the same date inputs (pickers) as every other form's.
    assert field(page, "Startdatum").get_attribute("type") == "date"
    field(page, "Startdatum").fill("2027-01-01")
    field(page, "Slutdatum").fill("2028-12-31")
    assert field(page, "Startdatum").input_value() == "2027-01-01"
    assert field(page, "Slutdatum").input_value() == "2028-12-31"
    press(page, "Spara utkast")
    page.wait_for_selector("text=Utkastet är sparat")
    axe(page)
    detail_url = page.url

    # Budget per year, typed the Swedish way; co-financing; an attachment.
    for year, total, requested in (("2027", "2 000 000", "1 000 000"), ("2028", "1 500 000,50", "750 000")):
        type_into(page, "År", year, page.get_by_role("group", name="Lägg till budgetår"))
        type_into(page, "Total kostnad (kr)", total)
        type_into(page, "Sökt belopp ur DGR (kr)", requested)
        press(page, "Lägg till budgetår")
        page.wait_for_selector("text=Budgetåret är tillagt")
    # A year outside the period is refused next to the field, in Swedish.
    type_into(page, "År", "2031", page.get_by_role("group", name="Lägg till budgetår"))
    type_into(page, "Total kostnad (kr)", "10")
    type_into(page, "Sökt belopp ur DGR (kr)", "5")
    press(page, "Lägg till budgetår")
    page.wait_for_selector(".field--error >> text=Året måste ligga inom perioden 2027–2028.")
    axe(page)
    page.goto(detail_url)
    # Each year is listed once, in the budget table, and is changed there (not removed and added again).
    page.get_by_role("link", name="Ändra budgetåret 2028").click()
    axe(page)
    field(page, "Sökt belopp ur DGR (kr)").fill("800 000")
    press(page, "Spara")
    page.wait_for_selector("text=Budgetåret är ändrat")
    assert "800\u00a0000,00" in page.locator("#budget + dl + .table-wrap").inner_text()
    cofinancing = page.locator("fieldset", has_text="Lägg till medfinansiering")
    field(cofinancing, "År").focus()
    page.keyboard.type("2027")
    field(cofinancing, "Källa").focus()
    page.keyboard.press("s")  # Staten
    field(cofinancing, "Finansiär").focus()
    page.keyboard.type("Trafikverket")
    field(cofinancing, "Läge").focus()
    page.keyboard.press("s")  # Sökt
    assert field(cofinancing, "Källa").input_value() == "state"
    assert field(cofinancing, "Läge").input_value() == "applied"
    field(cofinancing, "Belopp (kr)").focus()
    page.keyboard.type("500 000")
    press(page, "Lägg till medfinansiering")
    page.wait_for_selector("text=Medfinansieringen är tillagd")
    assert "3\u00a0500\u00a0000,50\u00a0kr" in page.locator("main").inner_text()
    pdf = tmp_path / "laddplan.pdf"
    pdf.write_bytes(PDF)
    open_file_dialog_from_keyboard(page, field(page, "Fil")).set_files(str(pdf))
    press(page, "Ladda upp")
    page.wait_for_selector("text=Bilagan är uppladdad")
    axe(page)

    # Submit: a registration number.
    submit_confirmed(page)
    page.wait_for_selector("text=Initiativet är inlämnat med diarienummer")
    number = NUMBER.search(page.locator(".messages").inner_text()).group(0)
    assert "Under beredning" in page.locator("main").inner_text()
    axe(page)
    log_out(page)

    # vrag asks for a complement.
    log_in(page, "vrag", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Beredning").click()
    page.wait_for_url("**/initiativ/beredning/")
    axe(page)
    page.get_by_role("link", name="Gemensam laddinfrastruktur för elbussar").click()
    axe(page)
    page.get_by_role("link", name="Bered initiativet").click()
    axe(page)
    type_into(page, "Vad ska kompletteras?", "Beskriv tidplanen per kommun.")
    press(page, "Begär komplettering")
    page.wait_for_selector("text=Kompletteringen är begärd")
    axe(page)
    log_out(page)

    # karlstad completes and resubmits; the number stays.
    log_in(page, "karlstad", DEMO_PASSWORD)
    page.goto(detail_url)
    assert "Beskriv tidplanen per kommun." in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="Ändra initiativet").click()
    axe(page)
    type_into(page, "Beskrivning", " Tidplan: Karlstad och Arvika 2027, övriga 2028.")
    press(page, "Spara utkast")
    page.wait_for_selector("text=Ändringarna är sparade")
    submit_confirmed(page)
    page.wait_for_selector(f"text=Initiativet är inlämnat med diarienummer {number}")
    page.get_by_role("link", name="Inlämnade versioner").click()
    assert "Tidplan: Karlstad och Arvika 2027" in page.locator("main").inner_text()
    axe(page)
    page.goto(detail_url)
    page.get_by_role("link", name="Historik").click()
    assert "Komplettering begärd" in page.locator("main").inner_text()
    axe(page)
    log_out(page)

    # vrag completes the checklist from the keyboard and marks it prepared.
    log_in(page, "vrag", DEMO_PASSWORD)
    page.goto(detail_url)
    page.get_by_role("link", name="Bered initiativet").click()
    for label in (
        "Har betydelse för hela Värmland",
        "Kan inte hanteras av en enskild kommun eller regionen",
        "Utgår från Värmlandsstrategin eller Trafikförsörjningsprogrammet",
        "Medfinansiering är noterad",
        "Ansökan är komplett",
    ):
        page.get_by_label(label).focus()
        page.keyboard.press("Space")
    type_into(page, "Bedömning", "Uppfyller överenskommelsens krav.")
    page.get_by_label("Tillstyrk").focus()
    page.keyboard.press("Space")
    type_into(page, "Föreslaget belopp (kr)", "1 750 000")
    press(page, "Markera som berett")
    page.wait_for_selector("text=Initiativet är berett")
    main = page.locator("main").inner_text()
    assert "Berett" in main and "1\u00a0750\u00a0000,00\u00a0kr" in main
    axe(page)
    page.get_by_role("link", name="Initiativ", exact=True).first.click()
    axe(page)
    assert len(axe.checked) >= 16
