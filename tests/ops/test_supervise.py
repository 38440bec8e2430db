"""scripts/supervise.sh, which keeps the demo's workers running: a command
that exits is restarted with a growing wait; SIGTERM stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_restarts_with_backoff_and_stops_on_sigterm(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    supervisor = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "supervise.sh"), "flaky", "bash", "-c",
         f"echo run >> {runs}; exit 75"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    time.sleep(4.5)  # runs at 0 s, ~1 s, ~3 s (waits 1 s, then 2 s)
    os.kill(supervisor.pid, signal.SIGTERM)
    output, _ = supervisor.communicate(timeout=20)

    assert supervisor.returncode == 0
    assert len(runs.read_text().splitlines()) == 3
    assert "exited with status 75; restarting in 1s" in output
    assert "exited with status 75; restarting in 2s" in output
    assert output.rstrip().endswith("flaky: stopped")


def test_sigterm_reaches_the_running_command(tmp_path: Path) -> None:
    marker = tmp_path / "terminated"
    supervisor = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "supervise.sh"), "worker", "bash", "-c",
         f"trap 'touch {marker}; exit 0' TERM; while true; do sleep 0.1; done"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    time.sleep(1)
    os.kill(supervisor.pid, signal.SIGTERM)
    supervisor.wait(timeout=20)

    assert marker.exists()
