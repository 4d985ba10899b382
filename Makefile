# Pinshift — the two commands a newcomer needs:
#   make demo   set up everything, then run the app on the embedded default (desktop, or CLI without a display)
#   make test   set up everything, then run every check and test (what CI runs)
# Everything else here is a piece of those two.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# One target dir for every step, so the app build and the test build share work. CI points it outside
# the clone (see .ci/run).
export CARGO_TARGET_DIR ?= $(CURDIR)/target
# Which client drove which target operation (crates/sandbox/src/coverage.rs), for `make op-coverage`.
OP_LOG := $(CARGO_TARGET_DIR)/op-log
DESKTOP_FEATURES := --features custom-protocol
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: help demo test setup ui lint op-log-clean op-coverage test-rust test-boto3 test-ui test-browser test-desktop desktop bindings bench bench-audience bench-desktop drills

help:
	@echo "make demo    set up, then run Pinshift on a local sandbox (desktop app, or the CLI without a display)"
	@echo "make test    set up, then run all checks and tests (Rust, UI unit, browser, desktop)"
	@echo "make bindings   regenerate ui/src/lib/ipc/bindings.ts from the Rust types"

demo: setup
	scripts/demo.sh

test: setup lint op-log-clean test-rust test-boto3 op-coverage test-ui test-browser test-desktop
	@echo "All checks and tests passed."

setup:
	scripts/setup.sh

# The desktop crate embeds ui/dist at compile time, so the UI is built before any cargo step that
# compiles src-tauri.
ui:
	cd ui && npx vite build --logLevel warn

lint: ui
	cargo fmt --all --check
	@if cargo tree -p pinshift-core -e normal --prefix none | grep -qE '^(tauri|aws-sdk-)'; then \
	  echo "error: pinshift-core must depend on neither Tauri nor the AWS SDK (cargo tree -p pinshift-core)"; exit 1; fi
	cargo clippy --workspace --all-targets --features pinshift-desktop/custom-protocol --quiet -- -D warnings
	cd ui && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human
	cd ui && npx eslint . && npx prettier --check . --log-level warn

# Rust tests need a real Secret Service: a private D-Bus session with a throwaway gnome-keyring.
test-rust:
	PINSHIFT_SANDBOX_OP_LOG=$(OP_LOG) scripts/with-keychain.sh cargo nextest run --no-fail-fast

# The sandbox against boto3, the independent second client (a virtualenv outside the clone).
test-boto3:
	PINSHIFT_SANDBOX_OP_LOG=$(OP_LOG) scripts/test-boto3.sh

# Every target operation the sandbox implements was answered successfully to both the Rust SDK and boto3
# in the two suites above.
op-log-clean:
	rm -rf $(OP_LOG)

op-coverage:
	python3 scripts/op-coverage.py $(OP_LOG) --check

test-ui:
	cd ui && npx vitest run

# The one fake back end (ui/src/lib/testing/fake-pinshift.ts) bundled for the browser tests to inject.
test-browser: ui
	cd ui && npx rolldown src/lib/testing/browser-fake.ts --format iife --platform browser --file dist-test/fake-ipc.js > /dev/null
	node --test --test-timeout=120000 tests/browser/

desktop: ui
	cargo build -p pinshift-desktop $(DESKTOP_FEATURES)

test-desktop: desktop
	PINSHIFT_DESKTOP_BINARY=$(CARGO_TARGET_DIR)/debug/pinshift-desktop \
	  $(XVFB) scripts/with-keychain.sh node --test --test-timeout=300000 tests/desktop/

# The migration kill -9 drill at 20 points (3 in `make test`), with its figures.
drills:
	PINSHIFT_DRILL_POINTS=20 scripts/with-keychain.sh cargo nextest run -p pinshift-cli --test cli \
	  a_run_killed_at_any_point --no-capture
	PINSHIFT_DEMO_AUDIENCE=all scripts/with-keychain.sh cargo nextest run -p pinshift-cli --test cli \
	  every_demo_client_is_loaded --no-capture

# Benchmarks print figures; they assert nothing and are not part of `make test`.
bench:
	cargo bench -p pinshift-sandbox --bench throughput

# The audience transform at 1M and 10M endpoints beside a plain Python transform (figures only).
bench-audience:
	cargo bench -p pinshift-core --bench audience

# How long the desktop's UI thread is blocked while edits run at 300 clients, in the real app.
BENCH_ENGAGEMENT := $(CARGO_TARGET_DIR)/bench-300.pinshift
bench-desktop: desktop
	PINSHIFT_BENCH_ENGAGEMENT=$(BENCH_ENGAGEMENT) cargo bench -p pinshift-core --bench edit
	PINSHIFT_DESKTOP_BINARY=$(CARGO_TARGET_DIR)/debug/pinshift-desktop PINSHIFT_BENCH_ENGAGEMENT=$(BENCH_ENGAGEMENT) \
	  $(XVFB) scripts/with-keychain.sh node tests/desktop/bench-edit.mjs

bindings:
	UPDATE_BINDINGS=1 cargo test -p pinshift-core --test core --quiet bindings
	@echo "rewrote ui/src/lib/ipc/bindings.ts"
