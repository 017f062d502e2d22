"""PDF files from the Word documents, through LibreOffice headless.

With LibreOffice's Python bridge (Debian: python3-uno) every table of contents is
updated before export, so PDFs show real page numbers, and those page numbers are written
into the .docx's table of contents too; without it plain
`soffice --convert-to pdf` is used and a notice says the TOCs are not updated.
Without LibreOffice nothing is converted and a one-line notice says why.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import docx_contents

CONVERTER = Path(__file__).with_name("uno_convert.py")
SYSTEM_PYTHONS = ("/usr/bin/python3", "python3")
TIMEOUT_PER_FILE = 120
MAX_WORKERS = 2
"""LibreOffice instances converting at once (each takes about 250 MB of memory)."""
BYTES_PER_PAGE = 3700
"""Bytes of word/document.xml per PDF page (the bundled regulations and 制度汇编: 3,500–4,100)."""
SECONDS_PER_FILE, SECONDS_PER_PAGE = 0.13, 0.012
"""What LibreOffice spends converting a regulation: opening, exporting and closing it, and
each of its pages (measured on the bundled regulations and the 制度汇编's parts)."""
SECOND_CONVERTER_AFTER = 4.0
"""Seconds of expected conversion from which a second LibreOffice is started: starting
one costs about 2 s of CPU, which a smaller job does not win back."""


@dataclass
class PdfResult:
    """What a conversion produced, a notice for the user when something was skipped, and
    the files whose conversion failed, with the reason (a failed file is not left)."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)


class Background:
    """Work run on a thread of its own while the build goes on (LibreOffice converting
    while the site is made)."""

    def __init__(self, work: Callable[[threading.Event], PdfResult]) -> None:
        self.value: PdfResult | None = None
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        """Set by `stop`; the work is given it, to end early."""
        self.thread = threading.Thread(target=self._run, args=(work,), name="pdf")
        self.thread.start()

    def _run(self, work: Callable[[threading.Event], PdfResult]) -> None:
        try:
            self.value = work(self.stopping)
        except BaseException as exc:  # raised where the build waits for it (result)
            self.error = exc

    def wait(self) -> None:
        """Return when the work has ended."""
        self.thread.join()

    def stop(self) -> None:
        """End the work early (the build failed or was stopped) and wait for it."""
        self.stopping.set()
        self.thread.join()

    def result(self) -> PdfResult:
        """The work's result, once it has ended; its exception is raised here."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def verify(path: Path) -> str | None:
    """None when path is a PDF that opens (pypdf, strict) and has pages; else what is wrong."""
    import logging

    import pypdf

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings would repeat what we report
    try:
        with open(path, "rb") as stream:
            pages = len(pypdf.PdfReader(stream, strict=True).pages)
    except FileNotFoundError:
        return "no PDF was written"
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        return f"not a valid PDF ({exc})"
    finally:
        logger.setLevel(level)
    return None if pages > 0 else "the PDF has no pages"


def write_problem(folder: Path) -> str | None:
    """Why files cannot be written into folder (a full disk, no permission), or None."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-") as probe:
            probe.write(b"\0" * 65536)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


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
            done: Callable[[str], None] | None = None, sequence=None,
            stop: threading.Event | None = None) -> PdfResult:
    """Convert .docx files to PDF into out_dir; `done` is told of each file finished.
    A `sequence` (pdf_compendium.Sequence) is fed to one LibreOffice, in its order,
    before that one takes any of `files`. Setting `stop` stops every LibreOffice (the
    files not converted then fail)."""
    result = PdfResult()
    if not files and sequence is None:
        return result
    office = soffice()
    if office is None:
        result.notices.append("PDF skipped: LibreOffice is not installed "
                              "(Debian: apt-get install libreoffice-writer fonts-noto-cjk)")
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    env = environment(root)
    timeout = 60 + TIMEOUT_PER_FILE * (len(files) + len(getattr(sequence, "parts", ())))
    python = uno_python()
    errors: dict[str, str] = {}
    contents: dict[str, list[str]] = {}
    if python:
        errors, contents = _convert_with_uno(python, files, out_dir, env, timeout, done,
                                             sequence, stop or threading.Event())
        if stop is not None and stop.is_set():
            return result  # the build is failing: what was converted does not matter
    else:
        result.notices.append("PDF tables of contents not updated: LibreOffice's Python bridge "
                              "is missing (Debian: apt-get install python3-uno)")
        _convert_plain(office, files, out_dir, env, timeout)
        while sequence is not None and (source := sequence.take()) is not None:
            _convert_plain(office, [source], sequence.out_dir(source), env, TIMEOUT_PER_FILE)
            sequence.finished(source, True)
        for source in files:
            if done:
                done(source.name)
    for source in files:
        target = out_dir / f"{source.stem}.pdf"
        wrong = verify(target)
        if wrong is None:
            result.written.append(target)
            laid_out = contents.get(str(source.resolve()))
            if laid_out:  # the .docx's TOC gets the page numbers the PDF shows
                docx_contents.fill_page_numbers(source, laid_out)
            continue
        target.unlink(missing_ok=True)  # never left to be taken for a finished file
        result.failed[source] = (write_problem(out_dir) or errors.get(str(source.resolve()))
                                  or wrong)
    return result


def _convert_plain(office: str, files: list[Path], out_dir: Path, env: dict[str, str],
                   timeout: float) -> None:
    """soffice --convert-to pdf, in its own process group, stopped with the build."""
    with tempfile.TemporaryDirectory(prefix="handbook-lo-") as profile:
        command = [office, "--headless", "--norestore",
                   f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                   "--outdir", str(out_dir)] + [str(f) for f in files]
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=env, start_new_session=True) as process:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
            finally:
                _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the process group process leads (what it started and left running)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def expected_pages(path: Path) -> float:
    """A .docx's expected number of PDF pages, from the size of its text (word/document.xml
    unpacked); a file that cannot be read counts as one page."""
    try:
        with zipfile.ZipFile(path) as package:
            return max(1.0, package.getinfo("word/document.xml").file_size / BYTES_PER_PAGE)
    except (OSError, KeyError, zipfile.BadZipFile):
        return 1.0


def converters_for(files: list[Path], sequence=None) -> int:
    """How many LibreOffice to convert files (and the sequence's parts, and its front
    matter) with: one per core, at most MAX_WORKERS, but one for a job expected to take less
    than SECOND_CONVERTER_AFTER seconds."""
    sources = [*files, *(part.docx for part in getattr(sequence, "parts", ()))]
    count = len(sources) + (sequence is not None)
    seconds = SECONDS_PER_FILE * count + SECONDS_PER_PAGE * sum(map(expected_pages, sources))
    if seconds < SECOND_CONVERTER_AFTER:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, count))


def _convert_with_uno(python: str, files: list[Path], out_dir: Path, env: dict[str, str],
                      timeout: float, done: Callable[[str], None] | None, sequence,
                      stop: threading.Event) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Convert with one LibreOffice per core (see converters_for); return the converter's
    error for each file that failed, and the laid-out TOC lines of each file converted.

    Each converter is fed file after file: the longest documents (by expected pages) go
    first, and a converter takes the next as soon as it has finished one, so that no
    LibreOffice idles while another has a queue. Each converter runs in its own process
    group and dies with the build (parent-death signal); it stops its LibreOffice through
    a guardian process (see uno_convert). The first converter takes the `sequence` first."""
    workers = converters_for(files, sequence)
    queue = _Queue(files, out_dir)
    errors: dict[str, str] = {}
    processes: list[subprocess.Popen] = []
    contents: dict[str, list[str]] = {}
    env = dict(env, HANDBOOK_BUILD_PID=str(os.getpid()))

    def run(files: _Queue | _Chain) -> None:
        command = [python, str(CONVERTER), str(out_dir)]
        with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=env,
                              start_new_session=True) as process:
            processes.append(process)
            watchdog = threading.Timer(timeout, _kill_group, (process,))  # a hung LibreOffice
            watchdog.start()
            try:
                _feed(process, files, errors, contents, done)
                process.wait()
            finally:
                watchdog.cancel()
                _kill_group(process)

    queues = [_Chain(sequence, queue) if sequence is not None and number == 0 else queue
              for number in range(workers)]
    threads = [threading.Thread(target=run, args=(files,)) for files in queues]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive() and not stop.is_set():
                thread.join(0.1)
    finally:  # stopped (SIGTERM, Ctrl+C, `stop`): the converters and their LibreOffice go too
        for process in processes:
            _kill_group(process)
    return errors, contents


def _feed(process: subprocess.Popen, queue: _Queue | _Chain, errors: dict[str, str],
          contents: dict[str, list[str]], done: Callable[[str], None] | None) -> None:
    """Give a converter one file at a time and read its answers (the laid-out TOC lines,
    then ok or error), until no file is left or the converter has gone: a file it could not
    be given goes back to the queue for the others; the file it was converting fails (no
    PDF is found)."""
    assert process.stdin is not None and process.stdout is not None
    try:
        while (source := queue.take()) is not None:
            try:
                process.stdin.write(f"{source}\t{queue.out_dir(source)}\n")
                process.stdin.flush()
            except (BrokenPipeError, ValueError):  # gone before this file (did not start)
                queue.give_back(source)
                return
            line = process.stdout.readline()
            while line.startswith("toc "):
                path, _, data = line.rstrip("\n")[4:].partition("\t")
                contents[str(Path(path).resolve())] = json.loads(data)
                line = process.stdout.readline()
            kind, _, rest = line.rstrip("\n").partition(" ")
            path, _, reason = rest.partition(": ")
            if kind == "error":
                errors[str(Path(path).resolve())] = reason or "LibreOffice failed"
            if queue.finished(source, kind == "ok", reason) and done and line:
                done(Path(path).name)
            if not line:  # killed or crashed while converting
                return
    finally:
        with contextlib.suppress(OSError, ValueError):
            process.stdin.close()  # no more files: the converter stops its LibreOffice


class _Queue:
    """The files still to convert, longest first, shared by the converters' threads."""

    def __init__(self, files: list[Path], out_dir: Path) -> None:
        self.files = sorted(files, key=expected_pages, reverse=True)
        self.folder = out_dir
        self.lock = threading.Lock()

    def take(self) -> Path | None:
        with self.lock:
            return self.files.pop(0) if self.files else None

    def give_back(self, file: Path) -> None:
        with self.lock:
            self.files.insert(0, file)

    def out_dir(self, source: Path) -> Path:
        return self.folder

    def finished(self, source: Path, ok: bool, reason: str = "") -> bool:
        """Whether the file is one of those the caller counts (`done`)."""
        return True


class _Chain:
    """A sequence's files first, then the shared queue's."""

    def __init__(self, sequence, queue: _Queue) -> None:
        self.sequence, self.queue = sequence, queue
        self.giving = sequence

    def take(self) -> Path | None:
        source = self.sequence.take() if self.giving is self.sequence else None
        if source is None:
            self.giving = self.queue
            source = self.queue.take()
        return source

    def give_back(self, file: Path) -> None:
        self.giving.give_back(file)

    def out_dir(self, source: Path) -> Path:
        return self.giving.out_dir(source)

    def finished(self, source: Path, ok: bool, reason: str = "") -> bool:
        self.giving.finished(source, ok, reason)
        return self.giving is self.queue
