"""archive/eark.py on its own: a package of a few files is a valid CSIP AIP for eark-validator."""

import datetime
import io
import zipfile

import pytest

from archive.eark import PackageDescription, PackageFile, build_package
from tests.archive.eark_check import package_errors, package_warnings

DESCRIPTION = PackageDescription(
    objid="dgr-test-paket-1", title="Testpaket", creator="Region Värmland", subject="DGR 2026/0001"
)
CREATED = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def test_a_small_package_is_valid_with_no_unmet_should(tmp_path):
    files = [
        PackageFile("arende.pdf", b"%PDF-1.7\n%%EOF\n"),
        PackageFile("sie/dgr-2026-4I.si", b"#FLAGGA 0\n"),
    ]
    path = tmp_path / "paket.zip"
    path.write_bytes(build_package(DESCRIPTION, files, created=CREATED))
    assert package_errors(path) == []
    assert {w.split(":")[0] for w in package_warnings(path)} <= {"CSIPSTR3", "CSIPSTR8"}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert {
        "dgr-test-paket-1/METS.xml",
        "dgr-test-paket-1/representations/rep1/METS.xml",
        "dgr-test-paket-1/representations/rep1/data/sie/dgr-2026-4I.si",
        "dgr-test-paket-1/metadata/preservation/premis.xml",
    } <= names


def test_a_broken_package_is_reported_invalid(tmp_path):
    """The validator exits happily on an invalid package: the report is what tells (FIELD-NOTES)."""
    data = build_package(DESCRIPTION, [PackageFile("a.pdf", b"%PDF-1.7\n%%EOF\n")], created=CREATED)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if not item.filename.endswith("/METS.xml") or "/representations/" in item.filename:
                target.writestr(item, source.read(item))
    path = tmp_path / "utan-mets.zip"
    path.write_bytes(broken.getvalue())
    assert package_errors(path)


@pytest.mark.parametrize("path", ["../utanför.pdf", "/rot.pdf"])
def test_paths_outside_the_package_are_refused(path):
    with pytest.raises(ValueError):
        build_package(DESCRIPTION, [PackageFile(path, b"x")], created=CREATED)


def test_the_same_path_twice_is_refused():
    with pytest.raises(ValueError):
        build_package(DESCRIPTION, [PackageFile("a.pdf", b"1"), PackageFile("a.pdf", b"2")], created=CREATED)
