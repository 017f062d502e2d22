"""PDF files from the Word documents, through LibreOffice headless.

With LibreOffice's Python bridge (Debian: python3-uno) every table of contents is
updated before export, so PDFs show real page numbers; without it plain
`soffice --convert-to pdf` is used and a notice says the TOCs are not updated.
Without LibreOffice nothing is converted and a one-line notice says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CONVERTER = Path(__file__).with_name("uno_convert.py")
SYSTEM_PYTHONS = ("/usr/bin/python3", "python3")
TIMEOUT_PER_FILE = 120


@dataclass
class PdfResult:
    """What a conversion produced, and a notice for the user when something was skipped."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def soffice() -> str | None:
    """Path of LibreOffice's soffice, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def uno_python() -> str | None:
    """A Python interpreter that can import LibreOffice's uno module, or None."""
    for candidate in SYSTEM_PYTHONS:
        if shutil.which(candidate) is None:
            continue
        probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def environment(root: Path) -> dict[str, str]:
    """Environment for LibreOffice: our fontconfig rules map Chinese office fonts to Noto CJK SC."""
    env = dict(os.environ)
    fonts = Path(root) / "templates" / "fonts.conf"
    if fonts.exists():
        env["FONTCONFIG_FILE"] = str(fonts.resolve())
    return env


def convert(files: list[Path], out_dir: Path, root: Path) -> PdfResult:
    """Convert .docx files to PDF into out_dir."""
    result = PdfResult()
    if not files:
        return result
    office = soffice()
    if office is None:
        result.notices.append("PDF skipped: LibreOffice is not installed "
                              "(Debian: apt-get install libreoffice-writer fonts-noto-cjk)")
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    env = environment(root)
    timeout = 60 + TIMEOUT_PER_FILE * len(files)
    python = uno_python()
    if python:
        command = [python, str(CONVERTER), str(out_dir)] + [str(f) for f in files]
        completed = subprocess.run(command, capture_output=True, text=True, env=env,
                                   timeout=timeout, check=False)
        errors = [line for line in completed.stdout.splitlines() if line.startswith("error")]
        result.notices += [f"PDF {line}" for line in errors]
    else:
        result.notices.append("PDF tables of contents not updated: LibreOffice's Python bridge "
                              "is missing (Debian: apt-get install python3-uno)")
        with tempfile.TemporaryDirectory(prefix="handbook-lo-") as profile:
            command = [office, "--headless", "--norestore",
                       f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                       "--outdir", str(out_dir)] + [str(f) for f in files]
            subprocess.run(command, capture_output=True, env=env, timeout=timeout, check=False)
    for source in files:
        target = out_dir / f"{source.stem}.pdf"
        if target.exists():
            result.written.append(target)
        elif not any(str(source) in notice for notice in result.notices):
            result.notices.append(f"PDF not produced for {source.name}")
    return result
