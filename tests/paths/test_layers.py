"""paths/ sits above function/, symbolic/ and grid/: nothing below imports it, and it imports sympy,
scipy and matplotlib only when used."""

import subprocess
import sys
from pathlib import Path

import gradkit

PACKAGE = Path(gradkit.__file__).parent


def test_no_lower_layer_imports_paths():
    lower = [*PACKAGE.glob("function/*.py"), *PACKAGE.glob("grid/*.py"), *PACKAGE.glob("symbolic/*.py")]
    lower.append(PACKAGE / "stencils.py")
    assert len(lower) > 20
    assert [p.name for p in lower if "gradkit.paths" in p.read_text()] == []


def test_importing_paths_imports_neither_sympy_scipy_nor_matplotlib():
    code = "import sys, gradkit.paths; print(sorted(m for m in ('sympy', 'scipy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
