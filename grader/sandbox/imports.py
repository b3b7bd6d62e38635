"""What a submission may import when it is graded: numpy and Python's standard library, nothing else.

The jail reads only these (see ``forkserver.import_roots``) and finds nothing else on its import
path, so any other import raises ModuleNotFoundError there. The grader uses the same list to skip
a notebook's ``import matplotlib.pyplot`` before grading, and to tell students what they may use.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib.util import find_spec

PACKAGES = ("numpy",)
"""The installed packages a submission may import, beside the standard library."""


@lru_cache(maxsize=1024)
def importable(module: str) -> bool:
    """Whether ``import module`` can work at grading time: its top-level package is numpy or in the
    standard library (and present on this host: not ``msvcrt`` on Linux, nor a ``tkinter`` left out)."""
    top = module.partition(".")[0]
    return top in PACKAGES or (top in sys.stdlib_module_names and find_spec(top) is not None)


def available_sentence() -> str:
    """One sentence for every exercise's statement: what a submission may import."""
    return ("When it is graded, your code may import " + " and ".join(PACKAGES) + " and Python's standard library, "
            "nothing else (not matplotlib, tqdm or IPython). Only what defines your function runs: the imports, "
            "and the functions, classes and constants it uses; plots, loops, prints and self-check asserts are "
            "skipped, and the report lists what was skipped and why.")
