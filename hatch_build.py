"""Wheel build hook: ship the bundled pattern packs precompiled, so the first start is fast.

The analyzer compiles each language's pack into an index and caches it (trainer.engine.analyzer).
Building a wheel does that once, in a subprocess over the source tree, and puts the results in
trainer/_compiled. If compiling fails for any reason the wheel is built without them: the
trainer then compiles on first use, as an editable install does.
"""

from __future__ import annotations

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


class CompilePacksHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version != "standard":
            return
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
