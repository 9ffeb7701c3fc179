# Conveniences; the README's two commands are ./scripts/demo and ./scripts/test.
.PHONY: setup demo test bench screenshots
setup:
	./scripts/setup.sh
demo:
	./scripts/demo
test:
	./scripts/test
bench: setup
	.venv/bin/python -m pip install -q -e ".[bench]"
	.venv/bin/python -m bench
screenshots: setup
	.venv/bin/python scripts/screenshots.py
