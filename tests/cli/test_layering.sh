#!/bin/sh
# tests/cli/test_layering.sh - the shape of the code, checked from what was built:
#
# 1. allocators/mm/ is layered (its README draws it): mm_init.c above the
#    allocator, the helpers below it, and the one circle the kernel has too,
#    page_alloc <-> reclaim (mm/page_alloc.c <-> mm/vmscan.c).  Read twice:
#    who calls whom, from `nm` on the objects of $PTBENCH's build (an undefined
#    symbol of one object resolved to the defined symbols of another), and who
#    includes whom, from the #include lines.  Every cycle of either graph is
#    listed; any but page_alloc <-> reclaim fails.  The finder is shown a
#    planted back-call first, so a finder that sees nothing cannot pass.
# 2. No C file outside workloads/recorder/ and tests/ is over 600 lines: a
#    file that long holds more than one noun.
. tests/cli/lib.sh

MM=allocators/mm
OBJ=$(dirname "$PTBENCH")/$MM	# build/allocators/mm or build/asan/allocators/mm
ALLOWED="page_alloc -> reclaim -> page_alloc"
MAX_LINES=600

# cycles < EDGES: every elementary cycle of the graph "FROM TO" per line, one a
# line, as "a -> b -> a" starting at its smallest name.
cycles() {
	python3 -c '
import sys
adj = {}
for line in sys.stdin:
    a, b = line.split()
    adj.setdefault(a, set()).add(b)
    adj.setdefault(b, set())
def walk(start, v, path):
    for w in sorted(adj[v]):
        if w == start:
            print(" -> ".join(path + [start]))
        elif w > start and w not in path:
            walk(start, w, path + [w])
for s in sorted(adj):
    walk(s, s, [s])
'
}

# check_cycles NAME EDGES_FILE: no cycle but $ALLOWED.
check_cycles() {
	cycles <"$2" >"$TMP/cycles"
	bad=$(grep -vxF "$ALLOWED" "$TMP/cycles" | tr '\n' ';')
	if [ -z "$bad" ]; then pass "$1: no cycle but $ALLOWED"
	else fail "$1: no cycle but $ALLOWED" "$bad"; fi
}

# -- the call graph, from the objects ------------------------------------------
: >"$TMP/syms"
missing=
for c in $MM/*.c; do
	m=$(basename "$c" .c)
	o=$OBJ/$m.o
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ]; then missing="$missing $o"; continue; fi
	nm -g -P --defined-only "$o" | awk -v m="$m" '{ print m, "D", $1 }' >>"$TMP/syms"
	nm -u -P "$o" | awk -v m="$m" '{ print m, "U", $1 }' >>"$TMP/syms"
done
if [ -n "$missing" ]; then fail "objects of $MM built" "missing or older than the source:$missing"
else pass "objects of $MM built"; fi

# edges < SYMS: "FROM TO" for every symbol FROM uses and TO defines.
edges() {
	awk '$2 == "D" { def[$3] = $1; next }
	     $2 == "U" { use[NR] = $1 " " $3 }
	     END { for (i in use) { split(use[i], f, " ");
	                            if ((f[2] in def) && def[f[2]] != f[1]) print f[1], def[f[2]] } }' | sort -u
}
edges <"$TMP/syms" >"$TMP/calls"

# The graph is really read: the allocator's own calls are in it.
for e in "page_alloc buddy" "page_alloc reclaim" "reclaim page_alloc" "mm_init page_alloc"; do
	if grep -qxF "$e" "$TMP/calls"; then pass "call graph has $e"
	else fail "call graph has $e" "$(tr '\n' ';' <"$TMP/calls")"; fi
done

# The finder finds a back-call: buddy.c calling alloc_pages closes buddy -> page_alloc -> buddy.
{ cat "$TMP/syms"; echo "buddy U alloc_pages"; } | edges | cycles >"$TMP/planted"
if grep -qxF "buddy -> page_alloc -> buddy" "$TMP/planted"; then pass "a planted back-call is a cycle"
else fail "a planted back-call is a cycle" "$(tr '\n' ';' <"$TMP/planted")"; fi

check_cycles "calls in $MM" "$TMP/calls"

# mm_init is above everything: nothing in allocators/mm calls it.
callers=$(awk '$2 == "mm_init" { print $1 }' "$TMP/calls" | tr '\n' ' ')
eq "nothing in $MM calls mm_init" "$callers" ""

# -- the include graph, from the sources ---------------------------------------
# FROM is a file's stem (page_alloc.c and page_alloc.h are one node), TO the
# stem of an allocators/mm header it includes.
for f in $MM/*.c $MM/*.h; do
	from=$(basename "$f"); from=${from%.*}
	sed -n 's/^#include "\([^"]*\)\.h".*/\1/p' "$f" | while read -r to; do
		[ -f "$MM/$to.h" ] && [ "$to" != "$from" ] && echo "$from $to"
	done
done | sort -u >"$TMP/includes"
if grep -qxF "page_alloc reclaim" "$TMP/includes"; then pass "include graph has page_alloc reclaim"
else fail "include graph has page_alloc reclaim" "$(tr '\n' ';' <"$TMP/includes")"; fi
check_cycles "includes in $MM" "$TMP/includes"

# -- file length ----------------------------------------------------------------
long=$(find . -path ./build -prune -o -path ./.git -prune -o -path ./tests -prune \
	-o -path ./workloads/recorder -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print |
	sort | xargs wc -l | awk -v max=$MAX_LINES '$2 != "total" && $1 > max { printf "%s %s; ", $2, $1 }')
eq "no C file outside tests/ and workloads/recorder/ over $MAX_LINES lines" "$long" ""

# make test runs each tests/cli/test_*.sh as a program: one without its x bit fails
# there with exit 126 (three did, added as 644)
not_x=$(for f in tests/cli/test_*.sh; do [ -x "$f" ] || printf '%s ' "$f"; done)
eq "every tests/cli/test_*.sh is executable" "$not_x" ""

finish
