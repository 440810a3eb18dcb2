import pytest

from core.seal import development_certificate_create

# The council's meeting fixtures, for signed minutes.
from tests.council.conftest import (  # noqa: F401
    adjusters,
    held_meeting_factory,
    parties,
    published_meeting,
    vr_meeting,
)


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory):
    """Two self-signed certificates made on the fly (never committed): DGR's and a stranger's."""
    folder = tmp_path_factory.mktemp("seal")
    return {
        "dgr": development_certificate_create(folder / "dgr.p12", "hemligt"),
        "other": development_certificate_create(folder / "other.p12", "annat", common_name="Någon annan"),
    }


@pytest.fixture
def sealing(settings, seal_files):
    """DGR's seal configured, as DGR_SEAL_PKCS12 and DGR_SEAL_PASSPHRASE would in production."""
    settings.DGR_SEAL_PKCS12 = str(seal_files["dgr"])
    settings.DGR_SEAL_PASSPHRASE = "hemligt"
    return seal_files


@pytest.fixture
def fund_with_year(finance):
    """A fund whose first year (2026) is closed."""
    from accounting import services
    from tests.accounting.factories import make_fund

    fund = make_fund(finance)
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2026), user=finance)
    return fund
