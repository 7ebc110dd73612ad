// SPDX-License-Identifier: GPL-2.0
/*
 * bench_mm.c - what the simulated machine costs: host memory of the default
 * machine's boot image and of a machine started from it, and the time of an order-0 alloc/free pair (the replay makes
 * hundreds of millions).  A benchmark, not a test: it prints, it asserts nothing.
 */
#include <stdio.h>
#include <time.h>

#include "mm.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench_pairs(struct mm *mm, gfp_t gfp, unsigned int order, const char *what)
{
	const long nr_pairs = 20 * 1000 * 1000 >> order;
	unsigned int cpus = mm_nr_cpus(mm);
	double t0, t1;

	t0 = now_s();
	for (long i = 0; i < nr_pairs; i++) {
		int cpu = (int)(i % cpus);
		struct page *p = alloc_pages(mm, gfp, order, cpu, OWNER_TEST);

		free_pages(mm, p, order, cpu);
	}
	t1 = now_s();
	printf("%-40s %8.1f ns/pair  (%ld pairs)\n", what, (t1 - t0) * 1e9 / nr_pairs, nr_pairs);
}

int main(void)
{
	struct mm_cfg cfg;
	char err[256];
	struct mm_boot *boot;
	struct mm *mm;
	double t0 = now_s(), t1;

	mm_cfg_default(&cfg);
	boot = mm_boot(&cfg, err, sizeof(err));
	t1 = now_s();
	mm = boot ? mm_start(boot, err, sizeof(err)) : NULL;
	if (!mm) {
		fprintf(stderr, "bench_mm: %s\n", err);
		return 1;
	}
	printf("machine %s, kernel %s, %u CPUs: booted in %.0f ms, boot image %.1f MiB of host memory;\n"
	       "  a machine started from it in %.2f ms, %.2f MiB of its own\n",
	       cfg.layout.name, kver_name(cfg.kernel), cfg.nr_cpus, (t1 - t0) * 1e3,
	       (double)mm_boot_host_bytes(boot) / (double)MIB_BYTES, (now_s() - t1) * 1e3,
	       (double)mm_host_bytes(mm) / (double)MIB_BYTES);
	bench_pairs(mm, GFP_ATOMIC | GFP_DMA32, 0, "order-0 GFP_ATOMIC|GFP_DMA32 (pcp)");
	bench_pairs(mm, GFP_KERNEL, 0, "order-0 GFP_KERNEL (pcp)");
	bench_pairs(mm, GFP_ATOMIC | GFP_DMA32 | __GFP_COMP, 2, "order-2 GFP_ATOMIC|GFP_DMA32 (buddy)");
	bench_pairs(mm, GFP_ATOMIC | GFP_DMA32 | __GFP_COMP, 3, "order-3 GFP_ATOMIC|GFP_DMA32 (buddy)");
	printf("  after them it holds %.2f MiB of its own\n", (double)mm_host_bytes(mm) / (double)MIB_BYTES);
	mm_destroy(mm);
	mm_boot_put(boot);
	return 0;
}
