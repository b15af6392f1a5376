"""The export's files as the loader reads them: plain UTF-8 files on disk.

A regular UTF-8 file is read where it is. Standard input (`-`), a pipe, a gzip file and a file
in another encoding (`--encoding`) are copied to a temporary file first (a "spool"), because the
reader reads a file in parallel blocks and checks its quotes in a second pass, which a stream
cannot give. The copy is bounded (docs/metrics.md#several-files-compressed-files-standard-input):
the first 64 KiB are judged before anything is written (binary content, the wrong encoding or
no header stops the run there), the copy stops at SPOOL_LIMIT_BYTES, and the spool is removed on
every way out: the end of the run, an error, Ctrl-C, SIGTERM and SIGHUP.
"""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import os
import signal
import stat
import sys
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from cetool.core.errors import CetoolError
from cetool.core.files import display_path
from cetool.core.textsafe import utf8_text
from cetool.metrics.csv_file import SNIFF_BYTES, sniff_head

SPOOL_LIMIT_BYTES = 4 * 1024**3  # a 5M-row export is about 0.5 GB; four times that is not an export
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
_UTF8 = {"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"}


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (to look at them) put back in front."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self.prefix, self.rest = prefix, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            n = min(len(buffer), len(self.prefix))
            buffer[:n], self.prefix = self.prefix[:n], self.prefix[n:]
            return n
        data = self.rest.read1(len(buffer)) if hasattr(self.rest, "read1") else self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def check_encoding(name: str | None) -> str | None:
    """The codec to transcode from, None for UTF-8 (read as it is); exit 2 for an unknown name."""
    if name is None:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise CetoolError(f"--encoding: unknown encoding {name!r}; e.g. cp1252 (Excel on Windows), "
                          "latin-1, utf-8") from None
    return None if codec in _UTF8 else codec


def _chunks(stream: BinaryIO, encoding: str | None, display: str) -> Iterator[bytes]:
    """UTF-8 bytes of the stream: gunzipped when it starts as gzip, transcoded from `encoding`."""
    start = stream.read(2)
    raw: BinaryIO = io.BufferedReader(_Prefixed(start, stream), _CHUNK)
    if start == _GZIP_MAGIC:
        raw = gzip.GzipFile(fileobj=raw, mode="rb")
    decoder = codecs.getincrementaldecoder(encoding)() if encoding else None
    read = 0
    try:
        while block := raw.read1(_CHUNK):  # what is there: a pipe's writer may be slow
            if decoder is not None:
                try:
                    block = decoder.decode(block).encode("utf-8")
                except UnicodeDecodeError as exc:
                    raise CetoolError(f"{display}: byte 0x{exc.object[exc.start]:02x} at byte offset "
                                      f"{read + exc.start} is not {encoding}; check --encoding") from None
                except UnicodeError as exc:  # UTF-16 without its byte-order mark, and the like
                    raise CetoolError(f"{display}: cannot be read as {encoding} ({exc}); check --encoding") from None
            read += len(block)
            yield block
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        what = "gzip data" if start == _GZIP_MAGIC else "input"
        raise CetoolError(f"{display}: cannot read the {what}: {exc}") from None


def _spool(stream: BinaryIO, encoding: str | None, display: str, spools: list[Path]) -> Path:
    """Judge the first 64 KiB, then copy the rest to a temporary file, bounded."""
    chunks = _chunks(stream, encoding, display)
    head = b""
    for block in chunks:
        head += block
        if len(head) >= SNIFF_BYTES:
            break
    sniff_head(head[:SNIFF_BYTES], display, whole=len(head) < SNIFF_BYTES)
    handle = tempfile.NamedTemporaryFile(prefix="cetool-export-", suffix=".csv", delete=False)
    spools.append(Path(handle.name))
    total = 0
    with handle:
        for block in itertools.chain([head], chunks):
            total += len(block)
            if total > SPOOL_LIMIT_BYTES:
                raise CetoolError(f"{display}: more than {SPOOL_LIMIT_BYTES / 1024**2:,.0f} MiB; an export is "
                                  "smaller than that: check what is piped in")
            try:
                handle.write(block)
            except OSError as exc:
                raise CetoolError(f"{display}: cannot copy to a temporary file: {exc.strerror or exc}") from None
    return Path(handle.name)


def _source(argument: Path, encoding: str | None, spools: list[Path]) -> tuple[Path, str]:
    """One export argument as (a plain UTF-8 file to read, its name for messages)."""
    if str(argument) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise CetoolError("-: reads the export from stdin, but stdin is a terminal; pipe the CSV in "
                              "(cat export.csv | cetool metrics weekly -) or pass its path")
        return _spool(sys.stdin.buffer, encoding, "stdin", spools), "stdin"
    display = utf8_text(display_path(argument))  # a file name that is not UTF-8 is still shown
    try:
        mode = argument.stat().st_mode
    except OSError:
        return argument, display  # the loader names what is wrong
    if stat.S_ISREG(mode):
        try:
            with argument.open("rb") as handle:
                gzipped = handle.read(2) == _GZIP_MAGIC
        except OSError:
            return argument, display
        if not gzipped and encoding is None:
            return argument, display
    elif not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)):
        return argument, display
    elif stat.S_ISCHR(mode) and os.path.realpath(argument) == os.path.realpath("/dev/tty") or \
            str(argument) in ("/dev/stdin", "/dev/fd/0") and sys.stdin is not None and sys.stdin.isatty():
        raise CetoolError(f"{argument}: is the terminal; pipe the CSV in or pass its path")
    try:
        with argument.open("rb") as stream:
            return _spool(stream, encoding, display, spools), display
    except OSError as exc:
        raise CetoolError(f"{display}: cannot read: {exc.strerror or exc}") from None


def _leave(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through `exports`, which removes the spools


@contextmanager
def exports(arguments: list[Path], encoding: str | None = None) -> Iterator[list[tuple[Path, str]]]:
    """The export arguments as plain UTF-8 files (path, display), for the time of the block."""
    codec = check_encoding(encoding)
    if sum(str(a) == "-" for a in arguments) > 1:
        raise CetoolError("-: standard input can be read once; give - only once")
    spools: list[Path] = []
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                previous[number] = signal.signal(number, _leave)
            except ValueError:  # not the main thread: the caller handles signals
                pass
    try:
        yield [_source(argument, codec, spools) for argument in arguments]
    finally:
        for spool in spools:
            spool.unlink(missing_ok=True)
        for number, handler in previous.items():
            signal.signal(number, handler)
