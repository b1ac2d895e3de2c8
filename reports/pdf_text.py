"""Text in our PDFs that every extractor reads back in logical order (WeasyPrint 70).

Why extraction of Thai failed: WeasyPrint writes each glyph at its own pen position, and
Sarabun's marks (upper vowels, tone marks) have no advance: GPOS attaches them with small
offsets, so a mark's origin can fall after the start of the next consonant. Readers that
sort characters by position (pdftotext, PyMuPDF) then move the mark behind the next letter
or onto another line ("ตัวชีว ้ ัด"); pdfminer.six gives a zero-width glyph no extent, so two
stacked marks (ี + ้) never share a line with each other. And a decomposed SARA AM (ำ = ํ + า)
is two glyphs for one character: the first maps to nothing, which PyMuPDF prints as the
glyph number (U+02F8).

The fix, at the point where glyphs are written:
- every grapheme of more than one glyph (consonant + marks, a decomposed ำ) is wrapped in a
  `/Span <</ActualText …>>` marked-content sequence, so the tools that honour ActualText
  (poppler, MuPDF) take its text whole, in logical order;
- zero-advance glyphs get a small width (MARK_WIDTH), compensated in the same TJ array (the
  drawing does not move), so position-based grouping keeps them with their base;
- `reports.fonts` keeps the glyph-to-text map unambiguous for the tools that read only the
  ToUnicode map and the content order (pypdf, pdfminer.six).
"""

import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import weasyprint.pdf
from fontTools.ttLib import TTFont
from weasyprint.pdf.stream import Stream

# Thousandths of an em given to every zero-advance glyph, taken back by the next TJ number, so
# nothing moves on paper. GPOS shifts a tone mark over a tall consonant (ป ฝ ฟ) about 0.18 em
# left: at a width under 0.12 em pdfminer, pypdf and poppler read the gap it leaves before the
# next letter as a space ("ฝั่ ง"); 0.16 em was measured clean with all four on every mark pair.
MARK_WIDTH = 160
MARK_CLASS = 3  # GDEF glyph class of combining marks
# Set while a document whose language is not Thai is written: its Thai text is then marked
# /Lang (th), so a screen reader reads it with a Thai voice.
_MARK_THAI: ContextVar[bool] = ContextVar("mark_thai", default=False)
_THAI = re.compile("[\u0e00-\u0e7f]")
_LATIN = re.compile("[A-Za-z]")
_TOKENS = re.compile(r"<([0-9a-fA-F]*)>|(-?[0-9.]+(?:e-?[0-9]+)?)")


@lru_cache(maxsize=32)
def _zero_width_glyphs(digest: str, data: bytes) -> frozenset[int]:
    """Ids of the font's marks and other glyphs that do not advance the pen."""
    del digest  # part of the cache key only: the bytes are hashed once, not compared
    font = TTFont(io.BytesIO(data), lazy=True)
    order = font.getGlyphOrder()
    classes = font["GDEF"].table.GlyphClassDef.classDefs if "GDEF" in font else {}
    metrics = font["hmtx"].metrics
    return frozenset(
        index
        for index, name in enumerate(order)
        if classes.get(name) == MARK_CLASS or (metrics[name][0] == 0 and index)
    )


def zero_width_glyphs(data: bytes) -> frozenset[int]:
    return _zero_width_glyphs(hashlib.blake2b(data, digest_size=16).hexdigest(), data)


@contextmanager
def document_language(language: str) -> Iterator[None]:
    """Write the PDF of a document in `language`; Thai inside a non-Thai one is marked."""
    token = _MARK_THAI.set(not language.startswith("th"))
    try:
        yield
    finally:
        _MARK_THAI.reset(token)


def _tj(items: list) -> bytes:
    parts = [f"<{value}>" if kind == "g" else f" {value} " for kind, value in items]
    return b"[" + "".join(parts).strip().encode() + b"] TJ"


def _actual_text(text: str) -> bytes:
    return b"/Span <</ActualText <feff" + text.encode("utf-16-be").hex().encode() + b">>> BDC"


class ExtractableStream(Stream):
    """WeasyPrint's page stream, writing graphemes that extract as they read.

    WeasyPrint writes a line as TJ arrays, with a text rise (Ts) around a mark that GPOS
    lifts; a grapheme can therefore span several calls. It is kept open until the next base
    glyph or the end of the text run, then written plainly or inside an ActualText span.
    """

    _text_font: Any = None  # WeasyPrint's Font of the current text run

    def clone(self, **kwargs):
        clone = super().clone(**kwargs)
        clone.__class__ = ExtractableStream
        return clone

    def add_font(self, pango_font):
        font, font_size = super().add_font(pango_font)
        if not hasattr(font, "zero_width"):
            font.zero_width = frozenset() if font.bitmap else zero_width_glyphs(font.file_content)
            for glyph_id in font.zero_width:
                font.widths.setdefault(glyph_id, MARK_WIDTH)
        return font, font_size

    def _reset(self) -> None:
        self._grapheme: list = []  # ("tj", items) and ("op", bytes), in order
        self._glyphs: list[int] = []
        self._plain: list = []  # TJ items of finished single-glyph graphemes

    def _flush_plain(self) -> None:
        if getattr(self, "_plain", None):
            self.stream.append(_tj(self._plain))
            self._plain = []

    def _close_grapheme(self) -> None:
        glyphs, parts = self._glyphs, self._grapheme
        texts = [self._text_font.to_unicode.get(glyph, "") for glyph in glyphs]
        self._mark_language("".join(texts))
        # Most graphemes are one glyph, in TJ items only (an empty op marks a call's end).
        if len(glyphs) < 2 and all(texts) and all(kind == "tj" or not v for kind, v in parts):
            for kind, items in parts:
                if kind == "tj":
                    self._plain += items
        else:
            self._flush_plain()
            self.stream.append(_actual_text("".join(texts)))
            self.stream += [_tj(v) if kind == "tj" else v for kind, v in parts if v]
            self.stream.append(b"EMC")
        self._grapheme, self._glyphs = [], []

    def _mark_language(self, text: str) -> None:
        """Open a /Lang (th) span at Thai text, close it at Latin; digits and spaces stay."""
        if not _MARK_THAI.get():
            return
        is_open = getattr(self, "_thai_open", False)
        if not is_open and _THAI.search(text):
            self._flush_plain()
            self.stream.append(b"/Span <</Lang (th)>> BDC")
            self._thai_open = True
        elif is_open and _LATIN.search(text):
            self._flush_plain()
            self.stream.append(b"EMC")
            self._thai_open = False

    def flush_text(self) -> None:
        """Write what is held back; called before anything else is written."""
        if getattr(self, "_grapheme", None) or getattr(self, "_glyphs", None):
            self._close_grapheme()
        self._flush_plain()
        if getattr(self, "_thai_open", False):
            self.stream.append(b"EMC")
            self._thai_open = False
        self._reset()

    def set_font_size(self, font, size):
        self.flush_text()
        self._text_font = next((f for f in self._fonts.values() if f.hash == font), None)
        super().set_font_size(font, size)

    def set_text_rise(self, height):
        if getattr(self, "_grapheme", None):
            self._grapheme.append(("op", f"{height} Ts".encode()))
        else:
            self.flush_text()
            super().set_text_rise(height)

    def _is_plain_glyph(self, to_unicode: dict, marking: bool) -> bool:
        """The open grapheme is one glyph with its text, in one TJ part, no language mark."""
        return (
            not marking
            and len(self._glyphs) == 1
            and len(self._grapheme) == 1
            and bool(to_unicode.get(self._glyphs[0]))
        )

    def show_text(self, text):
        font = self._text_font
        if font is None or not getattr(font, "zero_width", None):
            self.flush_text()
            return super().show_text(text)
        zero_width, to_unicode, marking = font.zero_width, font.to_unicode, _MARK_THAI.get()
        items: list[tuple[str, str]] | None = None  # the open grapheme's TJ items, this call
        for glyphs, number in _TOKENS.findall(text):
            if not glyphs:
                if not number:
                    continue  # an empty <>
                if items is None:
                    items = []
                    self._grapheme.append(("tj", items))
                items.append(("n", number))
                continue
            for start in range(0, len(glyphs), 4):
                value = glyphs[start : start + 4]
                glyph = int(value, 16)
                if glyph not in zero_width and self._glyphs:
                    if items is not None and self._is_plain_glyph(to_unicode, marking):
                        self._plain += items  # the common case, as _close_grapheme does it
                        self._grapheme, self._glyphs = [], []
                    else:
                        self._close_grapheme()
                    items = None
                if items is None:
                    items = []
                    self._grapheme.append(("tj", items))
                items.append(("g", value))
                self._glyphs.append(glyph)
        self._grapheme.append(("op", b""))  # a later call starts a new TJ array
        return None

    def end_text(self):
        self.flush_text()
        super().end_text()

    def set_text_matrix(self, *args):
        self.flush_text()
        super().set_text_matrix(*args)


# WeasyPrint makes every page's stream from this name; its clones keep our class.
weasyprint.pdf.Stream = ExtractableStream
