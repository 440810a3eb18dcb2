"""The import of existing records: the dry run, the real run, a second run, and every refusal."""

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounting import services as ledger
from accounting.models import Commitment, Decision, FiscalYear, Verification
from council.models import Meeting, MeetingStatus, Paragraph, ParagraphCounter, Position, Stance, StanceKind
from imports import services
from imports.models import Import, ImportKind
from initiatives.models import Initiative, RegistrationCounter, Revision, Status
from initiatives.services import initiative_submit
from people.roles import Role
from tests.factories import UserFactory, initiative_draft, party
from tests.imports.factories import (
    DECISION_ROWS,
    INITIATIVE_ROWS,
    POSITION_ROWS,
    POSTING_ROWS,
    filled,
    fund_since_2022,
    posting,
    upload,
    zip_bomb,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(finance):
    return fund_since_2022(finance)


def _import(kind, rows, user, fund=None, **kwargs):
    record = services.import_upload(
        kind=kind, upload=upload(filled(kind, rows, **kwargs)), fund=fund, user=user
    )
    assert record.status == Import.Status.CHECKED, record.problems
    return services.import_run(record=record, user=user)


def _history(fund, secretariat, finance):
    _import(ImportKind.INITIATIVES, INITIATIVE_ROWS, secretariat)
    _import(ImportKind.POSITIONS, POSITION_ROWS, secretariat)
    _import(ImportKind.DECISIONS, DECISION_ROWS, finance, fund)
    return _import(ImportKind.POSTINGS, POSTING_ROWS, finance, fund)


def _counts():
    return (
        Initiative.objects.count(),
        Position.objects.count(),
        Decision.objects.count(),
        Verification.objects.count(),
        Commitment.objects.count(),
        FiscalYear.objects.count(),
    )


def test_dry_run_lists_row_by_row_what_would_be_created_and_creates_nothing(secretariat):
    record = services.import_upload(
        kind=ImportKind.INITIATIVES,
        upload=upload(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)),
        user=secretariat,
    )

    assert record.status == Import.Status.CHECKED
    assert record.problems == []
    assert [row["row"] for row in record.rows] == [2, 3, 4, 5]
    assert {row["action"] for row in record.rows} == {"create"}
    assert "DGR 2022/0003 ”Kompetenslyft i besöksnäringen” (Karlstad)" in record.rows[0]["text"]
    assert record.total_rows == 4
    assert record.created_count == 4
    assert Initiative.objects.count() == 0
    assert not RegistrationCounter.objects.exists()
    assert record.history.first().history_user == secretariat


def test_every_kind_imports_through_the_services_with_original_numbers_dates_and_statuses(
    fund, secretariat, finance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        _history(fund, secretariat, finance)

    completed = Initiative.objects.with_registration_number("DGR 2022/0003").get()
    assert completed.status == Status.COMPLETED
    assert completed.submitted_at == timezone.make_aware(datetime(2022, 2, 1, 12, 0))
    assert completed.party == party("karlstad")
    assert {p.slug for p in completed.co_parties.all()} == {"arvika", "torsby"}
    assert [a.action_area.name for a in completed.alignments.all()] == ["Höja kompetensen"]
    budget = completed.budget_years.get()
    assert (budget.year, budget.total_cost, budget.requested_amount) == (
        2022,
        Decimal("5000000.00"),
        Decimal("3000000.00"),
    )
    assert Revision.objects.get(initiative=completed).submitted_at.year == 2022
    statuses = dict(
        Initiative.objects.values_list("registration_serial", "status").filter(registration_year=2022)
    )
    assert statuses == {3: Status.COMPLETED, 7: Status.DECIDED}
    assert Initiative.objects.with_registration_number("2023/2").get().status == Status.WITHDRAWN
    assert Initiative.objects.with_registration_number("2024/1").get().status == Status.SUBMITTED

    # Värmlandsrådet: signed minutes with the original paragraph numbers and the known stances.
    paragraph = Paragraph.objects.get(year=2022, number=5)
    assert paragraph.meeting.status == MeetingStatus.MINUTES_SIGNED
    assert paragraph.item.position.supported_amount == Decimal("3000000.00")
    assert set(Stance.objects.filter(item=paragraph.item).values_list("party__slug", "kind")) == {
        ("karlstad", StanceKind.SUPPORTS),
        ("arvika", StanceKind.SUPPORTS),
    }
    assert ParagraphCounter.objects.get(year=2022).last_number == 12
    assert Meeting.objects.count() == 2

    # The region's decisions and the ledger, with their real booking dates.
    decision = Decision.objects.get(reference="RS 2022/10 § 4")
    assert decision.decided_on == date(2022, 4, 1)
    commitment = Commitment.objects.get(decision=decision)
    figures = ledger.commitment_figures(commitment)
    assert figures["disbursed"] == Decimal("2500000.00")
    assert figures["released"] == Decimal("500000.00")
    assert figures["remaining"] == Decimal("0.00")
    assert figures["repaid"] == Decimal("200000.00")
    parts = {p.number: p for p in fund.capital_parts.all()}
    assert ledger.available(parts[1]) == Decimal("10000000.00") - 3000000 + 500000 + 200000 + 1000000
    assert ledger.available(parts[3]) == Decimal("9000000.00")
    dates = list(
        Verification.objects.filter(kind="disbursement")
        .order_by("booking_date")
        .values_list("booking_date", flat=True)
    )
    assert dates == [date(2022, 5, 1), date(2023, 2, 1)]
    assert sorted(FiscalYear.objects.filter(fund=fund).values_list("year", flat=True)) == [2022, 2023, 2024]

    # Replayed history sends nobody mail, and every history row names the importer.
    assert after_commit == []
    assert mail.outbox == []
    assert completed.history.filter(history_user=secretariat).exists()
    assert completed.history.filter(history_user=finance, status=Status.COMPLETED).exists()


def test_past_years_close_normally_after_the_import(fund, secretariat, finance):
    _history(fund, secretariat, finance)

    ledger.fiscal_year_close(fiscal_year=FiscalYear.objects.get(fund=fund, year=2022), user=finance)
    ledger.fiscal_year_close(fiscal_year=FiscalYear.objects.get(fund=fund, year=2023), user=finance)

    assert FiscalYear.objects.get(fund=fund, year=2023).status == FiscalYear.Status.CLOSED


def test_running_the_same_files_again_creates_nothing_twice(fund, secretariat, finance):
    _history(fund, secretariat, finance)
    before = _counts()

    for kind, rows, user, money in (
        (ImportKind.INITIATIVES, INITIATIVE_ROWS, secretariat, None),
        (ImportKind.POSITIONS, POSITION_ROWS, secretariat, None),
        (ImportKind.DECISIONS, DECISION_ROWS, finance, fund),
        (ImportKind.POSTINGS, POSTING_ROWS, finance, fund),
    ):
        again = _import(kind, rows, user, money)
        assert again.status == Import.Status.IMPORTED
        assert again.created_count == 0
        assert again.skipped_count == len(rows)
        assert {row["action"] for row in again.rows} == {"skip"}

    assert _counts() == before


def test_the_registration_series_continues_after_the_highest_imported_number(secretariat, initiator):
    _import(ImportKind.INITIATIVES, INITIATIVE_ROWS, secretariat)

    in_2022 = initiative_draft(initiator, title="Ett sent initiativ 2022")
    initiative_submit(
        initiative=in_2022,
        user=initiator,
        token=in_2022.submission_token,
        submitted_at=timezone.make_aware(datetime(2022, 12, 1, 10, 0)),
    )
    in_2024 = initiative_draft(initiator, title="Ett initiativ 2024")
    initiative_submit(
        initiative=in_2024,
        user=initiator,
        token=in_2024.submission_token,
        submitted_at=timezone.make_aware(datetime(2024, 10, 1, 10, 0)),
    )

    assert in_2022.registration_number == "DGR 2022/0008"
    assert in_2024.registration_number == "DGR 2024/0002"


def test_a_file_of_another_kind_is_refused_at_its_marker(secretariat):
    content = filled(ImportKind.POSITIONS, [])

    record = services.import_upload(kind=ImportKind.INITIATIVES, upload=upload(content), user=secretariat)

    assert record.status == Import.Status.REFUSED
    assert record.problems == [
        {
            "sheet": "Instruktioner",
            "row": 1,
            "column": "A",
            "message": "Filen är en mall för ”Värmlandsrådets ställningstaganden”, inte för ”Initiativ”.",
        }
    ]


def test_a_file_that_is_not_a_template_or_not_excel_is_refused(secretariat):
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    plain = services.import_upload(
        kind=ImportKind.INITIATIVES, upload=upload(buffer.getvalue()), user=secretariat
    )
    with pytest.raises(ValidationError) as text:
        services.import_upload(
            kind=ImportKind.INITIATIVES, upload=upload(b"Diarienummer;Titel\n"), user=secretariat
        )

    assert "inte en DGR-importmall" in plain.problems[0]["message"]
    assert text.value.message_dict["file"][0].startswith("Filen tas inte emot som Excel (.xlsx):")
    assert Import.objects.count() == 1  # the workbook without the marker: a record of the refusal


def test_a_zip_bomb_is_refused_by_the_upload_checker_before_it_is_unpacked(secretariat, monkeypatch):
    bomb = zip_bomb(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS))
    assert len(bomb) < services.MAX_BYTES

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see a file the checker refuses")

    monkeypatch.setattr("imports.workbook.load_workbook", never)
    with pytest.raises(ValidationError) as refused:
        services.import_upload(kind=ImportKind.INITIATIVES, upload=upload(bomb), user=secretariat)

    assert refused.value.message_dict["file"] == [
        "Filen tas inte emot som Excel (.xlsx): "
        "Filen packas upp till mer än tillåtet (högst 100 MB per del och 200 MB sammanlagt)."
    ]
    assert not Import.objects.exists()
    assert not Initiative.objects.exists()


def test_the_workbook_is_parsed_before_any_transaction_opens(secretariat, monkeypatch):
    # The app role's session ends after 60 s idle in a transaction (core/dbroles.py): a long parse
    # must not happen inside one, neither at the dry run nor at the real run.
    from django.db import connection

    from imports import workbook

    outside = len(connection.atomic_blocks)  # the test's own transaction
    depths = []

    def read(*args, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return workbook.read(*args, **kwargs)

    monkeypatch.setattr(services, "read", read)
    content = filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)
    record = services.import_upload(kind=ImportKind.INITIATIVES, upload=upload(content), user=secretariat)
    services.import_run(record=record, user=secretariat)

    assert depths == [outside, outside]
    assert Import.objects.get().status == Import.Status.IMPORTED


def test_missing_and_renamed_columns_are_each_named(secretariat):
    content = filled(ImportKind.INITIATIVES, INITIATIVE_ROWS, rename={"Titel": "Rubrik", "Part": "Part"})

    record = services.import_upload(kind=ImportKind.INITIATIVES, upload=upload(content), user=secretariat)

    assert record.status == Import.Status.REFUSED
    assert [(p["row"], p["column"], p["message"]) for p in record.problems] == [
        (1, "Titel", "Kolumnen ”Titel” saknas (borttagen eller omdöpt)."),
        (1, "D (Rubrik)", "Okänd kolumn ”Rubrik”: mallen har ingen sådan (omdöpt?)."),
    ]
    assert Initiative.objects.count() == 0


def test_bad_initiative_rows_are_all_listed_with_their_place_and_nothing_is_created(secretariat):
    _import(ImportKind.INITIATIVES, INITIATIVE_ROWS[:1], secretariat)
    before = _counts()
    rows = [
        dict(INITIATIVE_ROWS[3], **{"Diarienummer": "DGR 2025/0001"}),  # fine on its own: rolled back too
        dict(INITIATIVE_ROWS[3], **{"Diarienummer": "DGR 2025/0001", "Titel": "Samma nummer igen"}),
        dict(INITIATIVE_ROWS[3], **{"Diarienummer": "DGR 2025/0002", "Part": "Gotham"}),
        dict(INITIATIVE_ROWS[0], **{"Titel": "Ett annat initiativ"}),  # number taken by another initiative
        dict(
            INITIATIVE_ROWS[3],
            **{"Diarienummer": "DGR 2025/0003", "Total kostnad (kr)": 100, "Sökt belopp ur DGR (kr)": 200},
        ),
        dict(
            INITIATIVE_ROWS[3], **{"Diarienummer": "DGR 2025/0004", "Inlämnat": "1 april", "Status": "Klar"}
        ),
        dict(INITIATIVE_ROWS[3], **{"Diarienummer": "DGR 2025/0005", "Total kostnad (kr)": "12,345"}),
    ]

    record = services.import_upload(
        kind=ImportKind.INITIATIVES, upload=upload(filled(ImportKind.INITIATIVES, rows)), user=secretariat
    )

    problems = [(p["sheet"], p["row"], p["column"], p["message"]) for p in record.problems]
    assert problems == [
        ("Initiativ", 3, "A (Diarienummer)", "Finns redan på rad 2 i filen."),
        ("Initiativ", 4, "C (Part)", "Okänd part ”Gotham”."),
        (
            "Initiativ",
            5,
            "A (Diarienummer)",
            "Diarienumret finns redan för ett annat initiativ: ”Kompetenslyft i besöksnäringen”.",
        ),
        (
            "Initiativ",
            6,
            "L (Sökt belopp ur DGR (kr))",
            "Det sökta beloppet kan inte vara större än den totala kostnaden.",
        ),
        ("Initiativ", 7, "B (Inlämnat)", "Skriv datumet som ÅÅÅÅ-MM-DD (till exempel 2022-03-15)."),
        (
            "Initiativ",
            7,
            "O (Status)",
            "Okänt värde ”Klar”. Välj bland: " + ", ".join(services.STATUSES) + ".",
        ),
        ("Initiativ", 8, "K (Total kostnad (kr))", "Ett belopp kan ha högst två decimaler (öre)."),
    ]
    assert record.status == Import.Status.REFUSED
    assert _counts() == before
    assert RegistrationCounter.objects.get(year=2022).last_serial == 3
    assert not RegistrationCounter.objects.filter(year=2025).exists()


def test_number_cells_with_ore_are_read_as_excel_stored_them(secretariat):
    # Excel shows a number cell as 2 500 000,50 kr; the file holds the number, which openpyxl reads as
    # a float (the only floats in these tests: they are what a real file gives).
    rows = [
        dict(
            INITIATIVE_ROWS[3],
            **{
                "Diarienummer": "DGR 2025/0001",
                "Total kostnad (kr)": 2500000.5,
                "Sökt belopp ur DGR (kr)": 1234.55,
            },
        ),
        dict(
            INITIATIVE_ROWS[3],
            **{"Diarienummer": "DGR 2025/0002", "Total kostnad (kr)": 0.1, "Sökt belopp ur DGR (kr)": "0,10"},
        ),
    ]

    _import(ImportKind.INITIATIVES, rows, secretariat)

    budgets = [
        (budget.total_cost, budget.requested_amount)
        for serial in (1, 2)
        for budget in Initiative.objects.get(
            registration_year=2025, registration_serial=serial
        ).budget_years.all()
    ]
    assert budgets == [(Decimal("2500000.50"), Decimal("1234.55")), (Decimal("0.10"), Decimal("0.10"))]


def test_a_number_cell_with_a_third_decimal_is_refused_not_rounded(secretariat):
    rows = [dict(INITIATIVE_ROWS[3], **{"Diarienummer": "DGR 2025/0001", "Total kostnad (kr)": 1234.555})]

    record = services.import_upload(
        kind=ImportKind.INITIATIVES, upload=upload(filled(ImportKind.INITIATIVES, rows)), user=secretariat
    )

    assert [(p["column"], p["message"]) for p in record.problems] == [
        ("K (Total kostnad (kr))", "Ett belopp kan ha högst två decimaler (öre)."),
    ]
    assert not Initiative.objects.filter(registration_year=2025).exists()


def test_positions_refuse_unknown_stances_a_blocked_consensus_and_unknown_initiatives(secretariat):
    _import(ImportKind.INITIATIVES, INITIATIVE_ROWS, secretariat)
    rows = [
        dict(POSITION_ROWS[0], Karlstad="Kanske"),
        dict(POSITION_ROWS[1], Arvika="Motsätter sig", **{"Skäl till invändning": "För dyrt"}),
        dict(POSITION_ROWS[1], Paragraf=13, Diarienummer="DGR 2021/0001"),
        dict(POSITION_ROWS[1], Paragraf=14, Organ="Kommunstyrelsen"),
    ]

    record = services.import_upload(
        kind=ImportKind.POSITIONS, upload=upload(filled(ImportKind.POSITIONS, rows)), user=secretariat
    )

    messages = [(p["row"], p["column"].split(" ")[0], p["message"]) for p in record.problems]
    assert (
        2,
        record.problems[0]["column"].split(" ")[0],
        "Okänt ställningstagande ”Kanske”. Välj bland: Står bakom, Avstår, Motsätter sig, Jäv.",
    ) in messages
    assert (3, "E", "Arvika motsätter sig, så utfallet kan inte vara konsensus.") in messages
    assert (4, "D", "Det finns inget initiativ med diarienumret DGR 2021/0001.") in messages
    assert (5, "A", "Okänt organ ”Kommunstyrelsen”.") in messages
    assert Position.objects.count() == 0
    assert Meeting.objects.count() == 0


def test_money_the_ledger_would_refuse_and_postings_into_a_closed_year_are_listed(fund, secretariat, finance):
    _import(ImportKind.INITIATIVES, INITIATIVE_ROWS, secretariat)
    _import(ImportKind.POSITIONS, POSITION_ROWS, secretariat)
    # Decisions: more than Värmlandsrådet supported; an unknown initiative; the first row is fine.
    decisions = services.import_upload(
        kind=ImportKind.DECISIONS,
        fund=fund,
        user=finance,
        upload=upload(
            filled(
                ImportKind.DECISIONS,
                [
                    DECISION_ROWS[0],
                    dict(DECISION_ROWS[1], **{"Beviljat belopp (kr)": 2500000}),
                    dict(DECISION_ROWS[1], Beslutsnummer="RD 2022/21", Diarienummer="DGR 2024/0001"),
                ],
            )
        ),
    )
    assert [(p["row"], p["column"]) for p in decisions.problems] == [
        (3, "G (Beviljat belopp (kr))"),
        (4, ""),  # the whole row: the initiative is not supported by Värmlandsrådet
    ]
    assert "tillstyrkt" in decisions.problems[0]["message"]
    assert "status nu: Under beredning" in decisions.problems[1]["message"]
    assert Decision.objects.count() == 0

    _import(ImportKind.DECISIONS, DECISION_ROWS, finance, fund)
    ledger.fiscal_year_close(fiscal_year=FiscalYear.objects.get(fund=fund, year=2022), user=finance)
    before = _counts()
    postings = services.import_upload(
        kind=ImportKind.POSTINGS,
        fund=fund,
        user=finance,
        upload=upload(
            filled(
                ImportKind.POSTINGS,
                [
                    posting(
                        "B-1", "Åtagande", date(2022, 8, 1), 1000, Beslutsnummer="RD 2022/20", Kapitaldel="2"
                    ),
                    posting(
                        "B-2",
                        "Åtagande",
                        date(2023, 8, 1),
                        2000001,
                        Beslutsnummer="RD 2022/20",
                        Kapitaldel="2",
                    ),
                    posting(
                        "B-3", "Utbetalning", date(2023, 9, 1), 10, **{"Åtagandets importnyckel": "B-404"}
                    ),
                    posting(
                        "B-4",
                        "Överföring",
                        date(2023, 9, 1),
                        99000000,
                        Kapitaldel="1",
                        **{"Till kapitaldel": "2"},
                    ),
                    posting("B-4", "Avslut", date(2023, 9, 2), Diarienummer="DGR 2022/0007"),
                ],
            )
        ),
    )

    problems = {(p["row"], p["column"]): p["message"] for p in postings.problems}
    assert problems[(2, "C (Bokföringsdag)")].startswith("Verksamhetsåret 2022 är stängt.")
    assert problems[(3, "D (Belopp (kr))")].startswith("Beslutet gäller 2\xa0000\xa0000,00\xa0kr")
    assert problems[(4, "H (Åtagandets importnyckel)")].startswith("Inget åtagande med importnyckeln ”B-404”")
    assert problems[(5, "D (Belopp (kr))")].startswith("Det finns bara")
    assert problems[(6, "A (Importnyckel)")] == "Finns redan på rad 5 i filen."
    assert postings.status == Import.Status.REFUSED
    assert _counts() == before


def test_a_dry_run_that_passed_is_refused_at_the_real_run_if_the_database_changed(fund, secretariat, finance):
    _import(ImportKind.INITIATIVES, INITIATIVE_ROWS, secretariat)
    _import(ImportKind.POSITIONS, POSITION_ROWS, secretariat)
    _import(ImportKind.DECISIONS, DECISION_ROWS, finance, fund)
    rows = [posting("C-1", "Åtagande", date(2022, 8, 1), 1000, Beslutsnummer="RD 2022/20", Kapitaldel="2")]
    record = services.import_upload(
        kind=ImportKind.POSTINGS, fund=fund, user=finance, upload=upload(filled(ImportKind.POSTINGS, rows))
    )
    assert record.status == Import.Status.CHECKED
    ledger.fiscal_year_close(fiscal_year=FiscalYear.objects.get(fund=fund, year=2022), user=finance)

    ran = services.import_run(record=record, user=finance)

    assert ran.status == Import.Status.REFUSED
    assert "stängt" in ran.problems[0]["message"]
    assert not Verification.objects.filter(idempotency_key=services._key(fund, "posting", "C-1")).exists()


def test_each_kind_is_imported_only_by_its_role(fund, secretariat, finance, initiator):
    from django.core.exceptions import PermissionDenied

    content = filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)
    for user in (finance, initiator):
        with pytest.raises(PermissionDenied):
            services.import_upload(kind=ImportKind.INITIATIVES, upload=upload(content), user=user)
    with pytest.raises(PermissionDenied):
        services.import_upload(
            kind=ImportKind.POSTINGS,
            upload=upload(filled(ImportKind.POSTINGS, [])),
            user=secretariat,
            fund=fund,
        )
    assert Import.objects.count() == 0


def test_the_import_key_is_the_ledgers_idempotency_key(fund, secretariat, finance):
    _history(fund, secretariat, finance)

    verification = Verification.objects.get(idempotency_key=services._key(fund, "posting", "a-2022-1"))

    assert verification.kind == "commitment"
    assert verification.booking_date == date(2022, 4, 15)
    assert isinstance(verification.idempotency_key, uuid.UUID)


def test_an_importer_with_both_roles_is_named_in_history(fund):
    both = UserFactory(username="bada", party=party("region"), roles=[Role.SECRETARIAT, Role.FINANCE])

    _history(fund, both, both)

    assert Initiative.objects.filter(status=Status.COMPLETED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_file_run_twice_at_once_is_created_once(secretariat):
    import threading

    from django.db import connection

    content = filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)
    records = [
        services.import_upload(kind=ImportKind.INITIATIVES, upload=upload(content), user=secretariat)
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(record):
        try:
            barrier.wait()
            outcomes.append(services.import_run(record=record, user=secretariat))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(record,)) for record in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Initiative.objects.count() == 4
    assert RegistrationCounter.objects.get(year=2022).last_serial == 7
    # Whichever came second either found every row (nothing created) or was refused whole.
    assert sorted(o.created_count for o in outcomes if o.status == Import.Status.IMPORTED)[-1] == 4
    assert sum(o.created_count for o in outcomes if o.status == Import.Status.IMPORTED) == 4
