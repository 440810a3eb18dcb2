import datetime

import factory
from django.contrib.auth.models import Group

from people.models import Party, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    title = "Handläggare"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


def party(slug: str) -> Party:
    return Party.objects.get(slug=slug)


# --- Initiatives ---------------------------------------------------------------------------------------


def initiative_draft(user, *, title="Cykelstråk mellan kommunerna", complete=True, **data):
    """A draft made through the services, as an initiator fills it in. `complete` adds what submission
    needs: description, alignment, period 2027–2028 and a budget for both years."""
    import datetime
    from decimal import Decimal

    from initiatives import services
    from initiatives.models import ActionArea

    content = {"title": title}
    alignments = {}
    if complete:
        content |= {
            "summary": "Ett sammanhängande cykelnät för hela länet.",
            "description": "Kommunerna bygger och skyltar gemensamt.",
            "kind": "project",
            "contact_name": "Karin Lund",
            "contact_email": "karin@example.invalid",
            "whole_varmland_motivation": "Ingen kommun kan bygga stråket ensam.",
            "start_date": datetime.date(2027, 1, 1),
            "end_date": datetime.date(2028, 12, 31),
        }
        area = ActionArea.objects.get(name="Utveckla attraktiva platser")
        alignments = {area.pk: "Attraktiva platser kräver bra förbindelser."}
    content |= data
    initiative = services.initiative_create(user=user, data=content, alignments=alignments)
    if complete:
        for year in (2027, 2028):
            services.budget_year_add(
                initiative=initiative,
                user=user,
                year=year,
                total_cost=Decimal("1000000.00"),
                requested_amount=Decimal("400000.00"),
            )
    return initiative


def initiative_submitted(user, **kwargs):
    from initiatives import services

    initiative = initiative_draft(user, **kwargs)
    return services.initiative_submit(initiative=initiative, user=user, token=initiative.submission_token)


# What an early termination writes with its status (the database refuses TERMINATED without a day and a
# reason; accounting.services.initiative_terminate is the service that does it for real).
TERMINATION_FIELDS = {
    "terminated_on": datetime.date(2026, 3, 2),
    "termination_reason": "Projektet lades ned.",
}


def initiative_in(status, user, secretariat, **kwargs):
    """An initiative brought to `status` along the allowed path, through the services."""
    from decimal import Decimal

    from initiatives import services
    from initiatives.models import Status

    if status == Status.DRAFT:
        return initiative_draft(user, **kwargs)
    initiative = initiative_submitted(user, **kwargs)
    path = {
        Status.SUBMITTED: [],
        Status.COMPLEMENT_REQUESTED: ["complement"],
        Status.NOT_ELIGIBLE: ["not_eligible"],
        Status.WITHDRAWN: ["withdraw"],
        Status.PREPARED: ["prepared"],
        Status.PROPOSED: ["prepared", Status.PROPOSED],
        Status.SUPPORTED: ["prepared", Status.PROPOSED, Status.SUPPORTED],
        Status.NOT_SUPPORTED: ["prepared", Status.PROPOSED, Status.NOT_SUPPORTED],
        Status.DECIDED: ["prepared", Status.PROPOSED, Status.SUPPORTED, Status.DECIDED],
        Status.COMPLETED: ["prepared", Status.PROPOSED, Status.SUPPORTED, Status.DECIDED, Status.COMPLETED],
        Status.TERMINATED: ["prepared", Status.PROPOSED, Status.SUPPORTED, Status.DECIDED, Status.TERMINATED],
    }[status]
    for step in path:
        if step == "complement":
            services.initiative_request_complement(
                initiative=initiative, user=secretariat, message="Tidplan?"
            )
        elif step == "not_eligible":
            services.initiative_mark_not_eligible(initiative=initiative, user=secretariat, reason="Lokalt.")
        elif step == "withdraw":
            services.initiative_withdraw(initiative=initiative, user=user)
        elif step == "prepared":
            services.initiative_mark_prepared(
                initiative=initiative,
                user=secretariat,
                checklist=dict.fromkeys(services.CHECKLIST_FIELDS, True),
                assessment="Uppfyller kraven.",
                proposed_position="support",
                proposed_amount=Decimal("500000.00"),
            )
        elif step == Status.TERMINATED:
            services.initiative_transition(
                initiative=initiative, to=step, user=secretariat, fields=TERMINATION_FIELDS
            )
        else:
            services.initiative_transition(initiative=initiative, to=step, user=secretariat)
    initiative.refresh_from_db()
    return initiative
