"""Read what a user asks us to check: a file, standard input or pasted
text, refusing binary data and decoding legacy encodings, so the engine
always gets text and the user always gets a one-line reason when it can't.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

MAX_INPUT_BYTES = 20 * 1024 * 1024


class InputError(ValueError):
    """The input cannot be checked; the message says why, in one line."""


@dataclass(frozen=True)
class Document:
    text: str
    name: str
    html: bool = False


def decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else the detected
    encoding; binary data is refused rather than checked as gibberish."""
    if not data.strip():
        raise InputError(f"{name}: empty input, nothing to check")
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise InputError(f"{name}: not text (unknown encoding)")
    text = data.decode(best.encoding, errors="replace")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 65536):
        raise InputError(f"{name}: binary file, not text")
    return text


def read_file(target: str, max_bytes: int = MAX_INPUT_BYTES) -> Document:
    """A file path, or "-" for standard input."""
    if target == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "standard input"
    else:
        path = Path(target)
        if not path.exists():
            raise InputError(f"{target}: no such file")
        if path.is_dir():
            raise InputError(f"{target}: is a directory, not a file")
        try:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{target}: cannot read ({exc.strerror or exc})") from exc
        name = target
    if len(data) > max_bytes:
        raise InputError(f"{name}: larger than {max_bytes // (1024 * 1024)} MB, too large to check")
    text = decode(data, name)
    html = target.lower().endswith((".html", ".htm", ".xhtml")) or text.lstrip()[:200].lower().startswith(
        ("<!doctype html", "<html"))
    return Document(text, name, html)
