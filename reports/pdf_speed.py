"""Costs of writing long PDFs removed where WeasyPrint 70 and pydyf spend them needlessly.

pydyf computes `PDF.page_references` afresh, over every page, each time it is read, and
WeasyPrint's PDF/UA tagging reads it once per tagged element: for a 180-page book that was
22,000 tuples of 180 references, a tenth of the book's time. Page references never change once
a page is added, so they are kept until the next page is added.

pydyf deflates every stream (page contents, font subsets) at zlib's level 9. For the 9.4 MB of
streams of an 86-indicator book that took 0.77 CPU s, against 0.18 s at zlib's default level,
6, for a file 4.6 % larger (1,120 KB → 1,172 KB): our streams are deflated at level 6.
"""

import zlib
from typing import Any

import pydyf

COMPRESSION_LEVEL = 6


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_kept_page_references")
    if kept is None or kept[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        kept = (len(kids), references)
        pdf.__dict__["_kept_page_references"] = kept
    return kept[1]


class _Deflate:
    """zlib as pydyf sees it: its streams deflated at COMPRESSION_LEVEL, whatever it asks."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = COMPRESSION_LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(COMPRESSION_LEVEL, *args, **kwargs)


pydyf.PDF.page_references = property(_page_references)
pydyf.zlib = _Deflate
