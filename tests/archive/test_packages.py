"""Archive packages: a closed initiative's case and a closed fiscal year as E-ARK AIPs, built by the worker
or the archivist's command, valid for eark-validator (offline), with every file's SHA-256 in METS."""

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from archive.models import ArchivePackage, PackageKind, PackageStatus
from initiatives import services as initiative_services
from initiatives.models import Attachment, Initiative, Status
from reports.services import report_issue
from tests.archive.eark_check import package_errors, package_warnings
from tests.core.factories import PDF, image_bytes
from tests.reports.factories import worked_year

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"


@pytest.fixture
def fund(finance, karlstad, arvika, initiator, other_initiator):
    return worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )


@pytest.fixture
def closed_case(fund, secretariat, initiator):
    """The worked year's cycle path, decided, paid out, then completed; with an image and a PDF attached."""
    cycle = Initiative.objects.get(title__startswith="Cykelstråk")
    for name, content in (("karta över stråket.png", image_bytes("PNG")), ("plan.pdf", PDF)):
        attachment = Attachment(
            initiative=cycle, original_name=name, content_type="x", size=len(content), uploaded_by=initiator
        )
        attachment.file.save("upload", ContentFile(content), save=False)
        attachment.save()
    initiative_services.initiative_transition(initiative=cycle, to=Status.COMPLETED, user=secretariat)
    cycle.refresh_from_db()
    return cycle


def unpack(data: bytes, tmp_path: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
        (root,) = {name.split("/")[0] for name in archive.namelist()}
    return tmp_path / root


def mets_checksums(root: Path) -> dict[str, str]:
    tree = ET.parse(root / "METS.xml")  # noqa: S314 - the package DGR itself just wrote
    found = {}
    for element in tree.iter():
        if element.tag in (f"{METS}file", f"{METS}mdRef"):
            href = (element.find(f"{METS}FLocat") if element.tag == f"{METS}file" else element).get(
                f"{XLINK}href"
            )
            assert element.get("CHECKSUMTYPE") == "SHA-256"
            found[href] = element.get("CHECKSUM")
    return found


def text_of(path: Path) -> str:
    return subprocess.run(  # noqa: S603 - poppler on a file we wrote
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.django_db(transaction=True)
def test_a_closed_case_becomes_a_valid_package_with_every_checksum_in_mets(
    client, closed_case, secretariat, run_jobs, tmp_path
):
    client.force_login(secretariat)
    response = client.post(reverse("archive:package-request-initiative"), {"initiative": closed_case.pk})
    assert response.status_code == 302
    package = ArchivePackage.objects.get()
    assert package.status == PackageStatus.QUEUED and package.requested_by == secretariat
    run_jobs()
    package.refresh_from_db()
    assert package.status == PackageStatus.READY, package.error

    download = client.get(reverse("archive:package-download", args=[package.pk]))
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == package.sha256
    root = unpack(data, tmp_path)
    assert root.name == package.objid

    assert package_errors(root) == []
    assert package_errors(Path(package.file.path)) == []  # the zip itself, as the e-archive receives it
    # Every SHOULD is met too; what is left are two MAYs (a zip is fine; no "other" metadata).
    assert {w.split(":")[0] for w in package_warnings(root)} <= {"CSIPSTR3", "CSIPSTR8"}

    checksums = mets_checksums(root)
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} - {"METS.xml"}
    assert set(checksums) == on_disk  # every file is in METS, and METS names no file that is missing
    for path, checksum in checksums.items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == checksum, path
    data_dir = "representations/rep1/data/"
    assert {
        data_dir + "arende.pdf",
        data_dir + "bilagor/01-karta_över_stråket.png",
        data_dir + "bilagor/01-karta_över_stråket.png.pdf",  # the image as PDF/A beside the original
        data_dir + "bilagor/02-plan.pdf",
    } <= on_disk
    assert (root / data_dir / "bilagor/02-plan.pdf").read_bytes() == PDF  # an original, kept as it was
    premis = (root / "metadata/preservation/premis.xml").read_text()
    assert checksums[data_dir + "arende.pdf"] in premis
    # The representation's own METS names its data files, relative to its folder, with the same sums.
    representation = mets_checksums(root / "representations/rep1")
    assert representation["data/arende.pdf"] == checksums[data_dir + "arende.pdf"]
    assert {f"representations/rep1/{p}" for p in representation} == {
        p for p in on_disk if p.startswith(data_dir) or p.endswith("rep1/metadata/preservation/premis.xml")
    }

    case = text_of(root / data_dir / "arende.pdf")
    assert closed_case.registration_number in case
    assert "Utbetalning 1" in case and "Avslutat" in case
    for pdf in ("arende.pdf", "bilagor/01-karta_över_stråket.png.pdf"):  # rendered by DGR: PDF/A-3
        metadata = PdfFileReader(io.BytesIO((root / data_dir / pdf).read_bytes())).root["/Metadata"].data
        assert b'pdfaid:part="3"' in metadata, pdf

    # The trace: who asked, and when it became ready.
    reasons = list(
        package.history.order_by("history_date").values_list("history_change_reason", "history_user")
    )
    assert reasons == [("arkivpaket beställt", secretariat.pk), ("arkivpaket skapat", secretariat.pk)]


def test_an_open_initiative_or_year_is_not_archived(client, fund, secretariat, finance):
    open_case = Initiative.objects.get(title__startswith="Cykelstråk")  # decided, still running
    client.force_login(secretariat)
    response = client.post(reverse("archive:package-request-initiative"), {"initiative": open_case.pk})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    client.force_login(finance)
    response = client.post(
        reverse("archive:package-request-fiscal-year"), {"fiscal_year": fund.fiscal_years.get(year=2027).pk}
    )
    assert response.status_code == 400
    assert not ArchivePackage.objects.exists()
    with pytest.raises(CommandError, match="Bara ett stängt verksamhetsår"):
        call_command("archive_export", "fiscal_year", fund.slug, "2027")
    with pytest.raises(CommandError, match="Bara ett avslutat initiativärende"):
        call_command("archive_export", "initiative", open_case.registration_number)
    assert not ArchivePackage.objects.exists()


def test_the_archivists_command_exports_a_closed_year_with_reports_sie_and_journal(fund, finance, tmp_path):
    report_issue(kind="balance", fund=fund, year=2026, is_final=True, render=lambda: PDF, user=finance)
    call_command("archive_export", "fiscal_year", fund.slug, "2026", "--output", str(tmp_path))
    package = ArchivePackage.objects.get()
    assert package.kind == PackageKind.FISCAL_YEAR and package.requested_via == "command"
    assert package.requested_by is None and package.status == PackageStatus.READY
    assert package.history.filter(history_change_reason="arkivpaket (manage.py)").exists()
    written = tmp_path / package.filename
    assert hashlib.sha256(written.read_bytes()).hexdigest() == package.sha256
    assert package_errors(written) == []
    root = unpack(written.read_bytes(), tmp_path / "x")
    data = root / "representations/rep1/data"
    assert (data / "rapporter/balansrapport-2026.pdf").read_bytes() == PDF
    sie_4i = (data / f"sie/{fund.slug}-2026-4I.si").read_bytes().decode("cp437")
    assert sie_4i.startswith("#FLAGGA 0") and "#VER" in sie_4i
    assert "#UB" in (data / f"sie/{fund.slug}-2026-4E.se").read_bytes().decode("cp437")
    journal = text_of(data / f"huvudbok-{fund.slug}-2026.pdf")
    assert "Utbetalning 1" in journal and "Rättelse" in journal
    for path, checksum in mets_checksums(root).items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == checksum


def test_packages_are_for_finance_the_secretariat_and_auditors(
    client, closed_case, initiator, auditor, representative
):
    for user, status in ((initiator, 403), (representative, 403), (auditor, 200)):
        client.force_login(user)
        assert client.get(reverse("archive:package-list")).status_code == status
    client.force_login(auditor)
    assert (
        client.post(reverse("archive:package-request-initiative"), {"initiative": closed_case.pk}).status_code
        == 403
    )
    assert not ArchivePackage.objects.exists()


def test_the_admin_shows_packages_and_sealed_copies_read_only(client, administrator, fund, finance, tmp_path):
    from council.models import SealedCopy

    call_command("archive_export", "fiscal_year", fund.slug, "2026", "--output", str(tmp_path))
    copy = SealedCopy.objects.create(
        sha256="0" * 64, title="Justerat protokoll, Värmlandsrådet 2026-03-01", sealed=False, content=PDF
    )
    package = ArchivePackage.objects.get()
    client.force_login(administrator)
    for url in (
        reverse("admin:archive_archivepackage_changelist"),
        reverse("admin:archive_archivepackage_change", args=[package.pk]),
        reverse("admin:archive_archivepackage_history", args=[package.pk]),
        reverse("admin:council_sealedcopy_change", args=[copy.pk]),
        reverse("admin:council_sealedcopy_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Justerat protokoll, Värmlandsrådet 2026-03-01" in response.content.decode()
    assert client.post(reverse("admin:archive_archivepackage_delete", args=[package.pk])).status_code == 403


def test_the_case_pdf_holds_the_submitted_version_and_the_preparation(initiator, secretariat, tmp_path):
    from archive.contents import initiative_case
    from tests.factories import initiative_in

    refused = initiative_in(Status.NOT_SUPPORTED, initiator, secretariat, title="Länsgemensam laddplan")
    description, files = initiative_case(refused)
    assert description.subject == refused.registration_number
    assert [f.path for f in files] == ["arende.pdf"]
    (tmp_path / "arende.pdf").write_bytes(files[0].content)
    text = text_of(tmp_path / "arende.pdf")
    assert "Version 1, inlämnad" in text and "Länsgemensam laddplan" in text
    assert "Ett sammanhängande cykelnät för hela länet." in text  # the submitted summary
    assert "Uppfyller kraven." in text  # the preparation's assessment
    assert "Ej tillstyrkt" in text
