# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
.PHONY: demo test faults stop reset backup restore lint i18n venv bench bench-validation bench-spreadsheet bench-dukcapil bench-planning bench-charts

demo:  ## run the portal with demo data on http://127.0.0.1:5000
	bash scripts/demo.sh

test:  ## run the whole test-suite against the real stack
	bash scripts/test.sh

faults:  ## every fault-injection scenario and the backup/restore drill, on a private stack (a few minutes)
	SATUDATA_FAULTS=all .venv/bin/pytest tests/faults -s --durations=0

stop:  ## stop the demo workers and the services
	bash scripts/stop.sh

reset:  ## stop everything and delete all local data
	bash scripts/reset.sh

backup:  ## back up the demo site (databases, uploads, config without secrets) into .stack/backups/
	bash scripts/backup.sh $(DIR)

restore:  ## restore BACKUP=<dir> into the (empty) demo site and rebuild the index
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=.stack/backups/<date-time>"; exit 2; }
	bash scripts/restore.sh "$(BACKUP)"

lint:  ## ruff and pyright
	.venv/bin/ruff check ckanext tests bench
	.venv/bin/ruff format --check ckanext tests bench
	.venv/bin/pyright

i18n:  ## re-extract messages into the .pot and merge them into the id/en catalogs
	.venv/bin/pybabel extract -F babel.cfg --sort-by-file --no-wrap --project ckanext-satudata \
		-o ckanext/satudata/i18n/ckanext-satudata.pot .
	.venv/bin/pybabel update -D ckanext-satudata -i ckanext/satudata/i18n/ckanext-satudata.pot \
		-d ckanext/satudata/i18n --no-wrap --ignore-obsolete --no-fuzzy-matching
	@echo "Now translate the empty msgstr in ckanext/satudata/i18n/id/LC_MESSAGES/ckanext-satudata.po"
	@echo "(tests/ui/test_i18n.py lists what is missing)"

venv:  ## the virtualenv with the pinned requirements and this package
	bash scripts/bootstrap.sh

bench: bench-validation bench-dukcapil bench-spreadsheet bench-planning bench-charts  ## every benchmark

bench-validation: venv  ## validation engine vs plain frictionless (100k-row CSV/XLSX, 1M-row CSV memory)
	.venv/bin/python bench/bench_validation.py

bench-spreadsheet: venv  ## harvest 200 generated OPD spreadsheets into the real stack, then re-run
	.venv/bin/python bench/bench_spreadsheet.py --ini "$$(bash scripts/bench-site.sh)"

bench-planning: venv  ## import, progress, export and page of a 1000-item Daftar Data on the real stack
	.venv/bin/python bench/bench_planning.py --ini "$$(bash scripts/bench-site.sh)"

bench-dukcapil: venv  ## national-scale Dukcapil semester through transform and checks
	.venv/bin/python bench/bench_dukcapil.py

bench-charts: venv  ## chart endpoint on a 100k-row DataStore table vs raw rows and ckanext-charts; Vega-Lite vs ECharts in Chromium
	.venv/bin/python bench/bench_charts.py --ini "$$(bash scripts/bench-site.sh)"
