#!/usr/bin/env python3
"""tests/cli/schema.py - check ptbench's JSON and CSV output against docs/schema.md.

  schema.py number                     the schema number docs/schema.md states
  schema.py json replay|oracle|stat FILE...
  schema.py csv  replay|oracle HEADER_FILE
  schema.py columns runs               scripts/bench/bench.py's COLUMNS

Each check prints one line per problem and exits 1 if there was any.  json:
every key path of the FILEs (merged) must be a row of the document's table,
with a value of the row's type; every row the document has must occur in
some FILE.  csv/columns: the header, in order, is the table's first column.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.environ.get("SCHEMA_MD", os.path.join(ROOT, "docs", "schema.md"))

SECTIONS = {  # check -> the "## " heading of its table in schema.md
    "replay": "replay and oracle JSON", "oracle": "replay and oracle JSON",
    "stat": "stat JSON", "csv-replay": "replay CSV", "csv-oracle": "oracle CSV",
    "runs": "results/runs.csv",
}
PLACEHOLDERS = {"<zone>": "(DMA|DMA32|Normal)", "<event>": "[^.]+"}
TYPES = {"int": int, "real": float, "string": str, "bool": bool, "null": type(None),
         "array": list}


def section_rows(heading):
    """The table rows (lists of cells, code quotes removed) under '## heading'."""
    text = open(DOC).read()
    parts = re.split(r"^## ", text, flags=re.M)
    body = [p for p in parts if p.split("\n", 1)[0].strip() == heading]
    if len(body) != 1:
        sys.exit("schema.py: %s: no single section '## %s'" % (DOC, heading))
    rows = []
    for line in body[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if not line.startswith("| `"):
            continue
        rows.append([c.strip("`").replace("\\|", "|") for c in cells])
    return rows


def schema_number():
    m = re.search(r'"schema": (\d+)', open(DOC).read())
    if not m:
        sys.exit("schema.py: %s states no \"schema\": N" % DOC)
    return int(m.group(1))


def paths(value, path, out):
    """Every key path of value, with the Python types seen there."""
    if isinstance(value, dict):
        for k, v in value.items():
            paths(v, path + "." + k if path else k, out)
    elif isinstance(value, list):
        p = path + "[]"
        if not value or any(isinstance(v, (dict, list)) for v in value):
            out.setdefault(p, set()).add(list)
            for v in value:
                paths(v, p, out)
        else:
            for v in value:
                out.setdefault(p, set()).add(type(v))
    else:
        out.setdefault(path, set()).add(type(value))


def pattern(path):
    rx = re.escape(path)
    for ph, sub in PLACEHOLDERS.items():
        rx = rx.replace(re.escape(ph), sub)
    return re.compile(rx + r"\Z")


def check_json(doc, files):
    rows = section_rows(SECTIONS[doc])
    if doc == "stat":
        wanted = {r[0]: r[1] for r in rows}
    else:
        col = 3 if doc == "replay" else 4
        wanted = {r[0]: r[1] for r in rows if r[col] != "no"}
        # null where the engine cannot measure it, and a condition ("slab-dma32",
        # "page-frag") for a value written only in that backend's run: null in
        # the others' (one writer writes every key for every run)
        for r in rows:
            if r[0] in wanted and r[col] != "yes":
                wanted[r[0]] += "|null"
    seen = {}
    for f in files:
        d = json.load(open(f))
        paths(d, "", seen)
    problems = []
    pats = [(pattern(p), p) for p in wanted]
    matched = set()
    for path, types in sorted(seen.items()):
        rows_here = [p for rx, p in pats if rx.match(path)]
        if not rows_here and types == {type(None)}:
            # an array written as null is documented as its elements' row
            rows_here = [p for rx, p in pats if rx.match(path + "[]")]
        if not rows_here:
            problems.append("%s: key path not in docs/schema.md (%s)" % (path, SECTIONS[doc]))
            continue
        matched.update(rows_here)
        allowed = set()
        for t in wanted[rows_here[0]].split("|"):
            if t not in TYPES:
                problems.append("docs/schema.md: %s: unknown type '%s'" % (rows_here[0], t))
            else:
                allowed.add(TYPES[t])
        for t in types:
            if t not in allowed:
                problems.append("%s: a %s, docs/schema.md says %s" %
                                (path, t.__name__, wanted[rows_here[0]]))
    for p in wanted:
        if p not in matched:
            problems.append("%s: in docs/schema.md (%s), not in the output" % (p, SECTIONS[doc]))
    return problems


def check_columns(section, header):
    want = [r[0] for r in section_rows(section)]
    if header != want:
        return ["%s: header %s, docs/schema.md lists %s" % (section, ",".join(header), ",".join(want))]
    return []


def main(argv):
    if argv[:1] == ["number"]:
        print(schema_number())
        return 0
    if len(argv) >= 3 and argv[0] == "json" and argv[1] in ("replay", "oracle", "stat"):
        problems = check_json(argv[1], argv[2:])
    elif len(argv) == 3 and argv[0] == "csv" and argv[1] in ("replay", "oracle"):
        with open(argv[2]) as f:
            header = f.readline().rstrip("\n").split(",")
        problems = check_columns(SECTIONS["csv-" + argv[1]], header)
    elif argv == ["columns", "runs"]:
        sys.path.insert(0, os.path.join(ROOT, "scripts", "bench"))
        import bench
        problems = check_columns(SECTIONS["runs"], list(bench.COLUMNS))
    else:
        sys.exit(__doc__)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
