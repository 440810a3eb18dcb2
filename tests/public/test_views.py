"""The public pages: a bounded number of queries that does not grow with the data, the server-side cache
(a second GET asks the database nothing), and the same page whoever asks."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import initiative_draft


def _public_pages(world) -> list[str]:
    cycle, paragraph = world["cycle"], world["paragraph"]
    return [
        reverse("public:index"),
        reverse("public:fund"),
        reverse("public:initiative-list"),
        reverse("public:initiative-detail", args=[cycle.registration_year, cycle.registration_serial]),
        reverse("public:position-list"),
        reverse("public:meeting-list"),
        reverse("public:notice-detail", args=[world["signed"].pk]),
        reverse("public:minutes-detail", args=[world["signed"].pk]),
        reverse("public:paragraph-detail", args=["varmlandsradet", paragraph.year, paragraph.number]),
        reverse("public:report-list"),
        reverse("public:agreement"),
        reverse("public:data"),
        reverse("public:privacy"),
        reverse("public:personal-data"),
        reverse("public:dataset-csv", args=["initiativ"]),
        reverse("public:dataset-csv", args=["stallningstaganden"]),
        reverse("public:feed"),
        reverse("public:sitemap"),
        "/offentligt/api/initiativ",
        "/offentligt/api/stallningstaganden",
        "/offentligt/api/fonden",
    ]


@pytest.mark.django_db
def test_each_public_page_takes_at_most_twelve_queries_and_a_second_get_none(
    public_world, django_assert_max_num_queries, django_assert_num_queries
):
    client = Client()
    for url in _public_pages(public_world):
        with django_assert_max_num_queries(12):
            first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200, url
        assert second.content == first.content, url


@pytest.mark.django_db
def test_queries_do_not_grow_with_more_initiatives_and_minutes(
    public_world, initiator, secretariat, karlstad
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounting.factories import supported_initiative
    from tests.public.conftest import sign_minutes

    def counts():
        from django.core.cache import cache

        cache.clear()
        client = Client()
        result = {}
        for url in _public_pages(public_world):
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result[url] = len(queries)
        return result

    before = counts()
    for title in ("Fler laddplatser", "Gemensam turistportal"):
        initiative = supported_initiative(party=karlstad, user=initiator, title=title)
        initiative_draft(initiator, title=f"Utkast {title}")
        sign_minutes(
            initiative.agenda_items.get().meeting,
            secretariat=secretariat,
            chair=public_world["chair"],
            adjuster=public_world["adjuster"],
        )
    after = counts()
    assert after == before


@pytest.mark.django_db
def test_the_public_page_is_the_same_for_a_logged_in_reader(public_world, client, initiator):
    anonymous = Client().get(reverse("public:fund"))
    client.force_login(initiator)
    from django.core.cache import cache

    cache.clear()
    logged_in = client.get(reverse("public:fund"))
    assert logged_in.status_code == 200
    assert initiator.get_full_name() not in logged_in.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in logged_in.content.decode()
    assert logged_in.content == anonymous.content
    # Never kept by the browser or a proxy: the cache is the server's own.
    assert "no-store" in logged_in["Cache-Control"]


@pytest.mark.django_db
def test_the_fund_page_shows_each_capital_part_and_a_chart(public_world):
    text = Client().get(reverse("public:fund")).content.decode()
    for part in public_world["fund"].capital_parts.all():
        assert part.name in text
    assert "<svg" in text
    assert "Tillgängligt per kapitaldel" in text
    assert "3\u00a0000\u00a0000,00\u00a0kr" in text  # granted, in total


@pytest.mark.django_db
def test_the_login_page_and_the_footer_link_the_public_pages_and_the_privacy_notice(db):
    text = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("public:index")}"' in text
    assert f'href="{reverse("public:privacy")}"' in text
