// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - `ptbench list backends|memories|kernels|pressures|workloads|geometries`:
 * names, one per line.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kernel.h"
#include "mm.h"
#include "options.h"
#include "pressure.h"
#include "pt_alloc.h"
#include "synth/synth.h"
#include "v7s.h"

static const struct opt opt_verbose = {
	"v", NULL, OPT_SET, OPT_BASE_CMD, 0, .help = "add a description to each name",
};
/*
 * The page-table geometries of mtk_iommu's configurations (6.1 rules,
 * v7s_cfg_mtk_ext): what every worst-case bound of the report is computed
 * from (scripts/bench/bounds.py reads `list -v geometries`).
 */
static const struct geometry {
	const char *name;
	unsigned int ias;
	bool ttbr_ext;
} geometries[] = {
	{ "ias32", 32, false },			/* MT8173, MT8183, ...: 4 GiB of IOVA */
	{ "ias34", 34, false },			/* IOVA_34_EN: MT8186, MT8192, MT8195 */
	{ "ias32-ttbr-ext", 32, true },		/* PGTABLE_PA_35_EN: MT6779 */
	{ "ias34-ttbr-ext", 34, true },		/* both: MT8188 multimedia */
};

static void list_geometries(bool verbose)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(geometries); i++) {
		const struct geometry *g = &geometries[i];
		struct v7s_cfg c;

		printf(verbose ? "%-15s" : "%s\n", g->name);
		if (!verbose)
			continue;
		v7s_cfg_for(&c, KVER_6_1, V7S_QUIRK_ARM_NS | V7S_QUIRK_NO_PERMS);
		PTB_BUG_ON(v7s_cfg_mtk_ext(&c, KVER_6_1, g->ias, g->ttbr_ext));
		/* one L2 table at most per L1 slot: the most live tables a page table can have */
		printf(" ias %u oas %u ttbr_ext %d l1_entries %u l1_order %u l1_bytes %u"
		       " max_l2_tables %u l2_table_bytes %u iova_bytes %llu table_phys_limit %llu\n",
		       v7s_ias(&c), v7s_oas(&c), g->ttbr_ext, v7s_l1_ptes(&c), v7s_l1_order(&c),
		       v7s_l1_ptes(&c) * 4u, v7s_l1_ptes(&c), V7S_L2_TABLE_BYTES,
		       1ull << v7s_ias(&c), (unsigned long long)v7s_table_phys_limit(&c));
	}
}

static const struct opt_use list_table[] = {
	{ &opt_verbose, NULL },
};

static const struct opt_cmd list_options = {
	.name = "list",
	.usage = "usage: ptbench list [-v] backends|memories|kernels|pressures|workloads|geometries\n"
		 "\n"
		 "Prints the names ptbench accepts, one per line.\n"
		 "\n",
	.tail = "\n"
		"Examples:\n"
		"  ptbench list backends\n"
		"  ptbench list -v memories\n"
		"  ptbench list -v kernels       (the io-pgtable-arm-v7s rules of each)\n"
		"  ptbench list -v pressures     (each scenario's keys and defaults)\n"
		"  ptbench list workloads        (for ptbench synth)\n"
		"  ptbench list -v geometries    (page-table sizes of replay --ias / --ttbr-ext)\n",
	.table = list_table,
	.nr = ARRAY_SIZE(list_table),
	.operand = "list",
	.max_operands = 1,
};

int cmd_list(int argc, char **argv)
{
	bool verbose = false;
	const char *what = NULL;
	unsigned int nr;
	int ret;

	ret = opt_parse(&list_options, argc, argv, (void *[]){ NULL, &verbose }, &what, &nr);
	if (ret)
		return ret == OPT_HELP ? 0 : 1;
	if (!what)
		return cli_error("list: expected one of backends, memories, kernels, pressures, workloads, geometries (see ptbench list --help)");
	if (!strcmp(what, "backends")) {
		for (int id = 0; id < PT_BACKEND_NR; id++) {
			const struct pt_backend *b = pt_backend_get(id);

			printf(verbose ? "%-18s %s\n" : "%s\n", pt_backend_name(b), b->what);
		}
		/* aliases run as their backend: named only where they are explained */
		for (unsigned int i = 0; verbose && i < PT_BACKEND_ALIAS_NR; i++)
			printf("%-18s alias of %s: %s\n", pt_backend_aliases[i].name,
			       pt_backend_names[pt_backend_aliases[i].id].name, pt_backend_aliases[i].why);
	} else if (!strcmp(what, "memories")) {
		const struct memory_layout *l;

		for (unsigned int n = 0; (l = memory_layout_get(n)); n++)
			printf(verbose ? "%-12s %s\n" : "%s\n", l->name, l->what);
	} else if (!strcmp(what, "kernels")) {
		for (int k = 0; k < KVER_NR; k++) {
			struct v7s_cfg c;

			printf(verbose ? "%-5s" : "%s\n", kver_name(k));
			if (!verbose)
				continue;
			/* the rules ptb_oracle.ko prints for 6.1 as its result's v7s_* keys */
			v7s_cfg_for(&c, k, 0);
			printf(" v7s_pgsize_bitmap %u v7s_l2_caller_gfp %d v7s_split %d v7s_warn_table_phys %d\n",
			       c.pgsize_bitmap, c.l2_caller_gfp, c.split, c.warn_table_phys);
		}
	} else if (!strcmp(what, "pressures")) {
		pressure_list(stdout, verbose);
	} else if (!strcmp(what, "workloads")) {
		const struct synth_workload *w;

		for (unsigned int n = 0; (w = synth_workload_get(n)); n++)
			printf(verbose ? "%-12s %s\n" : "%s\n", w->name, w->what);
	} else if (!strcmp(what, "geometries")) {
		list_geometries(verbose);
	} else {
		return cli_error("list: unknown list '%s' (backends, memories, kernels, pressures, workloads, geometries)", what);
	}
	return 0;
}
