"""Bank accounts of payees: bankgiro, plusgiro and IBAN read as people type them, checked, written one way."""

import pytest
from django.core.exceptions import ValidationError

from accounting.bank import account_number_clean, account_number_display, payment_details


@pytest.mark.parametrize(
    ("kind", "typed", "stored", "written"),
    [
        ("bankgiro", "991-2346", "9912346", "991-2346"),
        ("bankgiro", " 991 2346 ", "9912346", "991-2346"),
        ("bankgiro", "5050-1055", "50501055", "5050-1055"),
        ("plusgiro", "4 12 34-6", "412346", "41234-6"),
        ("plusgiro", "90200-7", "902007", "90200-7"),
        (
            "iban",
            "se45 5000 0000 0583 9825 7466",
            "SE4550000000058398257466",
            "SE45 5000 0000 0583 9825 7466",
        ),
        ("iban", "DE89-3704-0044-0532-0130-00", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"),
    ],
)
def test_account_numbers_are_read_as_typed_and_written_one_way(kind, typed, stored, written):
    assert account_number_clean(kind, typed) == stored
    assert account_number_display(kind, stored) == written


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        (
            "bankgiro",
            "991-2345",
            "Kontrollsiffran stämmer inte: 991-2345 är inget giltigt bankgironummer. Kontrollera numret.",
        ),
        ("bankgiro", "12345", "Ett bankgironummer har 7 eller 8 siffror, inte 5."),
        ("bankgiro", "123456789", "Ett bankgironummer har 7 eller 8 siffror, inte 9."),
        (
            "bankgiro",
            "99l-2346",
            "Ett bankgironummer består bara av siffror (mellanslag och bindestreck går bra).",
        ),
        (
            "bankgiro",
            "١٢٣٤٥٦٧",
            "Ett bankgironummer består bara av siffror (mellanslag och bindestreck går bra).",
        ),
        (
            "plusgiro",
            "4 12 34-5",
            "Kontrollsiffran stämmer inte: 4 12 34-5 är inget giltigt plusgironummer. Kontrollera numret.",
        ),
        ("plusgiro", "1", "Ett plusgironummer har 2 till 8 siffror, inte 1."),
        (
            "iban",
            "SE45 5000 0000 0583 9825 7467",
            "Kontrollsiffrorna stämmer inte: SE45 5000 0000 0583 9825 7467 "
            "är inget giltigt IBAN. Kontrollera numret.",
        ),
        (
            "iban",
            "5000 0000 0583 9825 7466",
            "Ett IBAN börjar med landskod och två kontrollsiffror och följs av "
            "kontonumret, till exempel SE45 5000 0000 0583 9825 7466.",
        ),
        ("iban", " ", "Ange kontonumret."),
    ],
)
def test_wrong_account_numbers_are_refused_with_what_is_wrong(kind, typed, message):
    with pytest.raises(ValidationError) as refused:
        account_number_clean(kind, typed)
    assert refused.value.messages == [message]


def test_an_iban_of_the_wrong_length_for_its_country_is_refused():
    # A valid mod-97 checksum, but a Swedish IBAN has 24 characters: this one has 25.
    from stdnum.iban import calc_check_digits

    body = "500000000583982574661"
    number = f"SE{calc_check_digits('SE00' + body)}{body}"
    with pytest.raises(ValidationError) as refused:
        account_number_clean("iban", number)
    assert refused.value.messages == ["Numret har inte den längd eller form som ett IBAN från SE ska ha."]


def test_payment_details_name_each_wrong_field():
    with pytest.raises(ValidationError) as refused:
        payment_details(payee="  ", account_kind="swish", account_number="123", reference="x" * 101)
    assert refused.value.message_dict == {
        "payee": ["Ange betalningsmottagare."],
        "bank_account_kind": ["Välj bankgiro, plusgiro eller IBAN."],
        "payment_reference": ["OCR-numret eller meddelandet får vara högst 100 tecken."],
    }


def test_payment_details_are_normalised():
    payment = payment_details(
        payee="  Karlstads   kommun ",
        account_kind="plusgiro",
        account_number="4 12 34-6",
        reference=" OCR 123 ",
    )
    assert (payment.payee, payment.account_number, payment.reference) == (
        "Karlstads kommun",
        "412346",
        "OCR 123",
    )
    assert str(payment) == "Karlstads kommun, Plusgiro 41234-6"
