"""eark-validator, offline: its CSIP rules fetch four vocabularies from the web when first imported, so
they are served from the copies bundled with the package (FIELD-NOTES). It exits 0 even for an invalid
package, so callers read the report: `package_errors` returns every ERROR it found (empty = valid)."""

import urllib.request
from importlib import resources
from pathlib import Path

_loaded = False


def _offline_urlopen(url, *args, **kwargs):
    name = str(url).rsplit("/", 1)[-1]
    vocabs = resources.files("eark_validator.ipxml.resources.vocabs")
    if name.endswith(".xml") and vocabs.joinpath(name).is_file():
        return vocabs.joinpath(name).open("rb")
    raise OSError(f"tests are offline: refused to fetch {url}")


def _load():
    global _loaded
    if _loaded:
        return
    original = urllib.request.urlopen
    urllib.request.urlopen = _offline_urlopen
    try:
        import eark_validator.ipxml.schematron as schematron

        schematron.urlopen = _offline_urlopen
        from eark_validator import packages  # noqa: F401  (builds the rules with the patched urlopen)
    finally:
        urllib.request.urlopen = original
    _loaded = True


def package_report(path: Path):
    _load()
    from eark_validator.packages import PackageValidator

    return PackageValidator(path).validation_report


def package_errors(path: Path) -> list[str]:
    """Every ERROR of the structure, METS schema and CSIP/SIP rules, as "rule: message" lines."""
    report = package_report(path)
    messages = list(report.structure.messages) if report.structure else []
    if report.metadata:
        messages += report.metadata.schema_results.messages + report.metadata.schematron_results.messages
    return [
        f"{m.rule_id}: {m.message} ({m.location})"
        for m in messages
        if str(m.severity).lower().endswith("error")
    ]


def package_warnings(path: Path) -> list[str]:
    report = package_report(path)
    messages = list(report.structure.messages) if report.structure else []
    if report.metadata:
        messages += report.metadata.schema_results.messages + report.metadata.schematron_results.messages
    return [f"{m.rule_id}: {m.message}" for m in messages if not str(m.severity).lower().endswith("error")]
