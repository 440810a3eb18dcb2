"""Payment requests from submission to payment: each step, and every refusal."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connections, transaction

from accounting import services as ledger
from accounting.bank import payment_details
from accounting.models import Kind, Verification
from core.models import OutgoingMail
from payments import services
from payments.models import PaymentRequest, Status
from tests.payments.conftest import approve, content, pdf, submit

D = Decimal
pytestmark = pytest.mark.django_db


def mails_to(address):
    """The mails about payment requests to an address (the initiative's own path mails its party too)."""
    return list(
        OutgoingMail.objects.filter(recipient=address, subject__icontains="rekvisition").order_by("id")
    )


# --- submit ----------------------------------------------------------------------------------------------


def test_an_initiator_asks_for_a_payment_with_an_attachment_and_finance_is_mailed(
    commitment, initiator, finance
):
    request = submit(commitment, initiator, bank_account_number=" 991 23-46 ")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert request.initiative == commitment.initiative
    assert (request.amount, request.bank_account_number, request.payee) == (
        D("500000.00"),
        "9912346",
        "Karlstads kommun",
    )
    assert request.account_display == "991-2346"
    [attachment] = request.attachments.all()
    assert attachment.original_name == "kostnader.pdf" and attachment.content_type == "application/pdf"
    record = request.history.get()
    assert (record.history_user, record.history_change_reason) == (initiator, "submitted")
    [mail] = mails_to(finance.email)
    number = commitment.initiative.registration_number
    assert mail.subject == f"Ny rekvisition: 500 000,00 kr till {number}"  # headers have no no-break spaces
    assert f"/rekvisitioner/{request.pk}/" in mail.body


def test_a_request_may_not_ask_for_more_than_remains_of_the_commitment(commitment, initiator):
    with pytest.raises(ValidationError) as refused:
        submit(commitment, initiator, amount=D("2000000.01"))
    assert refused.value.message_dict["amount"] == [
        "Det går att begära högst 2\u00a0000\u00a0000,00\u00a0kr: "
        "så mycket återstår av åtagandet att betala ut."
    ]
    assert not PaymentRequest.objects.exists()


def test_pending_requests_count_against_what_may_be_asked_for(commitment, initiator, finance):
    ledger.disbursement_record(
        commitment=commitment,
        amount=D("500000.00"),
        booking_date=date(2026, 3, 1),
        text="Direkt utbetalning",
        user=finance,
        payment=payment_details(payee="Karlstads kommun", account_kind="bankgiro", account_number="9912346"),
    )
    submit(commitment, initiator, amount=D("1000000.00"))
    with pytest.raises(ValidationError) as refused:
        submit(commitment, initiator, amount=D("500000.01"))
    assert refused.value.message_dict["amount"] == [
        "Det går att begära högst 500\u00a0000,00\u00a0kr: "
        "av åtagandet återstår 1\u00a0500\u00a0000,00\u00a0kr att betala ut, "
        "och 1\u00a0000\u00a0000,00\u00a0kr av det är redan begärt i andra rekvisitioner som väntar."
    ]
    assert submit(commitment, initiator, amount=D("500000.00")).status == Status.SUBMITTED


def test_a_rejected_request_no_longer_counts_as_asked_for(submitted, commitment, initiator, finance):
    submit(commitment, initiator, amount=D("1500000.00"))
    services.payment_request_reject(payment_request=submitted, reason="Fel period.", user=finance)
    assert submit(commitment, initiator, amount=D("500000.00")).status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"bank_account_number": "991-2345"},
            "bank_account_number",
            "Kontrollsiffran stämmer inte: 991-2345 är inget giltigt bankgironummer. Kontrollera numret.",
        ),
        (
            {"bank_account_kind": "plusgiro", "bank_account_number": "123456789"},
            "bank_account_number",
            "Ett plusgironummer har 2 till 8 siffror, inte 9.",
        ),
        (
            {"bank_account_kind": "iban", "bank_account_number": "SE45 5000 0000 0583 9825 7467"},
            "bank_account_number",
            "Kontrollsiffrorna stämmer inte: SE45 5000 0000 0583 9825 7467 är inget giltigt IBAN. "
            "Kontrollera numret.",
        ),
        ({"payee": " "}, "payee", "Ange betalningsmottagare."),
        ({"period_end": date(2026, 2, 28)}, "period_end", "Perioden kan inte sluta före den börjar."),
        ({"amount": D("0")}, "amount", "Beloppet måste vara större än noll."),
        ({"amount": D("10.005")}, "amount", "Ett belopp kan ha högst två decimaler (öre)."),
        ({"description": ""}, "description", "Beskriv vad pengarna har använts till."),
    ],
)
def test_a_request_with_wrong_details_is_refused_next_to_the_field(
    commitment, initiator, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        submit(commitment, initiator, **changes)
    assert refused.value.message_dict[field] == [message]
    assert not PaymentRequest.objects.exists()


def test_an_iban_request_is_stored_compact(commitment, initiator):
    request = submit(
        commitment, initiator, bank_account_kind="iban", bank_account_number="se45 5000 0000 0583 9825 7466"
    )
    assert request.bank_account_number == "SE4550000000058398257466"
    assert request.account_display == "SE45 5000 0000 0583 9825 7466"


def test_a_file_that_is_not_what_it_says_is_refused(commitment, initiator):
    fake = SimpleUploadedFile("kostnader.pdf", b"<html>hej</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.payment_request_submit(content=content(commitment), user=initiator, uploads=[fake])
    assert "file" in refused.value.message_dict
    assert not PaymentRequest.objects.exists()


@pytest.mark.parametrize("who", ["other_initiator", "finance", "secretariat", "auditor", "representative"])
def test_only_the_initiatives_own_initiators_may_ask_for_payment(commitment, who, request):
    with pytest.raises(PermissionDenied):
        submit(commitment, request.getfixturevalue(who))
    assert not PaymentRequest.objects.exists()


def test_no_payment_is_asked_for_a_completed_initiative(commitment, initiator):
    from initiatives.models import Initiative
    from initiatives.models import Status as InitiativeStatus

    Initiative.objects.filter(pk=commitment.initiative_id).update(status=InitiativeStatus.COMPLETED)
    commitment.initiative.refresh_from_db()
    with pytest.raises(PermissionDenied):
        submit(commitment, initiator)


def test_the_same_submission_sent_twice_makes_one_request(commitment, initiator):
    key = uuid.uuid4()
    first = services.payment_request_submit(content=content(commitment), user=initiator, idempotency_key=key)
    again = services.payment_request_submit(content=content(commitment), user=initiator, idempotency_key=key)
    assert again.pk == first.pk
    assert PaymentRequest.objects.count() == 1


# --- ask for more, complete -------------------------------------------------------------------------------


def test_finance_asks_for_more_and_the_initiator_is_mailed(submitted, finance, initiator):
    services.payment_request_ask_for_more(
        payment_request=submitted, message="Bifoga fakturorna för maj.", user=finance
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.COMPLEMENT_REQUESTED
    assert submitted.finance_message == "Bifoga fakturorna för maj."
    [mail] = mails_to(initiator.email)
    assert "behöver kompletteras" in mail.subject
    assert "Bifoga fakturorna för maj." in mail.body


def test_asking_for_more_needs_a_message_and_finance(submitted, finance, initiator):
    with pytest.raises(ValidationError) as refused:
        services.payment_request_ask_for_more(payment_request=submitted, message=" ", user=finance)
    assert refused.value.message_dict == {"message": ["Skriv vad som behöver kompletteras."]}
    with pytest.raises(PermissionDenied):
        services.payment_request_ask_for_more(payment_request=submitted, message="Mer", user=initiator)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_the_initiator_completes_and_finance_gets_it_back(submitted, commitment, finance, initiator):
    services.payment_request_ask_for_more(payment_request=submitted, message="Fakturor saknas.", user=finance)
    services.payment_request_complete(
        payment_request=submitted,
        content=content(commitment, amount=D("450000.00"), description="Projektering, utan moms."),
        reply="Fakturorna bifogade; beloppet utan moms.",
        user=initiator,
        uploads=[pdf("fakturor.pdf")],
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.RESUBMITTED
    assert submitted.amount == D("450000.00")
    assert submitted.complement_reply == "Fakturorna bifogade; beloppet utan moms."
    assert sorted(a.original_name for a in submitted.attachments.all()) == ["fakturor.pdf", "kostnader.pdf"]
    assert [m.subject for m in mails_to(finance.email)][-1].startswith("Kompletterad rekvisition")


def test_completing_is_only_for_a_request_finance_asked_about(
    submitted, commitment, initiator, other_initiator
):
    kwargs = {"content": content(commitment), "reply": "Klart.", "uploads": []}
    with pytest.raises(PermissionDenied):
        services.payment_request_complete(payment_request=submitted, user=initiator, **kwargs)


def test_completing_needs_an_answer(submitted, commitment, finance, initiator):
    services.payment_request_ask_for_more(payment_request=submitted, message="Fakturor saknas.", user=finance)
    with pytest.raises(ValidationError) as refused:
        services.payment_request_complete(
            payment_request=submitted, content=content(commitment), reply="", user=initiator
        )
    assert refused.value.message_dict == {"complement_reply": ["Skriv vad du har kompletterat."]}


# --- approve, reject -------------------------------------------------------------------------------------


def test_approving_books_the_disbursement_with_payee_account_and_reference(
    submitted, commitment, finance, initiator
):
    approved = approve(submitted, finance, payment_reference="OCR 1234567897")
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert (approved.decided_by, approved.decided_at is not None) == (finance, True)
    paid = approved.verification
    assert paid.kind == Kind.DISBURSEMENT and paid.commitment == commitment
    assert (paid.payee, paid.bank_account_kind, paid.bank_account_number, paid.payment_reference) == (
        "Karlstads kommun",
        "bankgiro",
        "9912346",
        "OCR 1234567897",
    )
    assert ledger.commitment_figures(commitment)["disbursed"] == D("500000.00")
    assert sum(line.amount for line in paid.lines.all()) == 0
    [mail] = mails_to(initiator.email)
    assert mail.subject.endswith("är godkänd") and paid.number_label in mail.body


def test_approving_twice_with_the_same_key_pays_once(submitted, finance):
    key = uuid.uuid4()
    first = approve(submitted, finance, idempotency_key=key)
    again = approve(submitted, finance, idempotency_key=key)
    assert again.verification_id == first.verification_id
    assert Verification.objects.filter(kind=Kind.DISBURSEMENT).count() == 1


def test_an_approved_request_is_not_approved_again(submitted, finance):
    approve(submitted, finance)
    with pytest.raises(ValidationError) as refused:
        approve(submitted, finance)
    assert refused.value.messages == [
        "Rekvisitionen har status ”Godkänd och utbetald” och kan inte få status ”Godkänd och utbetald”."
    ]
    assert Verification.objects.filter(kind=Kind.DISBURSEMENT).count() == 1


def test_a_request_waiting_for_a_complement_is_not_approved(submitted, finance):
    services.payment_request_ask_for_more(payment_request=submitted, message="Fakturor saknas.", user=finance)
    with pytest.raises(ValidationError) as refused:
        approve(submitted, finance)
    assert refused.value.code == "wrong_state"
    assert not Verification.objects.filter(kind=Kind.DISBURSEMENT).exists()


def test_approval_refuses_more_than_remains_when_finance_paid_directly_meanwhile(
    submitted, commitment, finance
):
    ledger.disbursement_record(
        commitment=commitment,
        amount=D("1600000.00"),
        booking_date=date(2026, 4, 1),
        text="Direkt utbetalning",
        user=finance,
        payment=payment_details(payee="Karlstads kommun", account_kind="bankgiro", account_number="9912346"),
    )
    with pytest.raises(ValidationError) as refused:
        approve(submitted, finance)
    assert refused.value.message_dict["amount"] == [
        "Det återstår bara 400\u00a0000,00\u00a0kr av åtagandet att betala ut."
    ]
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.verification is None


def test_approval_refuses_a_wrong_account_finance_typed(submitted, finance):
    with pytest.raises(ValidationError) as refused:
        approve(submitted, finance, bank_account_number="5050-1056")
    assert refused.value.message_dict == {
        "bank_account_number": [
            "Kontrollsiffran stämmer inte: 5050-1056 är inget giltigt bankgironummer. Kontrollera numret."
        ]
    }


@pytest.mark.parametrize("who", ["initiator", "auditor", "secretariat"])
def test_only_finance_approves_or_rejects(submitted, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        approve(submitted, user)
    with pytest.raises(PermissionDenied):
        services.payment_request_reject(payment_request=submitted, reason="Nej.", user=user)


def test_finance_rejects_with_a_reason_and_nothing_is_paid(submitted, finance, initiator):
    with pytest.raises(ValidationError) as refused:
        services.payment_request_reject(payment_request=submitted, reason="", user=finance)
    assert refused.value.message_dict == {"reason": ["Skriv skälet till avslaget."]}
    services.payment_request_reject(
        payment_request=submitted, reason="Kostnaderna ligger utanför beslutet.", user=finance
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED
    assert "Kostnaderna ligger utanför beslutet." in mails_to(initiator.email)[-1].body
    with pytest.raises(ValidationError):
        approve(submitted, finance)
    assert not Verification.objects.filter(kind=Kind.DISBURSEMENT).exists()


def test_the_database_refuses_an_approved_request_without_its_disbursement(submitted):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.filter(pk=submitted.pk).update(status=Status.APPROVED)


def test_the_database_refuses_a_malformed_account(submitted):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.filter(pk=submitted.pk).update(bank_account_number="991-2346")


def test_the_database_refuses_payment_details_on_other_than_a_disbursement(commitment, finance):
    from django.db import connection

    verification = Verification.objects.filter(kind=Kind.COMMITMENT).first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounting_verification (fund_id, fiscal_year_id, series, number, booking_date,"
            " registered_at, author_id, text, kind, payee, bank_account_kind, bank_account_number)"
            " VALUES (%s, %s, 'Z', 1, '2026-03-01', now(), %s, 'rå', 'transfer', 'X', 'bankgiro', '9912346')",
            [verification.fund_id, verification.fiscal_year_id, finance.pk],
        )


# --- concurrency (real commits, one connection per thread) ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_pay_out_more_than_remains(commitment, initiator, finance):
    """Two requests of 800 000 fit the 2 000 000 committed when sent; then finance pays 1 000 000 directly,
    so only one of them still fits. Approved at the same moment, one is paid and one refused."""
    first = submit(commitment, initiator, amount=D("800000.00"))
    second = submit(commitment, initiator, amount=D("800000.00"))
    ledger.disbursement_record(
        commitment=commitment,
        amount=D("1000000.00"),
        booking_date=date(2026, 4, 1),
        text="Direkt utbetalning",
        user=finance,
        payment=payment_details(payee="Karlstads kommun", account_kind="bankgiro", account_number="9912346"),
    )
    start = threading.Barrier(2)

    def attempt(payment_request):
        start.wait()
        try:
            approve(payment_request, finance)
            return "ok"
        except ValidationError as error:
            return "refused" if "återstår bara" in str(error) else f"other: {error}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(attempt, [first, second]))
    assert outcomes == ["ok", "refused"]
    assert ledger.commitment_figures(commitment)["disbursed"] == D("1800000.00")
    assert PaymentRequest.objects.filter(status=Status.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_one_request_pay_it_once(submitted, finance):
    start = threading.Barrier(4)

    def attempt(_i):
        start.wait()
        try:
            approve(PaymentRequest.objects.get(pk=submitted.pk), finance)
            return "ok"
        except ValidationError as error:
            return "refused" if "kan inte få status" in str(error) else f"other: {error}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(attempt, range(4)))
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert Verification.objects.filter(kind=Kind.DISBURSEMENT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_ask_for_more_than_remains(commitment, initiator):
    start = threading.Barrier(4)

    def attempt(_i):
        start.wait()
        try:
            services.payment_request_submit(
                content=content(commitment, amount=D("900000.00")), user=initiator
            )
            return "ok"
        except ValidationError as error:
            return "refused" if "högst" in str(error) else f"other: {error}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(attempt, range(4)))
    assert outcomes == ["ok", "ok", "refused", "refused"]
    assert sum(r.amount for r in PaymentRequest.objects.all()) == D("1800000.00")
