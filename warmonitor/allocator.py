"""One setting of the C allocator, made once when the command starts, that lowers peak memory (issue #8).

spaCy's parser allocates and frees arrays of hundreds of KB to tens of MB for every batch. glibc's malloc
raises its mmap threshold each time such a block is freed, so later ones are carved out of the heap, where the
small long-lived objects made between batches pin them: resident memory creeps up by tens of MB and is never
given back. A fixed threshold keeps every block of 1 MB or more in a mapping of its own, returned to the system
when freed. Measured with bench/bench_extract.py: bare spaCy peaks at 342 MB instead of 373, at the same speed.
"""
from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter number (malloc.h)
BIG_BLOCK = 1 << 20


def keep_big_blocks_apart() -> bool:
    """Fix glibc's mmap threshold at 1 MB; whether it was done (not on other C libraries or systems)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the C library this interpreter already runs on
        return bool(libc.mallopt(M_MMAP_THRESHOLD, BIG_BLOCK))
    except (OSError, AttributeError):  # no mallopt (musl has one that does nothing and says so)
        return False
