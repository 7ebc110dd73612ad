#!/bin/sh
# tests/cli/test_docs.sh - the documents live in the repository: docs/README.md and the
# top README list every docs/*.md, every docs/ file a tracked file names exists, the
# report generator and REPORT.md cite docs/claims.md, and nothing points outside the
# repository to the notes the documents came from.
. tests/cli/lib.sh

# Text files of the tree, build outputs and git's own files aside.
files() {
	find . -path ./build -prune -o -path ./.git -prune -o -type f \
		\( -name '*.md' -o -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \
		-o -name '*.gp' -o -name Makefile -o -name 'Kbuild*' \) -print
}

outside=$(printf '%s' '\.\./shared|shared/(design|seeds)|/work/')
found=$(files | xargs grep -l -E "$outside" 2>/dev/null | grep -v '^./tests/cli/test_docs.sh$')
eq "no file points outside the repository for its documents" "$found" ""

for d in docs/*.md; do
	name=${d#docs/}
	[ "$name" = README.md ] && continue
	grep -q "^  $name " docs/README.md && pass "docs/README.md lists $name" ||
		fail "docs/README.md lists $name" "no line '  $name ...'"
	grep -q "]($d)" README.md && pass "README.md links $d" || fail "README.md links $d" "no ]($d)"
done

missing=
for ref in $(files | xargs grep -h -o -E 'docs/[a-z-]+\.md' 2>/dev/null | sort -u); do
	[ -f "$ref" ] || missing="$missing $ref"
done
eq "every docs/ file named in the tree exists" "$missing" ""

for f in scripts/bench/report.py REPORT.md; do
	grep -q 'docs/claims.md' "$f" && pass "$f cites docs/claims.md" ||
		fail "$f cites docs/claims.md" "no docs/claims.md in it"
done
eq "docs/claims.md: one section per REPORT.md claim" \
	"$(grep -c '^## Claim [1-6]:' docs/claims.md)" "$(grep -c '^## Claim [1-6]:' REPORT.md)"

finish
