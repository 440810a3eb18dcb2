import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core.models import IdempotencyKey
from core.services import KEY_USED_FOR_ANOTHER_REQUEST, idempotency_key_claim, request_fingerprint

pytestmark = pytest.mark.django_db


def _claim(key, user, action="test.post", **content):
    with transaction.atomic():
        return idempotency_key_claim(key=key, action=action, content=content, user=user)


def test_a_key_is_claimed_once_and_a_repeat_of_the_same_request_is_told_to_replay(finance):
    key = uuid.uuid4()
    assert _claim(key, finance, amount=Decimal("10.00"), text="Kapital") is True
    assert _claim(key, finance, amount=Decimal("10.00"), text="Kapital") is False
    assert IdempotencyKey.objects.get(key=key).user == finance


@pytest.mark.parametrize(
    "change",
    [
        {"content": {"amount": Decimal("11.00"), "text": "Kapital"}},
        {"content": {"amount": Decimal("10.00"), "text": "Något annat"}},
        {"action": "test.other"},
        {"other_user": True},
    ],
)
def test_a_key_used_for_another_request_is_refused(finance, auditor, change):
    key = uuid.uuid4()
    _claim(key, finance, amount=Decimal("10.00"), text="Kapital")
    content = change.get("content", {"amount": Decimal("10.00"), "text": "Kapital"})
    user = auditor if change.get("other_user") else finance
    with pytest.raises(ValidationError) as error:
        _claim(key, user, action=change.get("action", "test.post"), **content)
    assert error.value.code == KEY_USED_FOR_ANOTHER_REQUEST
    assert "redan skickats in en gång med andra uppgifter" in error.value.messages[0]


def test_a_rolled_back_request_leaves_its_key_free_for_the_corrected_form(finance):
    key = uuid.uuid4()
    with pytest.raises(RuntimeError), transaction.atomic():
        idempotency_key_claim(key=key, action="test.post", content={"amount": "1"}, user=finance)
        raise RuntimeError("the service refused")
    assert not IdempotencyKey.objects.filter(key=key).exists()
    assert _claim(key, finance, amount="2") is True


def test_no_key_means_no_claim(finance):
    assert _claim(None, finance, amount="1") is True
    assert not IdempotencyKey.objects.exists()


def test_the_fingerprint_reads_a_file_by_its_bytes_and_leaves_it_readable(finance):
    first = SimpleUploadedFile("beslut.pdf", b"%PDF-1.4 one")
    same = SimpleUploadedFile("annat-namn.pdf", b"%PDF-1.4 one")
    other = SimpleUploadedFile("beslut.pdf", b"%PDF-1.4 two")

    def fingerprint(document):
        return request_fingerprint(action="a", content={"document": document}, user=finance)

    assert fingerprint(first) == fingerprint(same) != fingerprint(other)
    assert first.read() == b"%PDF-1.4 one"
