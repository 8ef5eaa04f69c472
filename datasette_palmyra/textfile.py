"""Reading one article's text: its encoding, the size limit, its language.

Kept apart from load.py (which re-exports all of it) so that ``palmyra extract`` reads a file without
importing what a load needs to write a database (sqlite-utils, the store, signatures).
"""

from __future__ import annotations

import re
from pathlib import Path

from .language import available_languages, load_language

MAX_BYTES = 20 * 1024 * 1024


class LoadError(Exception):
    """One input problem, already phrased as ``file:line: what is wrong``."""


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, newline, form feed are not in any article: more than 1% means binary."""
    sample = text[:65536]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0)
    return controls > max(2, len(sample) // 100)


def decode_text(raw: bytes, path: Path | str) -> tuple[str, str]:
    """Text and the encoding it was read in: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy
    newsroom encoding (cp1251 for Cyrillic, cp1252/latin-1 for Western), picked by which reads as letters."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, enc = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise LoadError(f"{path}: starts with a UTF-16 byte-order mark but is not UTF-16") from None
    elif b"\x00" in raw[:4096]:
        raise LoadError(f"{path}: binary file, not text (NUL bytes)")
    else:
        try:
            text, enc = raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as e:
            text, enc = _legacy(raw, path, e.start)
    if _looks_binary(text):
        raise LoadError(f"{path}: binary file, not text (control characters)")
    return text, enc


def _legacy(raw: bytes, path: Path | str, bad_at: int) -> tuple[str, str]:
    cyr = raw.decode("cp1251", errors="replace")
    letters = [ch for ch in cyr[:65536] if ch.isalpha()]
    if letters and sum("\u0400" <= ch <= "\u04ff" for ch in letters) > 0.5 * len(letters):
        return cyr, "cp1251"
    for enc in ("cp1252", "latin-1"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise LoadError(f"{path}: not UTF-8 (byte {bad_at}) and no legacy encoding fits")  # pragma: no cover


_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str:
    """The language (any with data files) whose stop words the text uses most; words of any script."""
    words = _WORD.findall(text[:5000].lower())
    best, best_score = "en", -1.0
    for code in available_languages():
        try:
            stop = set(load_language(code).words("stopwords"))
        except ValueError:
            continue
        score = sum(1 for w in words if w in stop) / (len(words) or 1)
        if score > best_score:
            best, best_score = code, score
    return best
