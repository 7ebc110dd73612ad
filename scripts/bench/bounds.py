#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bounds.py - the worst-case bounds REPORT.md states, for every page-table configuration
of mtk_iommu: 32-bit IOVA (MT8173 and the like) and 34-bit IOVA (IOVA_34_EN), each with and
without IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT.

The geometry comes from the rules ptbench and ptb_oracle.ko share (iommu/v7s_rules.c), as
`ptbench list -v geometries` prints them: L1 entries and bytes, the most L2 tables a page
table can have (one per L1 slot), where tables may lie.  The bounds follow from it:

  live tables, at most     max_l2_tables x 1 KiB
  page_frag, at most       max_l2_tables refill pages (workloads/synth/README.md, "The
                           bound": every live table pins at most one page, and the page
                           being carved is the only one more): x 4 KiB with order-0
                           refills, x PAGE_FRAG_CACHE_MAX_SIZE (32 KiB, order 3) otherwise
  genalloc-4m's pool       GENALLOC_POOL_BYTES / 1 KiB tables: the share of max_l2_tables
                           it covers
  tables' placement        below table_phys_limit: 4 GiB, 32 GiB (1 << oas) with TTBR_EXT

usage: bounds.py [--json]   (prints them; PTBENCH names the binary, default build/ptbench)
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE_BYTES = 4096			# arm64 4 KiB pages: page_frag's order-0 refill
PAGE_FRAG_CACHE_MAX_SIZE = 32768	# mm/page_alloc.c (6.1): its order-3 refill
GENALLOC_POOL_BYTES = 4 << 20		# genalloc-4m's default pool (replay --genalloc-pool)
INTS = ("ias", "oas", "ttbr_ext", "l1_entries", "l1_order", "l1_bytes", "max_l2_tables",
        "l2_table_bytes", "iova_bytes", "table_phys_limit")


def geometries(ptb=None):
    """{name: {key: int}} from `ptbench list -v geometries`, in its order."""
    ptb = ptb or os.environ.get("PTBENCH", os.path.join(ROOT, "build", "ptbench"))
    out = subprocess.run([ptb, "list", "-v", "geometries"], check=True, capture_output=True,
                         text=True).stdout
    geo = {}
    for line in out.splitlines():
        f = line.split()
        if not f:
            continue
        kv = dict(zip(f[1::2], f[2::2]))
        missing = [k for k in INTS if k not in kv]
        if missing:
            raise ValueError("ptbench list -v geometries: %s: no %s" % (f[0], ", ".join(missing)))
        geo[f[0]] = {k: int(kv[k]) for k in INTS}
    return geo


def bounds(g):
    """The worst-case numbers of one geometry (a value of geometries())."""
    tables = g["max_l2_tables"]
    pool_tables = GENALLOC_POOL_BYTES // g["l2_table_bytes"]
    return {
        "iova_bytes": g["iova_bytes"],
        "l1_bytes": g["l1_bytes"],
        "max_l2_tables": tables,
        "max_live_table_bytes": tables * g["l2_table_bytes"],
        "page_frag_order0_bytes": tables * PAGE_BYTES,
        "page_frag_order3_bytes": tables * PAGE_FRAG_CACHE_MAX_SIZE,
        "genalloc_pool_tables": pool_tables,
        "genalloc_pool_share": min(1.0, pool_tables / tables),
        "table_phys_limit": g["table_phys_limit"],
        "ttbr_ext": g["ttbr_ext"],
    }


def all_bounds(ptb=None):
    return {name: bounds(g) for name, g in geometries(ptb).items()}


if __name__ == "__main__":
    b = all_bounds()
    if "--json" in sys.argv[1:]:
        print(json.dumps(b, indent=1, sort_keys=True))
    else:
        for name, v in b.items():
            print(name, " ".join("%s %s" % kv for kv in v.items()))
