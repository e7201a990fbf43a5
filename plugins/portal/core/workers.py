"""Worker processes for the build's parallel parts (read.read_ahead, check.check_and_fill).

Forked, so that they start at once with the code and data already loaded
(and a test's patches). Where fork does not exist (Windows) or there is one
core, the callers do everything in-process instead. A worker's result is
matched to the text it was made from by that text's digest.
"""

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def workers_can_help() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def forked_pool(workers: int | None = None, initializer=None, initargs=()) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=initializer, initargs=initargs)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
