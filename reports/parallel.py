"""Laying out documents in a second process, for the long books the background worker builds.

WeasyPrint lays out in one thread, and a book's sheets do not depend on each other: a forked
child lays out some of them while this process lays out the others, then sends its laid-out
documents back pickled. The PDF is still written once, here, so the book keeps one structure
tree, one set of embedded fonts, its page labels and links, as if laid out in one process.

Laid-out documents pickle as they are (WeasyPrint drops the Pango objects of every line once it
is laid out), except for the font configuration their styles point to and the fetcher of their static files:
the child's are the copies of this process's that it was forked with, so they travel as names
and come back as the originals. WeasyPrint's stand-in for a positioned box forwards every
attribute to its box, so it is rebuilt from the box rather than from its state.
"""

import copyreg
import io
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.db import connections
from weasyprint.layout.absolute import AbsolutePlaceholder

from reports.pdf import shared_fonts, url_fetcher


def _shared() -> dict[str, Any]:
    """The objects of this process that laid-out documents point to, by name."""
    return {"fonts": shared_fonts(), "fetcher": url_fetcher}


class ChildFailed(RuntimeError):
    """The child process stopped without its result; the message is its traceback."""


def _placeholder(box: Any, layout_done: bool) -> AbsolutePlaceholder:
    placeholder = AbsolutePlaceholder(box)
    object.__setattr__(placeholder, "_layout_done", layout_done)
    return placeholder


def _reduce_placeholder(placeholder: AbsolutePlaceholder) -> tuple:
    state = object.__getattribute__(placeholder, "__dict__")
    return _placeholder, (state["_box"], state["_layout_done"])


class _Pickler(pickle.Pickler):
    dispatch_table = copyreg.dispatch_table | {AbsolutePlaceholder: _reduce_placeholder}

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.names = {id(obj): name for name, obj in _shared().items()}

    def persistent_id(self, obj: Any) -> str | None:
        return self.names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        shared = _shared()
        if pid not in shared:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return shared[pid]


def dumps(documents: Any) -> bytes:
    """Laid-out documents (or a structure holding them) as bytes for the parent process."""
    buffer = io.BytesIO()
    _Pickler(buffer).dump(documents)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


def available() -> bool:
    """A fork is possible here (POSIX)."""
    return hasattr(os, "fork")


def _refuse_queries(*args: Any) -> None:
    # The child shares this process's database sockets: a query there would corrupt the
    # parent's session. Everything a child lays out is read before the fork.
    raise RuntimeError("no database queries in a forked layout process")


def _run_child(work: Callable[[], bytes], write_end: int) -> None:
    """In the child: run `work`, send its bytes (or the traceback) and leave at once.

    `os._exit` skips every exit handler and finaliser, so nothing the child inherited (database
    connections, the test runner, the task worker) is closed or cleaned up from here.
    """
    status = 0
    try:
        with ExitStack() as stack:
            for connection in connections.all(initialized_only=True):
                stack.enter_context(connection.execute_wrapper(_refuse_queries))
            data = work()
    except BaseException:
        data, status = traceback.format_exc().encode(), 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(status)


@contextmanager
def forked(work: Callable[[], bytes]) -> Iterator[Callable[[], bytes]]:
    """Start `work` in a forked child; yield a function that waits for the bytes it returns.

    Leaving the block without asking for the result stops the child.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _run_child(work, write_end)
    os.close(write_end)
    reaped = False

    def result() -> bytes:
        nonlocal reaped
        with os.fdopen(read_end, "rb", closefd=False) as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        reaped = True
        if os.waitstatus_to_exitcode(status) != 0:
            raise ChildFailed(data.decode(errors="replace") or f"exit status {status}")
        return data

    try:
        yield result
    finally:
        os.close(read_end)
        if not reaped:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
