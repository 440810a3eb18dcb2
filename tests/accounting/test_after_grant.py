"""After the grant (issue 13: 3, 6, 7): money only while the agreement is in force and never before its
decision; a decision never dated ahead; completing an initiative releases its unused reservation, or puts
it on finance's list and says so."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounting import forms, selectors, services
from accounting.models import Kind, Verification
from core.models import OutgoingMail
from council import services as council_services
from council.models import Agreement, AgreementAdoption
from initiatives.models import Status
from outcomes import services as outcome_services
from people.roles import Role
from tests.accounting.factories import decide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- 7. dates ------------------------------------------------------------------------------------------


def test_decision_record_refuses_a_date_in_the_future(funded, initiative, finance):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        decide(fund=funded, initiative=initiative, user=finance, decided_on=tomorrow)
    assert "framtiden" in refused.value.message_dict["decided_on"][0]
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED and not initiative.decisions.exists()


def test_a_commitment_is_not_booked_before_its_decision(decision, parts, finance):
    with pytest.raises(ValidationError) as refused:
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], Decimal("1000.00"), 2026)],
            booking_date=date(2026, 1, 31),  # the decision is of 2026-02-01
            text="Beviljat",
            user=finance,
        )
    assert "före beslutet RS 2026/1 § 7 den 2026-02-01" in refused.value.message_dict["booking_date"][0]
    assert not decision.commitments.exists()


def test_a_disbursement_is_not_booked_before_its_decision(commitment, finance):
    before = Verification.objects.count()
    with pytest.raises(ValidationError, match="Utbetalning kan inte bokföras före beslutet"):
        services.disbursement_record(
            commitment=commitment,
            amount=Decimal("10.00"),
            booking_date=date(2026, 1, 20),
            text="t",
            user=finance,
        )
    assert Verification.objects.count() == before


def test_planned_years_run_from_the_decision_year_to_the_initiative_end(decision, parts, finance):
    initiative = decision.initiative
    initiative.end_date = date(2028, 6, 30)
    initiative.save()
    assert list(services.planned_years(decision)) == [2026, 2027, 2028]
    form = forms.CommitmentForm(
        available={parts[0]: Decimal("1.00")}, planned_years=services.planned_years(decision)
    )
    assert [c[0] for c in form.fields["planned_year_1"].choices][1:] == [2026, 2027, 2028]
    with pytest.raises(ValidationError, match="mellan beslutets år 2026 och initiativets slut 2028"):
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], Decimal("1000.00"), 2029)],
            booking_date=date(2026, 2, 10),
            text="Beviljat",
            user=finance,
        )


def test_the_commitment_page_offers_the_planned_years_of_the_decision(client, decision, finance):
    decision.initiative.end_date = date(2027, 12, 31)
    decision.initiative.save()
    client.force_login(finance)
    page = client.get(reverse("accounting:commitment-create", args=[decision.pk])).content.decode()
    assert '<option value="2027">2027</option>' in page
    assert '<option value="2028">' not in page and '<option value="2025">' not in page


# --- 6. the agreement in force ---------------------------------------------------------------------


def test_no_decision_while_a_party_has_not_adopted_the_agreement(funded, initiative, finance):
    AgreementAdoption.objects.filter(party__slug="torsby").delete()
    with pytest.raises(ValidationError, match="16 av 17 parter har antagit det"):
        decide(fund=funded, initiative=initiative, user=finance)
    assert not initiative.decisions.exists()


def test_after_the_agreement_ended_nothing_new_is_decided_or_committed_but_payments_go_on(
    commitment, decision, parts, initiative, finance, secretariat
):
    council_services.agreement_end(
        ended_on=date(2026, 6, 30), reason=Agreement.EndReason.COOPERATION_ENDED, note="", user=secretariat
    )
    with pytest.raises(ValidationError, match="upphörde 2026-06-30 \\(Samverkansavtalet har upphört\\)"):
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], Decimal("1000.00"), 2026)],
            booking_date=date(2026, 3, 1),  # dated back: refused all the same, the agreement has ended
            text="Beviljat",
            user=finance,
        )
    # What was committed is still paid out: the agreement's end stops new money, not obligations.
    services.disbursement_record(
        commitment=commitment, amount=Decimal("10.00"), booking_date=date(2026, 7, 1), text="t", user=finance
    )
    assert selectors.initiative_money_figures(initiative).disbursed == Decimal("10.00")


def test_the_decision_page_names_the_agreement_refusal(client, funded, initiative, finance):
    AgreementAdoption.objects.filter(party__slug="eda").delete()
    client.force_login(finance)
    response = client.post(
        reverse("accounting:decision-create", args=[initiative.pk]),
        {
            "fund": funded.pk,
            "maker_kind": "board",
            "maker_name": "Regionstyrelsen",
            "delegation_point": "",  # the board decides itself: no delegation point
            "decided_on": "2026-02-01",
            "reference": "RS 2026/9",
            "amount": "1 000",
            "idempotency_key": "6f1c1c55-7a8d-4c55-9b1e-1d7f6b0f3a10",
        },
    )
    assert response.status_code == 200
    assert "Avtalet om de gemensamma resurserna är inte i kraft" in response.content.decode()
    assert not initiative.decisions.exists()


def test_the_agreement_page_links_each_adoption_to_its_minutes(
    client, funded, initiative, secretariat, auditor
):
    adoption = AgreementAdoption.objects.select_related("party").order_by("pk").first()
    client.force_login(secretariat)
    response = client.post(
        reverse("council:agreement"),
        {
            "action": "document",
            "doc-adoption": adoption.pk,
            "doc-document": SimpleUploadedFile("KF § 40.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    client.force_login(auditor)
    page = client.get(reverse("council:agreement")).content.decode()
    url = reverse("council:adoption-document", args=[adoption.pk])
    assert f'href="{url}"' in page
    assert page.count("protokollsutdrag saknas") == 16
    download = client.get(url)
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert adoption.history.latest().history_user == secretariat


def test_the_adoption_minutes_must_be_a_pdf(client, funded, initiative, secretariat):
    adoption = AgreementAdoption.objects.order_by("pk").first()
    client.force_login(secretariat)
    response = client.post(
        reverse("council:agreement"),
        {
            "action": "document",
            "doc-adoption": adoption.pk,
            "doc-document": SimpleUploadedFile("KF.pdf", b"not a pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    adoption.refresh_from_db()
    assert not adoption.document


def test_the_fund_is_shown_as_spent_when_nothing_is_available_or_outstanding(
    client, fund, parts, initiative, finance, initiator
):
    services.capital_add(
        capital_part=parts[0], amount=Decimal("100.00"), booking_date=date(2026, 1, 1), text="k", user=finance
    )
    decision = decide(fund=fund, initiative=initiative, user=finance, amount="100.00")
    commitment = services.commitment_create(
        decision=decision,
        shares=[services.Share(parts[0], Decimal("100.00"), 2026)],
        booking_date=date(2026, 2, 10),
        text="Beviljat",
        user=finance,
    ).commitment
    assert not selectors.fund_overview(fund).spent  # 100,00 still outstanding
    services.disbursement_record(
        commitment=commitment, amount=Decimal("100.00"), booking_date=date(2026, 3, 1), text="t", user=finance
    )
    assert selectors.fund_overview(fund).spent
    client.force_login(finance)
    assert "Förbrukade" in client.get(reverse("accounting:fund-detail", args=[fund.slug])).content.decode()
    client.force_login(initiator)  # every party sees that the resources are consumed, not the amounts
    page = client.get(reverse("council:agreement")).content.decode()
    assert "Förbrukade" in page and "tillgängligt att bevilja" not in page


# --- 3. completing an initiative releases its reservation ---------------------------------------------


def _final_report_approved(initiative, initiator, reviewer):
    initiative.end_date = date(2026, 12, 31)
    initiative.save()
    report = outcome_services.outcome_report_submit(
        initiative=initiative,
        user=initiator,
        kind="final",
        due_on=date(2027, 3, 31),
        data={
            "period_start": date(2026, 2, 1),
            "period_end": date(2026, 12, 31),
            "activities": "Gjort",
            "summary": "Klart",
            "status": "on_track",
            "spent": Decimal("500000.00"),
            "co_financing_received": Decimal("0.00"),
            "overspend_explanation": "",
        },
        indicators=[{"name": "Km", "unit": "km", "target": Decimal("1"), "actual": Decimal("1")}],
    )
    return outcome_services.outcome_report_review(report=report, user=reviewer, approve=True)


def test_completion_by_the_secretariat_puts_the_reservation_on_finances_list_and_says_so(
    commitment, initiative, initiator, secretariat, finance
):
    services.disbursement_record(
        commitment=commitment,
        amount=Decimal("500000.00"),
        booking_date=date(2026, 4, 1),
        text="t",
        user=finance,
    )
    reviewed = _final_report_approved(initiative, initiator, secretariat)
    initiative.refresh_from_db()
    assert initiative.status == Status.COMPLETED
    assert reviewed.completion_notes == [
        "Initiativet är avslutat, men 1\u00a0500\u00a0000,00\u00a0kr är fortfarande reserverat för det. "
        "Det står nu på ekonomis lista ”Att frigöra” under Beslut och åtaganden, och ekonomi har fått "
        "e-post om det."
    ]
    assert OutgoingMail.objects.filter(recipient=finance.email, subject__contains="att frigöra").exists()
    assert [(r.initiative, r.reserved) for r in selectors.reservations_to_release()] == [
        (initiative, Decimal("1500000.00"))
    ]
    assert selectors.initiative_money_figures(initiative).reserved == Decimal("1500000.00")


def test_finance_releases_a_completed_initiatives_reservation_from_its_list(
    client, commitment, initiative, initiator, secretariat, finance
):
    _final_report_approved(initiative, initiator, secretariat)
    client.force_login(finance)
    page = client.get(reverse("accounting:decision-list")).content.decode()
    assert "Frigör reservationen" in page
    url = reverse("accounting:initiative-release", args=[initiative.pk])
    assert client.post(url).status_code == 302
    figures = selectors.initiative_money_figures(initiative)
    assert (figures.granted, figures.released, figures.reserved) == (
        Decimal("2000000.00"),
        Decimal("2000000.00"),
        Decimal("0.00"),
    )
    assert Verification.objects.filter(kind=Kind.RELEASE, author=finance).count() == 1
    assert selectors.reservations_to_release() == []
    # A second press finds nothing left and posts nothing.
    client.post(url)
    assert Verification.objects.filter(kind=Kind.RELEASE).count() == 1


def test_the_release_service_refuses_a_running_initiative(commitment, initiative, finance):
    with pytest.raises(ValidationError, match="Bara ett avslutat eller avbrutet initiativs reservation"):
        services.initiative_reservation_release(
            initiative=initiative, booking_date=date(2026, 5, 1), user=finance
        )


def test_completion_by_someone_who_may_post_releases_at_once(commitment, initiative, initiator, region):
    both = UserFactory(username="vrag-ekonomi", party=region, roles=[Role.SECRETARIAT, Role.FINANCE])
    reviewed = _final_report_approved(initiative, initiator, both)
    assert reviewed.completion_notes[0].startswith(
        "Det oanvända beloppet 2\u00a0000\u00a0000,00\u00a0kr har frigjorts till fondens tillgängliga kapital"
    )
    assert selectors.initiative_money_figures(initiative).reserved == Decimal("0.00")
    release = Verification.objects.get(kind=Kind.RELEASE)
    assert release.author == both and release.booking_date == timezone.localdate()
    assert selectors.reservations_to_release() == []


def test_the_review_page_tells_the_reviewer_what_became_of_the_reservation(
    client, commitment, initiative, initiator, secretariat
):
    initiative.end_date = date(2026, 12, 31)
    initiative.save()
    report = outcome_services.outcome_report_submit(
        initiative=initiative,
        user=initiator,
        kind="final",
        due_on=date(2027, 3, 31),
        data={
            "period_start": date(2026, 2, 1),
            "period_end": date(2026, 12, 31),
            "activities": "Gjort",
            "summary": "Klart",
            "status": "on_track",
            "spent": Decimal("0.00"),
            "co_financing_received": Decimal("0.00"),
            "overspend_explanation": "",
        },
        indicators=[{"name": "Km", "unit": "km", "target": Decimal("1"), "actual": Decimal("1")}],
    )
    client.force_login(secretariat)
    response = client.post(
        reverse("outcomes:outcome-review", args=[report.pk]),
        {"decision": "approve", "comment": ""},
        follow=True,
    )
    assert "ekonomis lista" in response.content.decode()


def test_nothing_to_say_when_nothing_is_reserved(decision, initiative, initiator, secretariat):
    reviewed = _final_report_approved(initiative, initiator, secretariat)
    assert reviewed.completion_notes == []
    initiative.refresh_from_db()
    assert initiative.status == Status.COMPLETED
