#!/bin/sh
# tests/fuzz/smoke.sh - `make test`'s fuzz-smoke step: every prebuilt fuzz
# target for FUZZ_SMOKE_SECONDS (default 10) on its seed corpus, FUZZ_JOBS
# (default 2) at a time; "N passed, N failed" for scripts/run-tests.sh.
# It sits outside tests/cli/ because those scripts run twice (plain and ASan
# ptbench) and the fuzzers are sanitized already.
exec tests/fuzz/run.sh --smoke "${FUZZ_SMOKE_SECONDS:-10}" "${FUZZ_JOBS:-2}" build/fuzz/fuzz_*
