"""A book's page numbers ("หน้า 9 จาก 178"), set without laying a page out again (book_pdf.py).

The parts of a book (front matter, summary, each sheet) are laid out as documents of their own,
and a page's number in the book is known only once they all are. So:
- the front matter (cover, contents) is laid out with the numbers as text: the page each part
  starts on in the contents, the book's total in its own footers;
- every other page lays out its bottom-right margin box empty, and the line of its number is
  laid out in one document holding every such line, as wide as that box and styled as it is;
  the line is then moved into a copy of the page's box, where WeasyPrint would have put it.
Numbering a blank stand-in page for each of them instead cost some 8 ms a page (its 16 margin
boxes): 1.5 of an 86-indicator book's CPU seconds, against 0.1 s for the lines.
"""

from math import ceil

from django.template.loader import render_to_string
from weasyprint.formatting_structure.boxes import LineBox, MarginBox

from reports.pdf import document, render

FRONT = "reports/pdf/book.html"
NUMBERS = "reports/pdf/book_numbers.html"
# The box the number goes in, laid out empty on every page after the front matter.
NUMBER_BOX = "@bottom-right"
EMPTY_NUMBER_BOX = f'@page {{ {NUMBER_BOX} {{ content: ""; }} }}\n'
# The front matter's own footers count the whole book, not the front matter.
FRONT_TOTAL = (
    f"@page {{{{ {NUMBER_BOX} {{{{ content: string(printed) "
    '" · " string(page-label) " " counter(page) " " string(page-of) " {total}"; }} }}\n'
)
# Contents lines a page holds, for a first guess of the front matter's length; a wrong guess
# costs one more layout of the front matter.
CONTENTS_LINES = 45
TRIES = 4


def lay_out_front(context: dict, plans: list, summary_pages: int) -> tuple:
    """The front matter, citing the page each part starts on; and the book's page count."""
    front_pages = 1 + ceil((len(plans) + 1) / CONTENTS_LINES)
    for _ in range(TRIES):
        total = _cite(context, plans, front_pages, summary_pages)
        html = render_to_string(FRONT, context)
        front = render(html, extra_css=FRONT_TOTAL.format(total=total))
        if len(front.pages) == front_pages:
            return front, total
        front_pages = len(front.pages)  # more or fewer contents pages: cite again
    raise RuntimeError(f"the front matter does not settle on a length ({front_pages} pages)")


def _cite(context: dict, plans: list, front_pages: int, summary_pages: int) -> int:
    """Set the first page of the summary and of each sheet; return the last page's number."""
    context["summary_page"] = front_pages + 1
    number = front_pages + summary_pages + 1
    for plan in plans:
        plan.first_page = number
        number += plan.pages
    return number - 1


def lay_out_numbers(context: dict, first: int, total: int):
    """The lines "พิมพ์เมื่อ … · หน้า n จาก total" of pages `first` to `total`, laid out."""
    numbers = range(first, total + 1)
    return document(NUMBERS, context | {"numbers": numbers, "total": total})


def number(pages: list, numbers) -> list:
    """`pages`, each with its line of `numbers` in a copy of its empty number box."""
    lines = [
        (box, box.children[0])
        for page in numbers.pages
        for box in page._page_box.descendants()
        if box.element_tag == "p" and box.children and isinstance(box.children[0], LineBox)
    ]
    if len(lines) != len(pages):
        raise ValueError(f"{len(lines)} page numbers for {len(pages)} pages")
    for page, (paragraph, line) in zip(pages, lines, strict=True):
        _put(page._page_box, paragraph, line)
    return pages


def _put(page_box, paragraph, line) -> None:
    empty = next(
        child
        for child in page_box.children
        if isinstance(child, MarginBox) and child.at_keyword == NUMBER_BOX
    )
    line.translate(
        empty.content_box_x() - paragraph.content_box_x(),
        empty.content_box_y() - paragraph.content_box_y(),
    )
    # Added, not swapped: a page painted ahead paints the boxes added after it (paint_ahead.py).
    page_box.children = (*page_box.children, empty.copy_with_children([line]))
