"""The initiative page is organised around its standing (issue 15: 3): what comes next and from whom at
the top, an open complement request there with its text, and a timeline of the steps with dates for
those allowed to know them."""

import re
from datetime import date

import pytest

from initiatives.models import Status
from tests.factories import initiative_in, initiative_submitted

pytestmark = pytest.mark.django_db


def _timeline(page: str) -> list[tuple[str, str]]:
    """(class state, text) of each step, whitespace folded."""
    steps = re.findall(r'<li class="timeline__step timeline__step--(\w+)"[^>]*>(.*?)</li>', page, re.S)
    return [(state, re.sub(r"<[^>]+>|\s+", " ", text).split()) for state, text in steps]


def test_a_complement_request_stands_at_the_top_with_its_text(client, initiator, secretariat):
    initiative = initiative_in(Status.COMPLEMENT_REQUESTED, initiator, secretariat)
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    request_at = page.index("Sekretariatet har begärt komplettering")
    assert request_at < page.index("Budget och finansiering")  # at the top, not at the bottom
    assert "Tidplan?" in page[request_at : page.index("Budget och finansiering")]
    assert "Läs meddelandet nedan" not in page
    assert 'href="#meddelanden"' in page and 'id="meddelanden"' in page
    assert re.search(r"Väntar på</dt>\s*<dd>\s*Karlstad", page)


def test_the_timeline_marks_done_and_current_steps_with_dates(client, initiator, secretariat):
    initiative = initiative_submitted(initiator)
    client.force_login(secretariat)
    page = client.get(initiative.get_absolute_url()).content.decode()
    steps = _timeline(page)
    assert [state for state, _text in steps] == ["done", "current"] + ["upcoming"] * 7
    submitted = initiative.submitted_at.astimezone().date().isoformat()
    assert submitted in steps[0][1] and "Inlämnat" in steps[0][1]
    assert re.search(r'aria-current="step">\s*<span class="timeline__label">Berett av sekretariatet', page)
    assert re.search(r"Väntar på</dt>\s*<dd>\s*Sekretariatet \(VRAG\)", page)


def test_a_closed_initiative_shows_where_it_ended(client, initiator, secretariat):
    initiative = initiative_in(Status.NOT_ELIGIBLE, initiator, secretariat)
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    states = [state for state, _text in _timeline(page)]
    assert states == ["done", "ended"] + ["skipped"] * 6 + ["done"]
    assert "Ej stödberättigat" in " ".join(_timeline(page)[-1][1])
    assert "Ärendet är avslutat" in page and "Nästa steg" not in page


def test_the_decision_date_shows_to_readers_of_the_money_only(
    client, karlstad, initiator, other_initiator, finance
):
    from tests.accounting.factories import decide, make_fund, supported_initiative

    fund = make_fund(finance)
    initiative = supported_initiative(party=karlstad, user=initiator)
    decide(fund=fund, initiative=initiative, user=finance, decided_on=date(2026, 2, 1))
    client.force_login(finance)
    steps = _timeline(client.get(initiative.get_absolute_url()).content.decode())
    decision = next(text for _state, text in steps if "beslut" in text)
    assert "2026-02-01" in decision
    assert "2026-01-15" in next(text for _state, text in steps if "Värmlandsrådet" in text)  # the meeting
    assert [state for state, _text in steps][4:6] == ["done", "current"]  # decided; commitments next
    client.force_login(other_initiator)
    steps = _timeline(client.get(initiative.get_absolute_url()).content.decode())
    assert "2026-02-01" not in next(text for _state, text in steps if "beslut" in text)
