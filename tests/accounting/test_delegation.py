"""Issue 12, item 6 in the ledger: Region Värmland's decisions under the delegation register, positive or
negative, and the report of delegated decisions to the regional board (page and PDF)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from accounting import services
from accounting.models import Decision, DelegationPoint, Verification
from initiatives.models import Status
from tests.accounting.factories import supported_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(finance):
    """Point 3.2.1: the regional director decides up to 5 MSEK."""
    return services.delegation_point_add(
        code="3.2.1",
        description="Beslut om medel ur DGR till ett tillstyrkt initiativ",
        maker_kind="delegate",
        maker_name="Regiondirektören",
        amount_limit=Decimal("5000000.00"),
        valid_from=date(2022, 1, 1),
        user=finance,
    )


def _decide(*, fund, initiative, user, point, amount="4000000.00", outcome="granted", **kwargs):
    return services.decision_record(
        fund=fund,
        initiative=initiative,
        maker_kind=kwargs.pop("maker_kind", "delegate"),
        maker_name="Regiondirektören",
        delegation_point=point,
        decided_on=kwargs.pop("decided_on", date(2026, 2, 1)),
        reference=kwargs.pop("reference", "RD 2026/1"),
        amount=Decimal(amount) if amount is not None else None,
        outcome=outcome,
        user=user,
    )


def test_a_decision_above_its_points_limit_is_refused_next_to_the_amount(
    funded, initiative, finance, director
):
    with pytest.raises(ValidationError) as refused:
        _decide(fund=funded, initiative=initiative, user=finance, point=director, amount="5000000.01")
    assert "beloppsgränsen 5 000 000,00 kr i punkt 3.2.1" in refused.value.message_dict["amount"][0].replace(
        "\xa0", " "
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED and not Decision.objects.exists()
    # At the limit it is within the delegation.
    decision = _decide(fund=funded, initiative=initiative, user=finance, point=director, amount="5000000.00")
    assert decision.delegation_point == director


def test_a_delegate_must_name_a_point_valid_on_the_day_of_the_same_decision_maker(
    funded, initiative, finance, director
):
    with pytest.raises(ValidationError) as no_point:
        _decide(fund=funded, initiative=initiative, user=finance, point=None)
    assert "delegation_point" in no_point.value.message_dict
    with pytest.raises(ValidationError) as wrong_maker:
        _decide(fund=funded, initiative=initiative, user=finance, point=director, maker_kind="committee")
    assert "Regiondirektören" not in wrong_maker.value.message_dict["maker_kind"][0]
    assert "Delegat" in wrong_maker.value.message_dict["maker_kind"][0]
    services.delegation_point_end(point=director, valid_to=date(2026, 1, 31), user=finance)
    with pytest.raises(ValidationError) as ended:
        _decide(fund=funded, initiative=initiative, user=finance, point=director)
    assert "gäller inte den 2026-02-01" in ended.value.message_dict["delegation_point"][0]


def test_the_database_refuses_a_decision_above_its_points_limit(funded, initiative, finance, director):
    position = initiative.council_positions.get()
    with pytest.raises(IntegrityError, match="exceeds the limit"), transaction.atomic():
        Decision.objects.create(
            fund=funded,
            initiative=initiative,
            position=position,
            maker_kind="delegate",
            maker_name="Regiondirektören",
            delegation_point=director,
            decided_on=date(2026, 2, 1),
            reference="RD 2026/2",
            amount=Decimal("9000000.00"),
            recorded_by=finance,
        )


def test_a_negative_decision_books_nothing_and_the_initiative_is_not_supported(
    funded, initiative, finance, director, parts
):
    before = Verification.objects.count()
    decision = _decide(
        fund=funded, initiative=initiative, user=finance, point=director, amount=None, outcome="rejected"
    )
    initiative.refresh_from_db()
    assert decision.amount == Decimal("0.00") and decision.outcome == "rejected"
    assert initiative.status == Status.NOT_SUPPORTED
    with pytest.raises(ValidationError, match="avslag"):
        services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[0], Decimal("1000.00"), 2026)],
            booking_date=date(2026, 2, 10),
            text="Beviljat",
            user=finance,
        )
    assert Verification.objects.count() == before
    # The database ties the amount to the outcome: a rejection with money is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            fund=funded,
            initiative=initiative,
            position=initiative.council_positions.get(),
            outcome="rejected",
            maker_kind="board",
            maker_name="Regionstyrelsen",
            decided_on=date(2026, 2, 1),
            reference="RS 2026/9",
            amount=Decimal("1.00"),
            recorded_by=finance,
        )


def test_a_new_version_ends_the_previous_one_which_is_never_edited(finance, director):
    lowered = services.delegation_point_add(
        code="3.2.1",
        description=director.description,
        maker_kind="delegate",
        maker_name="Regiondirektören",
        amount_limit=Decimal("3000000.00"),
        valid_from=date(2025, 1, 1),
        user=finance,
    )
    director.refresh_from_db()
    assert director.valid_to == date(2024, 12, 31) and lowered.replaces == director
    assert list(DelegationPoint.objects.valid_on(date(2025, 6, 1))) == [lowered]
    assert director.history.count() == 2  # created, then ended: both in the history
    with pytest.raises(ValidationError):  # a version must start after the one in force
        services.delegation_point_add(
            code="3.2.1",
            description="x",
            maker_kind="delegate",
            maker_name="x",
            amount_limit=None,
            valid_from=date(2025, 1, 1),
            user=finance,
        )
    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        DelegationPoint.objects.filter(pk=director.pk).update(amount_limit=Decimal("99.00"))
    # Ended, the code may return only after its last day: versions never overlap.
    services.delegation_point_end(point=lowered, valid_to=date(2025, 12, 31), user=finance)
    again = {
        "code": "3.2.1",
        "description": "x",
        "maker_kind": "delegate",
        "maker_name": "x",
        "amount_limit": None,
        "user": finance,
    }
    with pytest.raises(ValidationError) as overlapping:
        services.delegation_point_add(**again, valid_from=date(2025, 12, 31))
    assert "2025-12-31" in overlapping.value.message_dict["valid_from"][0]
    assert services.delegation_point_add(**again, valid_from=date(2026, 1, 1)).valid_to is None


def test_the_report_of_delegated_decisions_lists_the_period_as_page_and_pdf(
    client, funded, finance, director, karlstad, initiator
):
    granted = supported_initiative(party=karlstad, user=initiator, title="Cykelstråk Karlstad–Hammarö")
    refused = supported_initiative(party=karlstad, user=initiator, title="Evenemangsbuss")
    board = supported_initiative(party=karlstad, user=initiator, title="Regionstyrelsens egen")
    _decide(fund=funded, initiative=granted, user=finance, point=director, amount="1250000.00")
    _decide(
        fund=funded,
        initiative=refused,
        user=finance,
        point=director,
        amount=None,
        outcome="rejected",
        reference="RD 2026/2",
    )
    services.decision_record(
        fund=funded,
        initiative=board,
        maker_kind="board",
        maker_name="Regionstyrelsen",
        delegation_point=None,
        decided_on=date(2026, 2, 1),
        reference="RS 2026/3",
        amount=Decimal("100.00"),
        user=finance,
    )
    client.force_login(finance)
    query = {"start": "2026-01-01", "end": "2026-03-31"}
    page = client.get(reverse("accounting:delegation-report"), query).content.decode()
    assert "Cykelstråk Karlstad–Hammarö" in page and "Evenemangsbuss" in page
    assert "Regionstyrelsens egen" not in page  # not delegated: not reported
    assert "1\xa0250\xa0000,00" in page
    response = client.get(reverse("accounting:delegation-report-pdf"), query)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Anmälan av delegationsbeslut" in text
    assert "RD 2026/1" in text and "RD 2026/2" in text and "RS 2026/3" not in text
    assert "Avslås" in text
    # Another period lists none of them; a period that ends before it begins is refused at the field.
    empty = client.get(reverse("accounting:delegation-report"), {"start": "2025-01-01", "end": "2025-12-31"})
    assert "Inga beslut enligt delegation" in empty.content.decode()
    bad = client.get(reverse("accounting:delegation-report"), {"start": "2026-03-01", "end": "2026-01-01"})
    assert "kan inte ligga före" in bad.content.decode()


def test_the_register_page_adds_a_point_and_refuses_a_bad_limit(client, finance, auditor):
    client.force_login(finance)
    url = reverse("accounting:delegation-point-add")
    bad = client.post(
        url,
        {
            "code": "1.4",
            "description": "Nämndens beslut",
            "maker_kind": "committee",
            "maker_name": "Regionala utvecklingsnämnden",
            "amount_limit": "-5",
            "valid_from": "2026-01-01",
        },
    )
    assert bad.status_code == 200 and not DelegationPoint.objects.exists()
    ok = client.post(
        url,
        {
            "code": "1.4",
            "description": "Nämndens beslut",
            "maker_kind": "committee",
            "maker_name": "Regionala utvecklingsnämnden",
            "amount_limit": "10 000 000",
            "valid_from": "2026-01-01",
        },
    )
    assert ok.status_code == 302
    point = DelegationPoint.objects.get()
    assert point.amount_limit == Decimal("10000000.00")
    assert point.history.get().history_user == finance
    client.force_login(auditor)
    assert (
        "Regionala utvecklingsnämnden"
        in client.get(reverse("accounting:delegation-point-list")).content.decode()
    )
    assert client.post(url, {}).status_code == 403
