# The two commands a newcomer needs: `make run` and `make test`.
# Both install what is missing first (scripts/setup.sh).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: run test setup lint unit e2e bench package package-check

setup:
	@bash scripts/setup.sh

## the till: the desktop window, with the local API server on 127.0.0.1:8787
run: setup
	$(CARGO) run --release -p kasir-desktop

## everything CI checks
test: setup lint unit e2e

## bare-window only adds the example the memory benchmark compares against, so it is linted too
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --features kasir-desktop/bare-window -- -D warnings

unit:
	$(CARGO) test --workspace --all-targets
	node --test ui/test/

## the real till window under Xvfb, driven by tauri-driver; screenshots in target/e2e/.
## It uses the debug binary `unit` built (same features: no second build).
e2e: setup
	$(CARGO) test --workspace --all-targets --no-run
	xvfb-run -a -s "-screen 0 1280x800x24" node scripts/e2e-till.mjs

bench: setup
	$(CARGO) bench --workspace

## the till's Debian package (docs/PACKAGING.md): prints its path,
## target/release/bundle/deb/kasir_<version>_<arch>.deb (under CARGO_TARGET_DIR if set)
package:
	@bash scripts/setup.sh package
	@bash scripts/package.sh

## CI, after `make test`: build the package, install it, run `kasir --version`,
## start the installed till under Xvfb until its API answers, remove it
package-check:
	@bash scripts/setup.sh package
	bash scripts/package-check.sh
