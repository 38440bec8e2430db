"""The interoperability modules that say they are pure import no CKAN module:
the MQA rules and the concept schemes run outside a CKAN process (the
quality-score work builds on them)."""

from __future__ import annotations

import subprocess
import sys

PURE = ("ckanext.satudata.interop.concepts", "ckanext.satudata.interop.mqa")


def test_pure_interop_modules_import_without_ckan() -> None:
    code = (
        "import sys\n"
        "sys.modules['ckan'] = None\n"  # any `import ckan...` now fails
        f"for name in {PURE!r}:\n"
        "    __import__(name)\n"
        "assert not any(m == 'ckan' or m.startswith('ckan.') for m in sys.modules if sys.modules[m])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
