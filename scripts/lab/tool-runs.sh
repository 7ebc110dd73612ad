# scripts/lab/tool-runs.sh - sourced by kernel-suite.sh (and tests/cli/test_lab_tools.sh):
# does a packaged kernel build tool start on this host?  objtool_runs reads $kbuild (the
# unpacked linux-kbuild-VERSION tree).
# runs TOOL: it starts on this host.  Not 126/127, and no loader refusal: a binary built
# against a newer glibc (trixie's and unstable's 2.38 on Debian 12's 2.36) exits 1 with
# "version `GLIBC_2.38' not found", as a usage error would; bullseye's 5.10 tools, built
# against glibc 2.31, start as they are.
runs() {
	err=$("$1" -h 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -ne 126 ] && [ "$rc" -ne 127 ] || return 1
	case $err in *"version \`GLIBC_"* | *"error while loading shared libraries"*) return 1 ;; esac
}
# objtool_runs: kbuild's objtool and, where that is Debian's wrapper, the objtool.real-ARCH
# binaries it execs (the wrapper itself starts anywhere)
objtool_runs() {
	for t in "$kbuild"/tools/objtool/objtool "$kbuild"/tools/objtool/objtool.real-*; do
		[ -e "$t" ] || continue
		runs "$t" || return 1
	done
}
