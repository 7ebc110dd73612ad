# tests/cli/lib.sh - sourced by every tests/cli/test_*.sh: run ptbench as a
# user would and count results.  The script ends with `finish`, which prints
# "N passed, N failed" (what scripts/run-tests.sh adds up).
#
# $PTBENCH is the binary under test (scripts/run-tests.sh sets the plain or
# the ASan+UBSan build); $TMP is a scratch directory removed at exit.
set -u
: "${PTBENCH:=build/ptbench}"
DATA=tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cli_passed=0
cli_failed=0

pass() { cli_passed=$((cli_passed + 1)); echo "ok   $1"; }
fail() { cli_failed=$((cli_failed + 1)); echo "FAIL $1${2:+: $2}"; }

# ok NAME CMD...: CMD exits 0.
ok() {
	name=$1; shift
	if "$@" >"$TMP/out" 2>"$TMP/err"; then pass "$name"
	else fail "$name" "exit $?: $(head -c 300 "$TMP/err")"; fi
}

# fails NAME STATUS PATTERN CMD...: CMD exits STATUS with exactly one line on
# stderr that matches the extended regex PATTERN (and nothing on stderr else).
fails() {
	name=$1 want=$2 pat=$3; shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	lines=$(wc -l <"$TMP/err")
	if [ "$rc" -ne "$want" ]; then fail "$name" "exit $rc, wanted $want: $(head -c 300 "$TMP/err")"
	elif [ "$lines" -ne 1 ]; then fail "$name" "$lines lines on stderr: $(head -c 300 "$TMP/err")"
	elif ! grep -Eq -- "$pat" "$TMP/err"; then fail "$name" "stderr '$(cat "$TMP/err")' !~ /$pat/"
	else pass "$name"; fi
}

# quiet NAME CMD...: CMD exits 0 and writes nothing on stderr.
quiet() {
	name=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then fail "$name" "exit $rc: $(head -c 300 "$TMP/err")"
	elif [ -s "$TMP/err" ]; then fail "$name" "stderr: $(head -c 300 "$TMP/err")"
	else pass "$name"; fi
}

# same NAME FILE1 FILE2: byte-identical.
same() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$2 and $3 differ"; fi
}

# json_get FILE EXPR: a value out of a JSON file (python3 is a make deps package).
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"
}

# eq NAME GOT WANT
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', wanted '$3'"; fi
}

finish() {
	echo "$cli_passed passed, $cli_failed failed"
	[ "$cli_failed" -eq 0 ]
}

# plain_pass_only WHY: end the script at once in make test's ASan pass, saying WHY.
# For the guest tests: what they check is the real kernel against the model, and
# the ptbench oracle code they drive runs under ASan in test_oracle.sh already.
plain_pass_only() {
	[ "${PTB_TEST_BUILD:-}" = asan ] || return 0
	echo "plain pass only: $1"
	finish
	exit
}
