"""The compiled hot paths (_phrasefind.c): found once, or None, and the analyzer runs Python.

The module is optional (see native_build.py and hatch_build.py): without it, or with
TRAINER_PURE_PYTHON set, every caller runs the same code in Python with the same results.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_PURE_PYTHON = "TRAINER_PURE_PYTHON"  # set (to anything): run the Python code
_native_module: list = []  # the compiled module once looked for: [module or None]


def native_module():
    """The compiled phrase search, look-up, tokenizer and word sum (_phrasefind.c), or None:
    not built, built from another version of its source, or turned off with
    TRAINER_PURE_PYTHON=1. Either way the results are the same; only the speed differs."""
    if _native_module:
        return _native_module[0]
    module = None
    if not os.environ.get(ENV_PURE_PYTHON):
        try:
            from trainer.engine import _phrasefind as module
        except ImportError:
            module = None
        if module is not None and not built_from(module, Path(__file__).with_name(
                "_phrasefind.c")):
            module = None  # a source checkout's stale build: `pip install -e .` builds it anew
    _native_module.append(module)
    return module


def compiled(name: str):
    """One compiled function of the module, or None: then the caller runs its Python twin."""
    return getattr(native_module(), name, None)


def search_kind() -> str:
    """Which phrase search runs here, in words (the benches print it)."""
    return ("compiled (trainer/engine/_phrasefind.c)" if native_module() is not None
            else "Python (not compiled here, or TRAINER_PURE_PYTHON set)")


def built_from(module, source: Path) -> bool:
    """The compiled module was built from the source file as it is now (or the source is not
    there to compare, as an installed wheel may leave it out)."""
    import hashlib

    try:
        current = hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        return True
    return getattr(module, "SOURCE_SHA256", "") == current
