# The two commands a newcomer needs: `make run` and `make test`.
# Both install what is missing first (scripts/setup.sh).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: run test setup lint unit bench

setup:
	@bash scripts/setup.sh

## the till: until the desktop shell lands, the local API server on 127.0.0.1:8787
run: setup
	$(CARGO) run --release --bin kasir -- serve

## everything CI checks
test: setup lint unit

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

unit:
	$(CARGO) test --workspace --all-targets

bench: setup
	$(CARGO) bench --workspace
