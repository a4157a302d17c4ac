"""The engine and the headless commands never load Textual or Rich."""

import subprocess
import sys

import pytest

ENGINE_MODULES = [
    "trainer.engine.analyzer", "trainer.engine.scenario", "trainer.engine.session",
    "trainer.engine.customer", "trainer.engine.scoring", "trainer.engine.storage",
    "trainer.engine.library", "trainer.engine.selftest", "trainer.cli", "trainer.commands",
    "trainer.headless",
]


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_module_does_not_import_textual(module):
    code = (f"import sys, {module}; "
            "bad = [m for m in ('textual', 'rich') if m in sys.modules]; "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} loaded {result.stdout.strip()} {result.stderr}"


def test_help_does_not_import_textual():
    code = ("import sys; from trainer.cli import build_parser; build_parser().format_help(); "
            "sys.exit('textual' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
