"""Laying out documents in a second process, for the long books the background worker builds.

WeasyPrint lays out in one thread, and a book's sheets do not depend on each other: a forked
child lays out some of them while this process lays out the others, then sends its laid-out
documents back pickled. The PDF is still written once, here, so the book keeps one structure
tree, one set of embedded fonts, its page labels and links, as if laid out in one process.

Laid-out documents pickle as they are (WeasyPrint drops the Pango objects of every line once
it is laid out), except for the font configuration their styles point to and the fetcher of
their static files: the child's are copies of this process's, made by the fork, so they travel
as names and come back as the originals. WeasyPrint's stand-in for a positioned box forwards every
attribute to its box, so it is rebuilt from the box rather than from its state.
"""

import copyreg
import gc
import io
import os
import pickle
import signal
import struct
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from functools import partial
from typing import Any, BinaryIO

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
    """The documents `dumps` packed, with the shared objects of this process."""
    # Unpickling makes millions of objects, none of them garbage: the cyclic collector would
    # walk the growing heap again and again: 0.63-0.68 CPU s instead of 0.18 for 43 sheets.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Unpickler(io.BytesIO(data)).load()
    finally:
        if was_enabled:
            gc.enable()


def available() -> bool:
    """A fork is possible here (POSIX)."""
    return hasattr(os, "fork")


def _refuse_queries(*args: Any) -> None:
    # The child shares this process's database sockets: a query there would corrupt the
    # parent's session. Everything a child lays out is read before the fork.
    raise RuntimeError("no database queries in a forked layout process")


Send = Callable[[bytes], None]
# A message on the pipe: its kind, its length, then its bytes.
HEADER = struct.Struct("!cQ")
MESSAGE, FAILURE = b"m", b"f"


def _frame(kind: bytes, data: bytes) -> bytes:
    return HEADER.pack(kind, len(data)) + data


def _send(pipe: BinaryIO, data: bytes) -> None:
    pipe.write(_frame(MESSAGE, data))
    pipe.flush()  # the parent may act on it before the next one


def _run_child(work: Callable[[Send], None], pipe: BinaryIO) -> None:
    """In the child: run `work`, which sends its messages; on failure send the traceback.

    `os._exit` skips every exit handler and finaliser, so nothing the child inherited (database
    connections, the test runner, the task worker) is closed or cleaned up from here.
    """
    status = 0
    try:
        with ExitStack() as stack:
            for connection in connections.all(initialized_only=True):
                stack.enter_context(connection.execute_wrapper(_refuse_queries))
            work(partial(_send, pipe))
    except BaseException:
        status = 1
        with suppress(OSError):
            pipe.write(_frame(FAILURE, traceback.format_exc().encode()))
    finally:
        with suppress(OSError):
            pipe.close()
        os._exit(status)


def _receiver(pipe: BinaryIO) -> Callable[[], bytes]:
    def receive() -> bytes:
        header = pipe.read(HEADER.size)
        if len(header) < HEADER.size:
            raise ChildFailed("the child stopped before sending all it had to")
        kind, length = HEADER.unpack(header)
        data = pipe.read(length)
        if kind == FAILURE:
            raise ChildFailed(data.decode(errors="replace"))
        return data

    return receive


@contextmanager
def forked(work: Callable[[Send], None]) -> Iterator[Callable[[], bytes]]:
    """Run `work(send)` in a forked child; yield `receive()`, which returns what it sent next.

    Leaving the block early (on an error here) stops the child.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _run_child(work, os.fdopen(write_end, "wb"))
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    try:
        yield _receiver(pipe)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        pipe.close()  # a child still writing gets a broken pipe and leaves
        os.waitpid(pid, 0)
