"""Worker processes that end with the process that started them.

A load or check killed with SIGKILL cannot tell its workers to stop; on Linux the kernel can
(``PR_SET_PDEATHSIG``), so each worker asks for SIGTERM when its parent dies. Elsewhere this does
nothing, and the workers end when their pipes close.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask for SIGTERM when the parent exits (run in the child); exit at once if it already has."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
