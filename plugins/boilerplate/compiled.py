"""Which compiled code runs. Each piece of C in this package (``_dom.c``, ``_trees.c``)
has a Python function as its specification; the C is used only where it was built, has
the function, and gives the specification's values on a small check input at import.
Anywhere else the Python runs, with the same results, more slowly."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Callable, Iterable


def checked(module: str, function: str, agrees: Callable[[ModuleType], bool]
            ) -> ModuleType | None:
    """The compiled ``module`` of this package when it has ``function`` and
    ``agrees(module)`` (its values are the specification's on the check input), else
    None. A check that raises counts as disagreeing."""
    try:
        compiled = importlib.import_module(f"{__package__}.{module}")
    except ImportError:
        return None
    if not hasattr(compiled, function):
        return None
    try:
        return compiled if agrees(compiled) else None
    except Exception:
        return None


def same_arrays(fast: Iterable, slow: Iterable) -> bool:
    """Whether two sequences of numpy arrays hold the same bytes, dtypes and shapes."""
    return all(a.tobytes() == b.tobytes() and a.dtype == b.dtype and a.shape == b.shape
               for a, b in zip(fast, slow, strict=True))
