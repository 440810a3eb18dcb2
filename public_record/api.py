"""The open-data API (django-ninja): read-only JSON, the same records as the CSV files (public.exports),
described by OpenAPI at /offentligt/api/openapi.json.

The interactive docs page is off (`docs_url=None`): ninja's Swagger page has no `lang` and is not
axe-clean, and the OpenAPI description itself is what tools read. Each operation is cached like the
public pages (public.views) and open to anonymous readers (public.urls marks ninja's views)."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.views.decorators.cache import cache_page
from ninja import NinjaAPI, Schema
from ninja.decorators import decorate_view

from public_record import exports, selectors

api = NinjaAPI(
    title="DGR – öppna data",
    version="1",
    description=(
        "De gemensamma resurserna (Region Värmland och Värmlands 16 kommuner): fonden, beslutade initiativ, "
        "Värmlandsrådets ställningstaganden, kallelser och justerade protokoll, slutliga årsrapporter. "
        f"Licens: {selectors.LICENCE} ({selectors.LICENCE_URL}). "
        "Samma data finns som CSV under /offentligt/data/."
    ),
    urls_namespace="public-api",
    docs_url=None,
    openapi_url="/openapi.json",
    openapi_extra={"info": {"license": {"name": selectors.LICENCE, "url": selectors.LICENCE_URL}}},
)


def _cached():
    return decorate_view(cache_page(settings.DGR_PUBLIC_CACHE_SECONDS, key_prefix="public-api"))


class FundPart(Schema):
    fund: str
    fund_name: str
    capital_part: int
    capital_part_name: str
    capital: Decimal
    granted: Decimal
    disbursed: Decimal
    repaid: Decimal
    reserved: Decimal
    available: Decimal


class InitiativeOut(Schema):
    registration_number: str
    title: str
    party: str
    co_parties: list[str]
    action_areas: list[str]
    transport_plan: bool
    status: str
    status_label: str
    summary: str
    start_date: date | None
    end_date: date | None
    granted: Decimal
    disbursed: Decimal
    repaid: Decimal
    outcome_summary: str
    url: str


class StanceOut(Schema):
    party: str
    stance: str
    reason: str


class PositionOut(Schema):
    identifier: str
    body: str
    year: int
    paragraph: int
    meeting_date: date
    initiative: str
    title: str
    outcome: str
    outcome_label: str
    supported_amount: Decimal | None
    stances: list[StanceOut]
    url: str


class MeetingOut(Schema):
    id: int
    body: str
    date: date
    place: str
    status: str
    signed_at: datetime | None
    notice_url: str
    minutes_url: str


class ReportOut(Schema):
    kind: str
    fund: str
    year: int
    sha256: str
    size: int
    url: str


@api.get("/fonden", response=list[FundPart], summary="Fonden nu, per kapitaldel")
@_cached()
def fund(request):
    return exports.fund_records()


@api.get("/initiativ", response=list[InitiativeOut], summary="Beslutade initiativ")
@_cached()
def initiatives(request):
    return exports.initiative_records()


@api.get(
    "/initiativ/{year}/{serial}",
    response=InitiativeOut,
    summary="Ett beslutat initiativ, efter diarienummer (DGR 2026/0007: /initiativ/2026/7)",
)
@_cached()
def initiative(request, year: int, serial: int):
    public, _positions = selectors.initiative_public(year=year, serial=serial)
    return exports.initiative_record(public)


@api.get("/stallningstaganden", response=list[PositionOut], summary="Värmlandsrådets ställningstaganden")
@_cached()
def positions(request):
    return exports.position_records()


@api.get("/sammantraden", response=list[MeetingOut], summary="Kallelser och justerade protokoll")
@_cached()
def meetings(request):
    return exports.minutes_records()


@api.get("/arsrapporter", response=list[ReportOut], summary="Slutliga årsrapporter")
@_cached()
def reports(request):
    return exports.report_records()
