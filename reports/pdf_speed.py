"""Costs of writing long PDFs removed where WeasyPrint 70 and pydyf spend them needlessly.

pydyf computes `PDF.page_references` afresh, over every page, each time it is read, and
WeasyPrint's PDF/UA tagging reads it once per tagged element: for a 180-page book that was
22,000 tuples of 180 references, a tenth of the book's time. Page references never change once
a page is added, so they are kept until the next page is added.
"""

import pydyf


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_kept_page_references")
    if kept is None or kept[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        kept = (len(kids), references)
        pdf.__dict__["_kept_page_references"] = kept
    return kept[1]


pydyf.PDF.page_references = property(_page_references)
