"""A decided initiative of Karlstad's with 2 000 000 kr committed (the ledger tests' fixtures), and the
payment requests made against it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from payments import services
from tests.accounting.conftest import commitment, decision, fund, funded, initiative, parts  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def content(commitment, **changes) -> services.RequestContent:  # noqa: F811
    values = {
        "commitment": commitment,
        "amount": Decimal("500000.00"),
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 5, 31),
        "costs_incurred": Decimal("520000.00"),
        "description": "Projektering och markarbeten.",
        "payee": "Karlstads kommun",
        "bank_account_kind": "bankgiro",
        "bank_account_number": "991-2346",
        "payment_reference": "Faktura 4711",
    }
    values.update(changes)
    return services.RequestContent(**values)


def pdf(name="kostnader.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def submit(commitment, user, **changes):  # noqa: F811
    return services.payment_request_submit(content=content(commitment, **changes), user=user, uploads=[pdf()])


def approve(payment_request, user, **changes):
    values = {
        "booking_date": date(2026, 6, 15),
        "text": "Utbetalning enligt rekvisition",
        "payee": payment_request.payee,
        "bank_account_kind": payment_request.bank_account_kind,
        "bank_account_number": payment_request.bank_account_number,
        "payment_reference": payment_request.payment_reference,
    }
    values.update(changes)
    return services.payment_request_approve(payment_request=payment_request, user=user, **values)


@pytest.fixture
def submitted(commitment, initiator):  # noqa: F811
    return submit(commitment, initiator)
