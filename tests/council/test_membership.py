"""The bodies' members: adding and ending terms of office, the refusals (in Swedish, on the field),
the `members` selector and `is_member`, and what membership lets a person see."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from council.membership import is_member, member_party, members, membership_add, membership_end
from council.models import Meeting, MeetingStatus, Membership, MembershipRole
from people.models import Party
from people.roles import Role
from tests.council.factories import MeetingFactory, body
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NEW_YEAR = D(2026, 1, 1)


def seat(
    person,
    *,
    user,
    slug="varmlandsradet",
    role=MembershipRole.ORDINARY,
    starts_on=NEW_YEAR,
    ends_on=None,
):
    return membership_add(
        body=body(slug),
        party=person.party,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        user=user,
    )


def test_members_on_a_day_are_those_whose_term_includes_it(secretariat, karlstad, arvika):
    anna = UserFactory(party=karlstad, first_name="Anna", last_name="Ek")
    bo = UserFactory(party=arvika, first_name="Bo", last_name="Al")
    cilla = UserFactory(party=karlstad, first_name="Cilla", last_name="Berg")
    seat(anna, user=secretariat, ends_on=D(2026, 6, 30))
    seat(bo, user=secretariat, role=MembershipRole.SUBSTITUTE)
    seat(cilla, user=secretariat, starts_on=D(2026, 7, 1))
    vr = body("varmlandsradet")
    assert [m.person for m in members(body=vr, on=D(2026, 6, 30))] == [anna, bo]  # ordinary first
    assert [m.person for m in members(body=vr, on=D(2026, 7, 1))] == [cilla, bo]
    assert list(members(body=body("vrau"), on=D(2026, 7, 1))) == []
    assert is_member(anna, vr, D(2026, 6, 30)) and not is_member(anna, vr, D(2026, 7, 1))
    assert member_party(bo, vr, D(2026, 3, 1)) == arvika


def test_a_membership_leaves_history_with_who_added_and_ended_it(secretariat, karlstad):
    anna = UserFactory(party=karlstad)
    membership = seat(anna, user=secretariat)
    membership_end(membership=membership, ends_on=D(2026, 12, 31), user=secretariat)
    history = list(membership.history.order_by("history_date"))
    assert [(h.history_type, h.ends_on, h.history_user) for h in history] == [
        ("+", None, secretariat),
        ("~", D(2026, 12, 31), secretariat),
    ]


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (D(2026, 3, 1), D(2026, 3, 31)),
        (D(2025, 1, 1), None),
        (D(2025, 1, 1), D(2026, 1, 1)),
        (D(2026, 12, 31), None),
    ],
)
def test_overlapping_terms_of_one_person_in_one_body_are_refused(secretariat, karlstad, starts_on, ends_on):
    anna = UserFactory(party=karlstad, first_name="Anna", last_name="Ek")
    seat(anna, user=secretariat, ends_on=D(2026, 12, 31))
    with pytest.raises(ValidationError) as refused:
        seat(anna, user=secretariat, role=MembershipRole.SUBSTITUTE, starts_on=starts_on, ends_on=ends_on)
    assert refused.value.message_dict["starts_on"] == [
        "Anna Ek är redan ordinarie ledamot i VR 2026-01-01–2026-12-31: mandatperioderna överlappar."
    ]
    assert Membership.objects.count() == 1


def test_a_term_after_the_last_one_and_a_seat_in_another_body_are_fine(secretariat, karlstad):
    anna = UserFactory(party=karlstad)
    seat(anna, user=secretariat, ends_on=D(2026, 6, 30))
    seat(anna, user=secretariat, starts_on=D(2026, 7, 1))
    seat(anna, user=secretariat, slug="vrau")
    assert Membership.objects.filter(person=anna).count() == 3


def test_bad_input_is_refused_on_its_field_and_changes_nothing(secretariat, karlstad, arvika):
    anna = UserFactory(party=karlstad, first_name="Anna", last_name="Ek")
    with pytest.raises(ValidationError) as refused:
        membership_add(
            body=body("varmlandsradet"),
            party=arvika,
            person=anna,
            role=MembershipRole.ORDINARY,
            starts_on=D(2026, 1, 1),
            user=secretariat,
        )
    assert refused.value.message_dict == {"person": ["Anna Ek tillhör inte Arvika."]}
    with pytest.raises(ValidationError) as refused:
        seat(anna, user=secretariat, starts_on=D(2026, 5, 1), ends_on=D(2026, 4, 30))
    assert refused.value.message_dict == {"ends_on": ["Mandatperioden kan inte sluta före den börjar."]}
    membership = seat(anna, user=secretariat, starts_on=D(2026, 5, 1))
    with pytest.raises(ValidationError) as refused:
        membership_end(membership=membership, ends_on=D(2026, 4, 1), user=secretariat)
    assert "ends_on" in refused.value.message_dict
    membership.refresh_from_db()
    assert membership.ends_on is None
    assert Membership.objects.count() == 1


def test_only_the_secretariat_and_administrators_manage_members(
    secretariat, administrator, initiator, representative, finance, karlstad
):
    anna = UserFactory(party=karlstad)
    for outsider in (initiator, representative, finance):
        with pytest.raises(PermissionDenied):
            seat(anna, user=outsider)
    membership = seat(anna, user=administrator)
    with pytest.raises(PermissionDenied):
        membership_end(membership=membership, ends_on=D(2026, 12, 31), user=representative)
    assert Membership.objects.count() == 1


def test_members_see_their_body_s_coming_meetings_and_nobody_else_does(secretariat, karlstad):
    vrau = MeetingFactory(body=body("vrau"), created_by=secretariat, status=MeetingStatus.AGENDA_PUBLISHED)
    member = UserFactory(party=karlstad, roles=[Role.INITIATOR])
    outsider = UserFactory(party=karlstad, roles=[Role.INITIATOR])
    assert not Meeting.objects.visible_to(member).filter(pk=vrau.pk).exists()
    seat(member, user=secretariat, slug="vrau", starts_on=D(2026, 1, 1))
    assert Meeting.objects.visible_to(member).filter(pk=vrau.pk).exists()
    assert not Meeting.objects.visible_to(outsider).filter(pk=vrau.pk).exists()
    assert Party.objects.count() == 17
