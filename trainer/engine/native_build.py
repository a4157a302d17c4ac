"""How the compiled hot paths (_phrasefind.c: phrase search, word look-up, tokenizer) are
built, for hatch_build.py and the tests.

Standard library only: the build hook loads this file by its path, before anything is installed.
"""

from __future__ import annotations

import shlex
import shutil
import sysconfig
from pathlib import Path

SOURCE = Path(__file__).with_name("_phrasefind.c")
ENV_NO_EXTENSION = "TRAINER_NO_EXTENSION"  # set (to anything) at install: do not build it


def cannot_build() -> str | None:
    """Why this Python cannot compile the search here, or None: it can."""
    ldshared = sysconfig.get_config_var("LDSHARED")
    include = sysconfig.get_paths().get("include")
    if not (ldshared and sysconfig.get_config_var("EXT_SUFFIX") and include) \
            or not shutil.which(shlex.split(ldshared)[0]):
        return "no C compiler found"
    if not (Path(include) / "Python.h").is_file():
        return "no Python headers (Python.h)"
    return None


def file_name() -> str:
    """The compiled module's file name for this Python and platform."""
    return f"_phrasefind{sysconfig.get_config_var('EXT_SUFFIX')}"


def command(out: Path, source_sha256: str) -> list[str]:
    """The compiler command that builds SOURCE into out, with the flags Python was built with.
    The module keeps its source's hash, so a source checkout can tell a stale build."""
    return [*shlex.split(sysconfig.get_config_var("LDSHARED")),
            *shlex.split(sysconfig.get_config_var("CCSHARED") or ""), "-O2",
            f"-I{sysconfig.get_paths()['include']}", f'-DSOURCE_SHA256="{source_sha256}"',
            str(SOURCE), "-o", str(out)]
