"""Local sample feeds for tests and ``make demo`` (real HTTP servers on 127.0.0.1)."""
