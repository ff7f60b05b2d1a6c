"""Compute a string in a forked child process while this process does other work.

The child shares everything this process has loaded (the model, the input) without copying or
pickling it; only its result, a str, comes back, through a pipe. Used by `chatmon classify` to format
the second part of a large input on the machine's other core (monitor/detect/classify.py).
"""

from __future__ import annotations

import os
import sys
from typing import Callable


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def in_child(work: Callable[[], str]) -> Callable[[], str | None]:
    """Start work() in a forked child; returns a function that waits for it and gives its result, or
    None when the child failed (the caller then does the work itself)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                          # the child: never returns
        status = 1
        try:
            os.close(read_end)
            # surrogatepass: a lone surrogate (JSON input can carry one) comes back as it was
            data = work().encode("utf-8", "surrogatepass")
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        except BaseException:   # noqa: BLE001 - shown; the parent then does the work itself
            import traceback

            traceback.print_exc()
        finally:
            # no exit handlers, no teardown: they belong to the parent (its output, its temporary files)
            os._exit(status)
    os.close(write_end)

    def result() -> str | None:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        return data.decode("utf-8", "surrogatepass")

    return result
