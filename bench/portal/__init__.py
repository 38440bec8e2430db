"""The portal benchmark's catalogue, bulk load and locust mix (bench/bench_portal.py)."""
