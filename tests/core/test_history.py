"""Recorded values as people read them (issue 17, item 7): one formatter for every history page and
the admin's."""

import datetime
from decimal import Decimal

import pytest

from core.history import Names, field_label, value_text
from initiatives.models import BudgetYear, Initiative, Preparation
from outcomes.models import OutcomeIndicator, OutcomeReport
from people.models import Party


def field(model, name):
    return model._meta.get_field(name)


def test_values_read_as_swedish_people_read_them():
    names = Names()
    utc = datetime.datetime(2026, 11, 30, 18, 12, 40, 454575, tzinfo=datetime.UTC)
    assert value_text(field(Initiative, "submitted_at"), utc, names) == "2026-11-30 19:12"
    assert value_text(field(Initiative, "start_date"), datetime.date(2027, 1, 1), names) == "2027-01-01"
    assert value_text(field(Initiative, "status"), "complement_requested", names) == "Komplettering begärd"
    assert value_text(field(Preparation, "proposed_position"), "support", names) == "Tillstyrk"
    assert value_text(field(Initiative, "transport_plan"), True, names) == "Ja"
    assert value_text(field(Initiative, "transport_plan"), False, names) == "Nej"
    assert (
        value_text(field(BudgetYear, "total_cost"), Decimal("1234567.89"), names)
        == "1\xa0234\xa0567,89\xa0kr"
    )
    # an indicator is a number, not money
    assert value_text(field(OutcomeIndicator, "target"), Decimal("20.00"), names) == "20,00"
    assert value_text(field(Initiative, "title"), "", names) == ""


@pytest.mark.django_db
def test_related_objects_read_by_their_names_in_one_query(django_assert_num_queries):
    names = Names()
    kil, eda = Party.objects.get(code="1715"), Party.objects.get(code="1730")
    names.want(Party, kil.pk)
    names.want(Party, eda.pk)
    with django_assert_num_queries(1):
        names.load()
    assert value_text(field(Initiative, "party"), kil.pk, names) == kil.name
    assert names(Party, eda.pk) == eda.name


def test_fields_without_a_verbose_name_get_a_swedish_label():
    assert field_label(field(OutcomeReport, "reviewed_by")) == "granskad av"
    assert field_label(field(Initiative, "title")) == "titel"
