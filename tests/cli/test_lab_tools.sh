#!/bin/sh
# tests/cli/test_lab_tools.sh - scripts/lab/tool-runs.sh, which decides whether
# kernel-suite.sh keeps a lab kernel's packaged modpost/objtool or rebuilds them: a tool
# the loader refuses (built against a newer glibc: exit 1 and "version `GLIBC_2.38' not
# found", the failure .ci/run's fresh root met with 6.12 and 7.2), one missing or not
# executable, one whose shared library is missing, do not run; a usage error does; an
# objtool wrapper runs only if the objtool.real-ARCH it execs does.
. tests/cli/lib.sh
. scripts/lab/tool-runs.sh

tool() {	# tool NAME EXIT MESSAGE: a stand-in binary that prints MESSAGE as it is
	printf '%s\n' "$3" >"$TMP/$1.msg"
	printf '#!/bin/sh\ncat "%s" >&2\nexit %s\n' "$TMP/$1.msg" "$2" >"$TMP/$1"
	chmod +x "$TMP/$1"
}
says() { if runs "$TMP/$1"; then echo runs; else echo refused; fi; }

tool usage 1 "modpost: invalid option -- 'h'"
tool glibc 1 "$TMP/glibc: /lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.38' not found (required by $TMP/glibc)"
tool nolib 127 "$TMP/nolib: error while loading shared libraries: libelf.so.9: cannot open shared object file"
tool fine 0 ""
printf '#!/bin/sh\nexit 0\n' >"$TMP/noexec"

eq "a usage error (exit 1) runs" "$(says usage)" runs
eq "exit 0 runs" "$(says fine)" runs
eq "a glibc version refusal (exit 1) does not run" "$(says glibc)" refused
eq "a missing shared library does not run" "$(says nolib)" refused
eq "a tool that is not there does not run" "$(says absent)" refused
eq "a tool that is not executable does not run" "$(says noexec)" refused

kbuild=$TMP/kbuild
mkdir -p "$kbuild/tools/objtool"
cp "$TMP/usage" "$kbuild/tools/objtool/objtool"
cp "$TMP/usage" "$kbuild/tools/objtool/objtool.real-powerpc"
cp "$TMP/usage" "$kbuild/tools/objtool/objtool.real-x86"
eq "objtool: wrapper and real binaries all start" "$(objtool_runs && echo runs || echo refused)" runs
cp "$TMP/glibc" "$kbuild/tools/objtool/objtool.real-x86"
eq "objtool: the wrapper starts, objtool.real-x86 does not" "$(objtool_runs && echo runs || echo refused)" refused
rm -r "$kbuild/tools/objtool"
eq "no objtool at all (arm64's kbuild may have none): nothing to refuse" \
	"$(objtool_runs && echo runs || echo refused)" runs
finish
