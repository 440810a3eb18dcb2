"""Open data: each dataset is one list of records (plain dicts) built from public_record.selectors; the JSON
API returns them and the CSV file writes the same records with the reports' CSV writer
(reports.exports.csv_bytes), so the two cannot differ. Licence CC0 1.0."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

from public_record import selectors
from reports.exports import csv_bytes


def fund_records() -> list[dict]:
    rows = []
    for fund_now in selectors.funds_now():
        fund = fund_now.overview.fund
        for part_row in fund_now.overview.parts:
            figures = part_row.figures
            rows.append(
                {
                    "fund": fund.slug,
                    "fund_name": fund.name,
                    "capital_part": part_row.part.number,
                    "capital_part_name": part_row.part.name,
                    "capital": figures.capital,
                    "granted": figures.granted,
                    "disbursed": figures.disbursed,
                    "repaid": figures.repaid,
                    "reserved": figures.reserved,
                    "available": figures.available,
                }
            )
    return rows


def initiative_record(public: selectors.PublicInitiative) -> dict:
    initiative = public.initiative
    return {
        "registration_number": initiative.registration_number,
        "title": initiative.title,
        "party": initiative.party.name,
        "co_parties": public.co_parties,
        "action_areas": public.areas,
        "transport_plan": initiative.transport_plan,
        "status": initiative.status,
        "status_label": str(initiative.get_status_display()),
        "summary": initiative.summary,
        "start_date": initiative.start_date,
        "end_date": initiative.end_date,
        "granted": public.money.granted,
        "disbursed": public.money.disbursed,
        "repaid": public.money.repaid,
        "outcome_summary": public.outcome_summary,
        "url": reverse(
            "public:initiative-detail", args=[initiative.registration_year, initiative.registration_serial]
        ),
    }


def initiative_records() -> list[dict]:
    return [initiative_record(public) for public in selectors.initiatives_decided()]


def _position_record(line: selectors.PositionLine) -> dict:
    paragraph, position = line.paragraph, line.position
    return {
        "identifier": line.identifier,
        "body": paragraph.body.slug,
        "year": paragraph.year,
        "paragraph": paragraph.number,
        "meeting_date": timezone.localtime(position.meeting.starts_at).date(),
        "initiative": position.initiative.registration_number,
        "title": paragraph.title,
        "outcome": position.outcome,
        "outcome_label": str(position.get_outcome_display()),
        "supported_amount": position.supported_amount,
        "stances": [
            {"party": stance.party_name, "stance": str(stance.label), "reason": stance.reason}
            for stance in line.stances
        ],
        "url": reverse(
            "public:paragraph-detail", args=[paragraph.body.slug, paragraph.year, paragraph.number]
        ),
    }


def position_records() -> list[dict]:
    return [_position_record(line) for line in selectors.positions()]


def minutes_records() -> list[dict]:
    return [
        {
            "id": meeting.pk,
            "body": meeting.body.name,
            "date": timezone.localtime(meeting.starts_at).date(),
            "place": meeting.place,
            "status": meeting.status,
            "signed_at": meeting.signed_at,
            "notice_url": reverse("public:notice-detail", args=[meeting.pk]),
            "minutes_url": reverse("public:minutes-detail", args=[meeting.pk])
            if meeting.status == selectors.SIGNED
            else "",
        }
        for meeting in selectors.meetings_published()
    ]


def report_records() -> list[dict]:
    return [
        {
            "kind": report.kind,
            "fund": report.fund.slug,
            "year": report.year,
            "sha256": report.sha256,
            "size": report.size,
            "url": reverse("public:report-download", args=[report.pk]),
        }
        for report in selectors.reports_final()
    ]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    records: Callable[[], list[dict]]
    schema: str  # the API's schema of one record (public.api): its fields are the CSV's columns


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("fonden", "Fonden per kapitaldel", fund_records, "FundPart"),
        Dataset("initiativ", "Beslutade initiativ", initiative_records, "InitiativeOut"),
        Dataset("stallningstaganden", "Värmlandsrådets ställningstaganden", position_records, "PositionOut"),
        Dataset("sammantraden", "Kallelser och justerade protokoll", minutes_records, "MeetingOut"),
        Dataset("arsrapporter", "Slutliga årsrapporter", report_records, "ReportOut"),
    )
}


def _cell(value):
    if isinstance(value, list):
        # A list in one cell: co-sponsoring parties, action areas, or each party's stance.
        return " | ".join(
            f"{v['party']}: {v['stance']}" + (f" ({v['reason']})" if v["reason"] else "")
            if isinstance(v, dict)
            else str(v)
            for v in value
        )
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if value is None:
        return ""
    return value


def dataset_csv(name: str) -> HttpResponse:
    """The dataset as CSV: the header is the API schema's fields, also when there is no record yet."""
    from public_record import api  # the schemas; api imports this module, so not at the top

    dataset = DATASETS.get(name)
    if dataset is None:
        raise Http404
    columns = list(getattr(api, dataset.schema).model_fields)
    records = dataset.records()
    rows = [columns, *([_cell(record[key]) for key in columns] for record in records)]
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
