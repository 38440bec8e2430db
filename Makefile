# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
.PHONY: demo test stop reset lint bench bench-validation bench-spreadsheet bench-dukcapil

demo:  ## run the portal with demo data on http://127.0.0.1:5000
	bash scripts/demo.sh

test:  ## run the whole test-suite against the real stack
	bash scripts/test.sh

stop:  ## stop the demo workers and the services
	bash scripts/stop.sh

reset:  ## stop everything and delete all local data
	bash scripts/reset.sh

lint:
	.venv/bin/ruff check ckanext tests bench
	.venv/bin/ruff format --check ckanext tests bench
