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
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CONVERTER = Path(__file__).with_name("uno_convert.py")
SYSTEM_PYTHONS = ("/usr/bin/python3", "python3")
TIMEOUT_PER_FILE = 120
MAX_WORKERS = 2
"""LibreOffice instances converting at once (each takes about 250 MB of memory)."""


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


def convert(files: list[Path], out_dir: Path, root: Path,
            done: Callable[[str], None] | None = None) -> PdfResult:
    """Convert .docx files to PDF into out_dir; `done` is told of each file finished."""
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
        result.notices += _convert_with_uno(python, files, out_dir, env, timeout, done)
    else:
        result.notices.append("PDF tables of contents not updated: LibreOffice's Python bridge "
                              "is missing (Debian: apt-get install python3-uno)")
        with tempfile.TemporaryDirectory(prefix="handbook-lo-") as profile:
            command = [office, "--headless", "--norestore",
                       f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                       "--outdir", str(out_dir)] + [str(f) for f in files]
            subprocess.run(command, capture_output=True, env=env, timeout=timeout, check=False)
        for source in files:
            if done:
                done(source.name)
    for source in files:
        target = out_dir / f"{source.stem}.pdf"
        if target.exists():
            result.written.append(target)
        elif not any(str(source) in notice for notice in result.notices):
            result.notices.append(f"PDF not produced for {source.name}")
    return result


def _convert_with_uno(python: str, files: list[Path], out_dir: Path, env: dict[str, str],
                      timeout: float, done: Callable[[str], None] | None) -> list[str]:
    """Convert with one LibreOffice per core (at most MAX_WORKERS); return error notices."""
    workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1, len(files)))
    shares: list[list[Path]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for file in sorted(files, key=lambda f: f.stat().st_size, reverse=True):
        lightest = loads.index(min(loads))  # big documents (制度汇编) spread over the workers
        shares[lightest].append(file)
        loads[lightest] += file.stat().st_size
    errors: list[str] = []

    def run(share: list[Path]) -> None:
        command = [python, str(CONVERTER), str(out_dir)] + [str(f) for f in share]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, env=env) as process:
            watchdog = threading.Timer(timeout, process.kill)  # a hung LibreOffice
            watchdog.start()
            try:
                assert process.stdout is not None
                for line in process.stdout:
                    if line.startswith("error"):
                        errors.append(f"PDF {line.strip()}")
                    if done:
                        done(Path(line.split(" ", 1)[-1].split(":")[0].strip()).name)
                process.wait()
            finally:
                watchdog.cancel()

    threads = [threading.Thread(target=run, args=(share,)) for share in shares if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
