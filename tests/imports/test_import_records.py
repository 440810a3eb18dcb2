"""`manage.py import_records`: the same import from the command line."""

import pytest
from django.core.management import CommandError, call_command

from imports.models import Import, ImportKind
from initiatives.models import Initiative
from tests.imports.factories import INITIATIVE_ROWS, filled

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook_file(tmp_path):
    def write(rows, name="initiativ.xlsx"):
        path = tmp_path / name
        path.write_bytes(filled(ImportKind.INITIATIVES, rows))
        return str(path)

    return write


def test_the_command_dry_runs_then_imports_and_a_second_run_creates_nothing(
    workbook_file, secretariat, capsys
):
    path = workbook_file(INITIATIVE_ROWS)

    call_command("import_records", "initiatives", path, "--user", "vrag", "--dry-run")
    dry = capsys.readouterr().out
    assert "Initiativ rad 2: skapas: DGR 2022/0003" in dry
    assert "4/4 rader" in dry
    assert Initiative.objects.count() == 0

    call_command("import_records", "initiatives", path, "--user", "vrag")
    assert "Importerat. 4 skapas/skapade" in capsys.readouterr().out
    assert Initiative.objects.count() == 4

    call_command("import_records", "initiatives", path, "--user", "vrag")
    assert "0 skapas/skapade, 4 fanns redan" in capsys.readouterr().out
    assert Initiative.objects.count() == 4


def test_the_command_lists_problems_with_their_place_and_fails(workbook_file, secretariat, capsys):
    path = workbook_file([dict(INITIATIVE_ROWS[0], Part="Gotham")])

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_records", "initiatives", path, "--user", "vrag")

    assert "Initiativ, rad 2, C (Part): Okänd part ”Gotham”." in capsys.readouterr().err
    assert Initiative.objects.count() == 0
    assert Import.objects.get().status == Import.Status.REFUSED


def test_the_command_refuses_a_user_without_the_role(workbook_file, finance):
    with pytest.raises(CommandError, match="behörighet"):
        call_command("import_records", "initiatives", workbook_file(INITIATIVE_ROWS), "--user", "ekonomi")
    assert Import.objects.count() == 0
