"""Wheel build hook: the compiled phrase search, and the bundled pattern packs precompiled.

1. trainer/engine/_phrasefind.c, the analyzer's phrase search in C, is compiled with the C
   compiler Python itself was built with (sysconfig), into the wheel, or for an editable
   install next to its source (as `build_ext --inplace` would). It is optional: with no
   compiler, or if compiling fails, or with TRAINER_NO_EXTENSION=1 set, the wheel is pure
   Python and the analyzer searches in Python, with the same results, more slowly.
2. The analyzer compiles each language's pack into an index and caches it
   (trainer.engine.analyzer). Building a wheel does that once, in a subprocess over the source
   tree, and puts the results in trainer/_compiled. If compiling fails for any reason the wheel
   is built without them: the trainer then compiles on first use, as an editable install does.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_COMPILE = (
    "import sys; from pathlib import Path; "
    "from trainer.engine.analyzer import compile_bundled; "
    "print('\\n'.join(str(p) for p in compile_bundled(Path(sys.argv[1]))))"
)


def _native_build(root: Path):
    """trainer/engine/native_build.py, loaded by its path (the package is not installed yet)."""
    spec = importlib.util.spec_from_file_location(
        "_trainer_native_build", root / "trainer" / "engine" / "native_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CompilePacksHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        if version == "editable":
            self.build_extension(Path(self.root) / "trainer" / "engine")
            return
        if version != "standard":
            return
        built = self.build_extension(Path(tempfile.mkdtemp(prefix="trainer-ext-")))
        if built is not None:
            build_data["force_include"][str(built)] = f"trainer/engine/{built.name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True  # this Python and platform only
        self.precompile_packs(build_data)

    def build_extension(self, dest: Path) -> Path | None:
        """Compile _phrasefind.c into dest; its path, or None (then the analyzer is pure Python)."""
        build = _native_build(Path(self.root))
        if os.environ.get(build.ENV_NO_EXTENSION):
            self.app.display_info(f"trainer: {build.ENV_NO_EXTENSION} set, phrase search in "
                                  "Python")
            return None
        reason = build.cannot_build()
        if reason:
            self.app.display_warning(f"trainer: {reason}, phrase search in Python")
            return None
        sha = hashlib.sha256(build.SOURCE.read_bytes()).hexdigest()
        out = dest / build.file_name()
        tmp = dest / f".tmp-{build.file_name()}"
        try:
            done = subprocess.run(build.command(tmp, sha), capture_output=True, text=True,
                                  timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            self.app.display_warning(f"trainer: phrase search not compiled ({exc}), in Python")
            return None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
            self.app.display_warning(f"trainer: phrase search not compiled ({last}), in Python")
            tmp.unlink(missing_ok=True)
            return None
        os.replace(tmp, out)  # a running trainer keeps the file it has open
        return out

    def precompile_packs(self, build_data: dict) -> None:
        out = Path(tempfile.mkdtemp(prefix="trainer-compiled-"))
        # The build environment's own path (where pip put rapidfuzz) stays after the source tree.
        path = os.pathsep.join(p for p in (self.root, os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            done = subprocess.run([sys.executable, "-c", _COMPILE, str(out)], cwd=self.root,
                                  env=env, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            self.app.display_warning(f"pattern packs not precompiled: {exc}")
            return
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
            self.app.display_warning(f"pattern packs not precompiled: {last}")
            return
        for line in done.stdout.split():
            path = Path(line)
            build_data["force_include"][str(path)] = f"trainer/_compiled/{path.name}"
