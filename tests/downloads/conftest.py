"""The download tests share the validation tests' sample files
(tests/validation/validation_files.py, imported by its bare name)."""

from __future__ import annotations

import sys
from pathlib import Path

VALIDATION_TESTS = str(Path(__file__).resolve().parents[1] / "validation")
if VALIDATION_TESTS not in sys.path:
    sys.path.append(VALIDATION_TESTS)
