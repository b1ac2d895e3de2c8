"""Pages painted before the PDF is written, where they were laid out (WeasyPrint 70).

Painting (drawing boxes and shaping text into a page's content stream) is half of what writing
a book costs, and a book is written once, in one process, so that it keeps one structure tree
and one set of fonts. A page's painting depends on nothing but the page, though: the forked
child paints the pages of its sheets before sending them (parallel.py), and this process paints
its own while it waits. `write_pdf` then takes each page's content as painted.

What WeasyPrint's `generate_pdf` keeps from painting a page, and how it comes across:
- the content operators, joined as pydyf joins them (one item of the page's stream, the same
  bytes);
- the marked content (`Stream._tags`, box → MCID), whose boxes are the page's own: they travel
  in the same pickle as the page, so they are the boxes the structure tree is built from;
- the glyphs used of each font (widths, text), added to the document's font of the same key;
- alpha states, named by their value.
A page whose painting used anything else (images, patterns, groups, a font this process has not
loaded, a glyph missing from its font) is painted again at write time, as WeasyPrint would.
Margin boxes added to a page after it was painted (a book page's number, book_pdf.py) are
painted at write time after its content, where WeasyPrint paints a page's last margin boxes.
"""

from dataclasses import dataclass
from typing import Any

import pydyf
import weasyprint.pdf
from weasyprint.document import Page
from weasyprint.draw import draw_stacking_context
from weasyprint.stacking import StackingContext

from reports import pdf_text

# generate_pdf's scale at zoom 1: 72 PDF points an inch over 96 CSS pixels.
SCALE = 0.75
RESOURCES = ("ExtGState", "XObject", "Pattern", "Shading")


@dataclass
class Painted:
    """What painting a page left for the PDF, apart from the page itself."""

    content: bytes
    tags: dict  # box -> {"tag", "mcid"}, as Stream._tags
    fonts: dict  # font key -> (font hash, widths, to_unicode), of all the pages painted with it
    alphas: dict  # ExtGState name -> its dictionary
    children: int  # the page box's children when painted; later ones are painted at write time


def paint(pages: list, language: str) -> None:
    """Paint `pages` now; `write_pdf` uses what each painting left, checked (`_fits`)."""
    # One set of fonts for all the pages, as in a document: a font is loaded (its file read,
    # its marks found) once, not once a page.
    fonts: dict = {}
    with pdf_text.document_language(language):
        for page in pages:
            painted = _painted(page, fonts)
            if painted is not None:
                page._painted_ahead = painted


def _painted(page, fonts: dict) -> Painted | None:
    resources = pydyf.Dictionary({name: pydyf.Dictionary() for name in RESOURCES})
    resources["ColorSpace"] = None  # a group copies it; a page with a group is not kept
    images: dict = {}
    tags: dict = {}
    width, height = page.width * SCALE, page.height * SCALE
    stream = weasyprint.pdf.Stream(fonts, (0, 0, width, height), resources, images, tags, {}, None)
    page.paint(stream, SCALE)
    alphas = resources["ExtGState"]
    plain = all(name[:1] in "aA" for name in alphas) and not any(
        resources[name] for name in RESOURCES[1:]
    )
    if images or not plain or any(font.missing or font.bitmap for font in fonts.values()):
        return None
    return Painted(
        content=b"\n".join(pydyf._to_bytes(item) for item in stream.stream),
        tags=tags,
        fonts={key: (f.hash, f.widths, f.to_unicode) for key, f in fonts.items()},
        alphas={name: dict(state) for name, state in alphas.items()},
        children=len(page._page_box.children),
    )


def _fits(painted: Painted, stream: Any, scale: float) -> bool:
    """The page's stream is as WeasyPrint starts it, and has every font the painting used."""
    fonts = stream._fonts
    return (
        scale == SCALE
        and stream._tags == {}
        and not stream._images
        and all(key in fonts and fonts[key].hash == h for key, (h, _, _) in painted.fonts.items())
    )


def _take(page, painted: Painted, stream: Any, scale: float) -> None:
    stream.stream.append(painted.content)
    stream._tags.update(painted.tags)
    for key, (_, widths, to_unicode) in painted.fonts.items():
        font = stream._fonts[key]
        font.widths.update(widths)
        for glyph, text in to_unicode.items():
            font.to_unicode.setdefault(glyph, text)
    states = stream._resources["ExtGState"]
    for name, state in painted.alphas.items():
        states.setdefault(name, pydyf.Dictionary(state))
    page_box = page._page_box
    later = page_box.children[painted.children :]
    if later:
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            for box in later:
                draw_stacking_context(stream, StackingContext.from_box(box, page_box))


_paint = Page.paint


def _paint_or_take(self, stream, scale=1):
    painted = self.__dict__.pop("_painted_ahead", None)
    if painted is not None and _fits(painted, stream, scale):
        _take(self, painted, stream, scale)
    else:
        _paint(self, stream, scale)


Page.paint = _paint_or_take
