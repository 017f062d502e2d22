"""Convert .docx files to PDF with LibreOffice, updating tables of contents first.

Run by the system Python that has LibreOffice's `uno` module (Debian: python3-uno), not by
the project's virtualenv: `python3 uno_convert.py OUT_DIR FILE.docx…`. It starts a private
headless LibreOffice, opens each file, updates every index (the TOC fields Word would update
on opening), exports PDF with embedded fonts, and stops LibreOffice again. Prints one line
per file: `ok PATH` or `error PATH: reason`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # noqa: F401  (provided by LibreOffice; makes com.sun.star importable)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _property(name: str, value) -> PropertyValue:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _connect(pipe: str, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def main(out_dir: str, files: list[str]) -> int:
    """Convert files into out_dir; return the number of failures."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = tempfile.mkdtemp(prefix="handbook-lo-")
    pipe = f"handbook{os.getpid()}"
    process = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = 0
    try:
        context = _connect(pipe, time.time() + 60)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        for name in files:
            source = Path(name).resolve()
            target = Path(out_dir).resolve() / (source.stem + ".pdf")
            try:
                document = desktop.loadComponentFromURL(
                    source.as_uri(), "_blank", 0, (_property("Hidden", True),))
                indexes = document.getDocumentIndexes()
                for index in range(indexes.getCount()):
                    indexes.getByIndex(index).update()
                document.refresh()
                document.storeToURL(target.as_uri(), (
                    _property("FilterName", "writer_pdf_Export"),))
                document.close(True)
                print(f"ok {target}", flush=True)
            except Exception as exc:  # report and go on with the next file
                failures += 1
                print(f"error {source}: {exc}", flush=True)
        with contextlib.suppress(Exception):  # LibreOffice drops the bridge as it exits
            desktop.terminate()
    finally:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return failures


if __name__ == "__main__":
    sys.exit(1 if main(sys.argv[1], sys.argv[2:]) else 0)
