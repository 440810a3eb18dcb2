"""E-ARK information packages (CSIP 2.1 METS + PREMIS) as zip files: the one module that writes them.

The package is an **AIP** (`csip:OAISPACKAGETYPE="AIP"`): a CSIP METS document at the root, Dublin Core
descriptive metadata, a PREMIS file (every content file with its SHA-256 fixity, the creation event and
DGR as the agent), one representation (`representations/rep1/` with its own METS, PREMIS and `data/…`),
the schemas the METS uses and a short documentation file. That is the structure eark-validator 1.1.3
accepts with no error and no unmet SHOULD; its SIP rules contradict each other in the bundled version
(FIELD-NOTES), so DGR hands the region's e-archive an AIP, the structure the Swedish National Archives'
FGS Paketstruktur builds on. Its CSIP63 rule is met only by `csip:CONTENTINFORMATIONTYPE="OTHER"` with a
named type on every file group, so each group says `OTHER`/`DGR`.

Pure: it takes bytes and names and returns bytes, so it is tested without a database. Written with the
standard library's ElementTree (lxml is a test tool here, not a dependency of the app).
"""

import datetime
import hashlib
import io
import mimetypes
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

METS = "http://www.loc.gov/METS/"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS = "http://www.loc.gov/premis/v3"
DC = "http://purl.org/dc/elements/1.1/"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SOFTWARE = "DGR"
SOFTWARE_VERSION = "1.0"
SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"

for prefix, uri in (
    ("mets", METS),
    ("csip", CSIP),
    ("xlink", XLINK),
    ("xsi", XSI),
    ("premis", PREMIS),
    ("dc", DC),
):
    ET.register_namespace(prefix, uri)


@dataclass(frozen=True)
class PackageFile:
    """One content file: its path under the representation's `data/` and its bytes. `source` says where
    it came from (an original attachment, a PDF/A conversion of it, a rendering of the case), for PREMIS."""

    path: str
    content: bytes
    source: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def mimetype(self) -> str:
        return _mimetype(self.path)


@dataclass(frozen=True)
class PackageDescription:
    """What the package is: its identifier (also the root folder's name), title, the body that made the
    records, the subject (registration number or fund and year) and the period covered."""

    objid: str
    title: str
    creator: str
    subject: str
    description: str = ""
    period: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _mimetype(path: str) -> str:
    known = {".si": "text/plain", ".se": "text/plain", ".xml": "text/xml", ".xsd": "text/xml"}
    suffix = Path(path).suffix.lower()
    return known.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _dublin_core(description: PackageDescription, created: str) -> bytes:
    root = ET.Element("metadata")
    for tag, value in (
        ("identifier", description.objid),
        ("title", description.title),
        ("creator", description.creator),
        ("subject", description.subject),
        ("description", description.description),
        ("coverage", description.period),
        ("date", created),
        ("language", "sv"),
        ("type", "Collection"),
    ):
        if value:
            ET.SubElement(root, _q(DC, tag)).text = value
    return _xml(root)


def _premis(description: PackageDescription, files: list[tuple[str, "PackageFile"]], created: str) -> bytes:
    root = ET.Element(_q(PREMIS, "premis"), {"version": "3.0"})
    for path, item in files:
        obj = ET.SubElement(root, _q(PREMIS, "object"), {_q(XSI, "type"): "premis:file"})
        ident = ET.SubElement(obj, _q(PREMIS, "objectIdentifier"))
        ET.SubElement(ident, _q(PREMIS, "objectIdentifierType")).text = "local"
        ET.SubElement(ident, _q(PREMIS, "objectIdentifierValue")).text = path
        chars = ET.SubElement(obj, _q(PREMIS, "objectCharacteristics"))
        fixity = ET.SubElement(chars, _q(PREMIS, "fixity"))
        ET.SubElement(fixity, _q(PREMIS, "messageDigestAlgorithm")).text = "SHA-256"
        ET.SubElement(fixity, _q(PREMIS, "messageDigest")).text = item.sha256
        ET.SubElement(chars, _q(PREMIS, "size")).text = str(len(item.content))
        fmt = ET.SubElement(ET.SubElement(chars, _q(PREMIS, "format")), _q(PREMIS, "formatDesignation"))
        ET.SubElement(fmt, _q(PREMIS, "formatName")).text = item.mimetype
        if item.source:
            ET.SubElement(obj, _q(PREMIS, "originalName")).text = item.source
    event = ET.SubElement(root, _q(PREMIS, "event"))
    ident = ET.SubElement(event, _q(PREMIS, "eventIdentifier"))
    ET.SubElement(ident, _q(PREMIS, "eventIdentifierType")).text = "UUID"
    ET.SubElement(ident, _q(PREMIS, "eventIdentifierValue")).text = str(uuid.uuid4())
    ET.SubElement(event, _q(PREMIS, "eventType")).text = "creation"
    ET.SubElement(event, _q(PREMIS, "eventDateTime")).text = created
    ET.SubElement(event, _q(PREMIS, "eventDetailInformation")).append(
        _text(_q(PREMIS, "eventDetail"), f"Informationspaket skapat av DGR: {description.title}")
    )
    linking = ET.SubElement(event, _q(PREMIS, "linkingAgentIdentifier"))
    ET.SubElement(linking, _q(PREMIS, "linkingAgentIdentifierType")).text = "local"
    ET.SubElement(linking, _q(PREMIS, "linkingAgentIdentifierValue")).text = SOFTWARE
    agent = ET.SubElement(root, _q(PREMIS, "agent"))
    ident = ET.SubElement(agent, _q(PREMIS, "agentIdentifier"))
    ET.SubElement(ident, _q(PREMIS, "agentIdentifierType")).text = "local"
    ET.SubElement(ident, _q(PREMIS, "agentIdentifierValue")).text = SOFTWARE
    ET.SubElement(agent, _q(PREMIS, "agentName")).text = f"{SOFTWARE} – De gemensamma resurserna"
    ET.SubElement(agent, _q(PREMIS, "agentType")).text = "software"
    ET.SubElement(agent, _q(PREMIS, "agentVersion")).text = SOFTWARE_VERSION
    return _xml(root)


def _text(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


def _documentation(description: PackageDescription, files: list[PackageFile]) -> bytes:
    lines = [
        description.title,
        "",
        f"Identifierare: {description.objid}",
        f"Arkivbildare: {description.creator}",
        f"Avser: {description.subject}",
    ]
    if description.period:
        lines.append(f"Period: {description.period}")
    if description.description:
        lines += ["", description.description]
    lines += ["", "Innehåll (representations/rep1/data/):"]
    lines += [f"  {item.path}  SHA-256 {item.sha256}" for item in files]
    lines += [
        "",
        "Paketet följer E-ARK CSIP 2.1 (METS.xml i roten, PREMIS i metadata/preservation/).",
        "Kontrollsummor (SHA-256) för varje fil finns i METS.xml och i PREMIS-filen.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _mets_skeleton(objid: str, label: str, stamp: str) -> ET.Element:
    """A CSIP METS root with its header: DGR as the creating software, the package an AIP."""
    mets = ET.Element(
        _q(METS, "mets"),
        {
            "OBJID": objid,
            "LABEL": label,
            "TYPE": "Mixed",
            _q(CSIP, "CONTENTINFORMATIONTYPE"): "MIXED",
            "PROFILE": CSIP_PROFILE,
        },
    )
    header = ET.SubElement(
        mets,
        _q(METS, "metsHdr"),
        {
            "CREATEDATE": stamp,
            "LASTMODDATE": stamp,
            "RECORDSTATUS": "NEW",
            _q(CSIP, "OAISPACKAGETYPE"): "AIP",
        },
    )
    agent = ET.SubElement(
        header, _q(METS, "agent"), {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"}
    )
    ET.SubElement(agent, _q(METS, "name")).text = SOFTWARE
    ET.SubElement(agent, _q(METS, "note"), {_q(CSIP, "NOTETYPE"): "SOFTWARE VERSION"}).text = SOFTWARE_VERSION
    return mets


def _checksummed(path: str, data: bytes, stamp: str, **extra: str) -> dict[str, str]:
    return {
        **extra,
        "MIMETYPE": _mimetype(path),
        "SIZE": str(len(data)),
        "CREATED": stamp,
        "CHECKSUM": hashlib.sha256(data).hexdigest(),
        "CHECKSUMTYPE": "SHA-256",
    }


def _md_ref(parent: ET.Element, path: str, data: bytes, mdtype: str, stamp: str) -> None:
    locator = {"LOCTYPE": "URL", _q(XLINK, "type"): "simple", _q(XLINK, "href"): path, "MDTYPE": mdtype}
    ET.SubElement(parent, _q(METS, "mdRef"), _checksummed(path, data, stamp, **locator))


def _file_group(file_sec, use: str, group_id: str, entries: list[tuple[str, bytes]], stamp: str) -> None:
    # CSIP63 as bundled in eark-validator 1.1.3 is met only by OTHER + a named type on every group.
    attributes = {_q(CSIP, "CONTENTINFORMATIONTYPE"): "OTHER", _q(CSIP, "OTHERCONTENTINFORMATIONTYPE"): "DGR"}
    grp = ET.SubElement(file_sec, _q(METS, "fileGrp"), {"ID": group_id, "USE": use, **attributes})
    for index, (path, data) in enumerate(entries, 1):
        element = ET.SubElement(
            grp, _q(METS, "file"), _checksummed(path, data, stamp, ID=f"{group_id}-{index}")
        )
        locator = {"LOCTYPE": "URL", _q(XLINK, "type"): "simple", _q(XLINK, "href"): path}
        ET.SubElement(element, _q(METS, "FLocat"), locator)


def _representation_mets(
    objid: str, label: str, entries: list[tuple[str, bytes]], premis: bytes, stamp: str
) -> bytes:
    """The representation's own METS (representations/rep1/METS.xml): its PREMIS and its data files,
    paths relative to the representation's folder, each with size and SHA-256."""
    mets = _mets_skeleton(f"{objid}/rep1", label, stamp)
    amd = ET.SubElement(mets, _q(METS, "amdSec"), {"ID": "rep1-amd"})
    digiprov = ET.SubElement(amd, _q(METS, "digiprovMD"), {"ID": "rep1-premis", "STATUS": "CURRENT"})
    _md_ref(digiprov, "metadata/preservation/premis.xml", premis, "PREMIS", stamp)
    file_sec = ET.SubElement(mets, _q(METS, "fileSec"), {"ID": "rep1-filesec"})
    _file_group(file_sec, "Data", "rep1-data", entries, stamp)
    struct = ET.SubElement(
        mets, _q(METS, "structMap"), {"ID": "rep1-structmap", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
    )
    top = ET.SubElement(struct, _q(METS, "div"), {"ID": "rep1-div", "LABEL": f"{objid}/rep1"})
    data = ET.SubElement(top, _q(METS, "div"), {"ID": "rep1-div-data", "LABEL": "Data"})
    ET.SubElement(data, _q(METS, "fptr"), {"FILEID": "rep1-data"})
    return _xml(mets)


def build_package(
    description: PackageDescription, files: list[PackageFile], *, created: datetime.datetime
) -> bytes:
    """The zip of the package: everything under one root folder named after `objid`. The root METS lists
    every file of the package (the representation's data too) with its SHA-256; the representation has
    a METS of its own, pointed to from the root's structural map."""
    paths = [item.path for item in files]
    if len(set(paths)) != len(paths) or any(p.startswith("/") or ".." in p.split("/") for p in paths):
        raise ValueError("Package file paths must be unique and relative.")
    stamp = _iso(created)
    rep = "representations/rep1/"
    content = [(rep + "data/" + item.path, item) for item in files]
    meta = {
        "metadata/descriptive/dc.xml": _dublin_core(description, stamp),
        "metadata/preservation/premis.xml": _premis(description, content, stamp),
    }
    docs = {"documentation/README.txt": _documentation(description, files)}
    schemas = {f"schemas/{p.name}": p.read_bytes() for p in sorted(SCHEMAS_DIR.glob("*.xsd"))}
    rep_files = [("data/" + item.path, item) for item in files]
    rep_premis = _premis(description, rep_files, stamp)
    rep_mets = _representation_mets(
        description.objid, description.title, [(p, i.content) for p, i in rep_files], rep_premis, stamp
    )

    mets = _mets_skeleton(description.objid, description.title, stamp)
    mets.set(
        _q(XSI, "schemaLocation"),
        f"{METS} schemas/mets.xsd {XLINK} schemas/xlink.xsd {CSIP} schemas/DILCISExtensionMETS.xsd",
    )
    dmd = ET.SubElement(mets, _q(METS, "dmdSec"), {"ID": "dmd-dc", "CREATED": stamp, "STATUS": "CURRENT"})
    _md_ref(dmd, "metadata/descriptive/dc.xml", meta["metadata/descriptive/dc.xml"], "DC", stamp)
    amd = ET.SubElement(mets, _q(METS, "amdSec"), {"ID": "amd"})
    digiprov = ET.SubElement(amd, _q(METS, "digiprovMD"), {"ID": "digiprov-premis", "STATUS": "CURRENT"})
    _md_ref(
        digiprov,
        "metadata/preservation/premis.xml",
        meta["metadata/preservation/premis.xml"],
        "PREMIS",
        stamp,
    )

    file_sec = ET.SubElement(mets, _q(METS, "fileSec"), {"ID": "filesec"})
    _file_group(file_sec, "Documentation", "grp-documentation", list(docs.items()), stamp)
    _file_group(file_sec, "Schemas", "grp-schemas", list(schemas.items()), stamp)
    rep_entries = [(rep + "METS.xml", rep_mets), (rep + "metadata/preservation/premis.xml", rep_premis)]
    rep_entries += [(path, item.content) for path, item in content]
    _file_group(file_sec, "Representations/rep1", "grp-rep1", rep_entries, stamp)

    struct = ET.SubElement(
        mets, _q(METS, "structMap"), {"ID": "structmap-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
    )
    top = ET.SubElement(struct, _q(METS, "div"), {"ID": "div-package", "LABEL": description.objid})
    ET.SubElement(
        top,
        _q(METS, "div"),
        {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": "dmd-dc", "ADMID": "digiprov-premis"},
    )
    for label, grp in (
        ("Documentation", "grp-documentation"),
        ("Schemas", "grp-schemas"),
        ("Representations", "grp-rep1"),
    ):
        div = ET.SubElement(top, _q(METS, "div"), {"ID": f"div-{label.lower()}", "LABEL": label})
        ET.SubElement(div, _q(METS, "fptr"), {"FILEID": grp})
    # The representation's own METS (CSIP105-112): a division with a pointer to it.
    rep_div = ET.SubElement(div, _q(METS, "div"), {"ID": "div-rep1", "LABEL": "Representations/rep1"})
    ET.SubElement(
        rep_div,
        _q(METS, "mptr"),
        {
            "LOCTYPE": "URL",
            _q(XLINK, "type"): "simple",
            _q(XLINK, "href"): rep + "METS.xml",
            _q(XLINK, "title"): "grp-rep1",
        },
    )

    parts = {
        "METS.xml": _xml(mets),
        **meta,
        **docs,
        **schemas,
        rep + "METS.xml": rep_mets,
        rep + "metadata/preservation/premis.xml": rep_premis,
        **{path: item.content for path, item in content},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in parts.items():
            info = zipfile.ZipInfo(
                f"{description.objid}/{path}", date_time=created.astimezone(datetime.UTC).timetuple()[:6]
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
