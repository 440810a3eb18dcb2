"""Registration numbers under concurrency: real commits, several connections."""

import threading

import pytest
from django.db import connection, transaction

from initiatives import services
from initiatives.models import Initiative, RegistrationCounter
from tests.factories import initiative_draft

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def _submit_all_at_once(drafts, user):
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(draft):
        try:
            barrier.wait()
            services.initiative_submit(initiative=draft, user=user, token=draft.submission_token)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_submissions_get_gapless_unique_numbers(initiator):
    drafts = [initiative_draft(initiator, title=f"Initiativ {n}") for n in range(THREADS)]
    errors = _submit_all_at_once(drafts, initiator)
    assert errors == []
    serials = sorted(Initiative.objects.values_list("registration_serial", flat=True))
    assert serials == list(range(1, THREADS + 1))
    assert RegistrationCounter.objects.get().last_serial == THREADS


def test_the_same_form_sent_twice_at_once_submits_once(initiator):
    draft = initiative_draft(initiator)
    errors = _submit_all_at_once([draft, Initiative.objects.get(pk=draft.pk)], initiator)
    assert errors == []
    draft.refresh_from_db()
    assert draft.registration_serial == 1
    assert draft.revisions.count() == 1
    assert RegistrationCounter.objects.get().last_serial == 1


def test_a_rolled_back_submission_gives_its_number_back(initiator):
    """The number is taken in the submission's own transaction: if that fails, no gap remains."""

    class Rollback(Exception):
        pass

    first = initiative_draft(initiator, title="Första")
    second = initiative_draft(initiator, title="Andra")
    with pytest.raises(Rollback), transaction.atomic():
        services.initiative_submit(initiative=first, user=initiator, token=first.submission_token)
        raise Rollback
    services.initiative_submit(initiative=second, user=initiator, token=second.submission_token)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.registration_serial == 1
    assert first.registration_serial is None and first.status == "draft"
