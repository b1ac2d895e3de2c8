"""The cyclic garbage collector kept off the laid-out sheets of a book while it is made.

A book holds every sheet's laid-out document (boxes, styles, lines) until the PDF is written.
CPython's full collection walks every tracked object, and runs each time the heap has grown by
a quarter: over an 86-indicator book, 13 of them took 2.8 of its 19 CPU s and freed little.
What is alive once a sheet is laid out lives until the book is written, so it is set aside
(`gc.freeze`) after each sheet and before the write, and handed back (`gc.unfreeze`) when the
book is done: collections in between walk only what is new. Each time, what the sheet left
behind in cycles is collected first (a full collection then walks only what is not frozen, that
one sheet's objects), so the book's memory stays as it was.
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def sets_aside_what_lives() -> Iterator[Callable[[], None]]:
    """Yield `set_aside()`, which keeps every object alive now out of collections until the end.

    The end hands back all that is frozen, also the few hundred objects CPython freezes at
    start-up: nothing in the portal relies on them staying frozen (no pre-fork `gc.freeze`).
    """
    try:
        yield _collect_and_freeze
    finally:
        gc.unfreeze()


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()
