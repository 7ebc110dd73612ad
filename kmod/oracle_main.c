// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_main.c - ptb_oracle: replay a .ptb trace through the SHARED v7s
 * model (iommu/v7s.c + iommu/iommu.c, compiled in unchanged) with L2
 * tables from the running kernel's real allocators (oracle_backends.c,
 * oracle_alloc.c).  The run itself is struct oracle_run (oracle_run.h).
 *
 * Use (the guest script kmod/guest.sh does this):
 *   insmod ptb_oracle.ko backend=slab-dma32 [interval_ns=N] ...
 *   cat trace.ptb > /sys/kernel/debug/ptb_oracle/trace
 *   echo 1 > /sys/kernel/debug/ptb_oracle/run      (fails with -EINVAL on a bad trace,
 *                                                  the reason in .../error)
 *   cat /sys/kernel/debug/ptb_oracle/result
 *   rmmod ptb_oracle
 *
 * Each event runs on CPU (trace cpu % online CPUs), in the replay kthread
 * bound there; with an atomic L2 gfp (GFP_ATOMIC: dma-iommu's streaming
 * maps, 5.17 .. 6.13) preemption is off around it, as in the kernel's
 * atomic map path.  Sampling follows harness/metrics.c (oracle_metrics.c,
 * which also writes the result file): one row at the end of every
 * interval_ns of trace time that had events, one at the end.
 * After the replay every table, every L1, the backend itself are given
 * back, and the kernel's own books are checked to hold nothing of ours.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "iommu.h"
#include "oracle.h"
#include "oracle_run.h"
#include "ptb.h"

static char *backend = "slab-dma32";
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "a backend ptbench lists with a kernel twin (allocators/pt_backends.c)");
static unsigned long interval_ns = 1000000000ul;
module_param(interval_ns, ulong, 0444);
MODULE_PARM_DESC(interval_ns, "sample interval in trace time (ptbench --interval-ns)");
static bool per_domain = true;
module_param(per_domain, bool, 0444);
MODULE_PARM_DESC(per_domain, "one page table per trace domain id (ptbench default)");
static unsigned int gfp;
module_param(gfp, uint, 0444);
MODULE_PARM_DESC(gfp, "L2 gfp, ptbench numbering, for events without one (0: GFP_ATOMIC)");
static unsigned long l2_log_max;
module_param(l2_log_max, ulong, 0444);
MODULE_PARM_DESC(l2_log_max, "record up to this many L2 ops (alloc/fail/free, slot, cpu); 0: none");

static struct oracle_run *last_run;	/* under debugfs.lock */
static const struct oracle_backend *the_backend;

/* ---- env ops: the shared model's view of the real kernel ---- */

static int env_alloc_l2(void *ctx, uint32_t ptb_gfp, int cpu, uint64_t *phys)
{
	struct oracle_run *r = ctx;

	return oracle_table_alloc(&r->alloc, oracle_gfp_from_ptb(ptb_gfp), phys);
}

static void env_free_l2(void *ctx, uint64_t phys, int cpu)
{
	struct oracle_run *r = ctx;

	oracle_table_free(&r->alloc, phys);
}

/* __arm_v7s_alloc_table, lvl 1 (6.1): __get_free_pages(__GFP_ZERO | GFP_DMA32, 2) */
static int env_alloc_l1(void *ctx, uint64_t *phys)
{
	unsigned long va = __get_free_pages(__GFP_ZERO | GFP_DMA32, V7S_L1_ORDER);

	if (!va)
		return -ENOMEM;
	*phys = virt_to_phys((void *)va);
	return 0;
}

static void env_free_l1(void *ctx, uint64_t phys)
{
	free_pages((unsigned long)phys_to_virt(phys), V7S_L1_ORDER);
}

/* The model reads only tables it installed; anything else reads as no memory. */
static uint32_t env_read_pte(void *ctx, uint64_t phys)
{
	if (!pfn_valid(PHYS_PFN(phys)))
		return 0;
	return READ_ONCE(*(u32 *)phys_to_virt(phys));
}

static void env_write_pte(void *ctx, uint64_t phys, uint32_t pte)
{
	WRITE_ONCE(*(u32 *)phys_to_virt(phys), pte);
}

static void env_l2_op(void *ctx, int op, unsigned int slot, int cpu)
{
	struct oracle_run *r = ctx;

	if (!r->l2)
		return;
	if (r->nr_l2 == l2_log_max) {
		r->l2_dropped++;
		return;
	}
	r->l2[r->nr_l2++] = (struct oracle_l2_op){
		.event = r->cur_event, .slot = (u16)slot, .op = (u8)op, .cpu = (u8)cpu,
	};
}

static const struct v7s_env_ops env_ops = {
	.alloc_l2 = env_alloc_l2,
	.free_l2 = env_free_l2,
	.alloc_l1 = env_alloc_l1,
	.free_l1 = env_free_l1,
	.read_pte = env_read_pte,
	.write_pte = env_write_pte,
	.l2_op = env_l2_op,
};

/* ---- domains, as harness/replay.c keeps them ---- */

/* Where this machine's DRAM ends: the end of its highest populated zone. */
static u64 dram_end_bytes(void)
{
	u64 end_pfn = 0;
	int nid, z;

	for_each_online_node(nid)
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&NODE_DATA(nid)->node_zones[z]))
				end_pfn = max(end_pfn, (u64)zone_end_pfn(&NODE_DATA(nid)->node_zones[z]));
	return end_pfn << PAGE_SHIFT;
}

/*
 * The page table ptbench's --kernel 6.1 gives (iommu/v7s_rules.c) with the
 * quirks mtk_iommu would give it on this machine (v7s_mtk_quirks: the same
 * rule ptbench applies to its simulated DRAM); L1 kept whatever it is.
 */
void oracle_domain_cfg(struct v7s_cfg *cfg)
{
	v7s_cfg_for(cfg, ORACLE_KVER, v7s_mtk_quirks(dram_end_bytes()));
	cfg->keep_l1_above_4g = true;
}

static_assert(MAX_DOMAINS <= ORACLE_PTF_POOLS, "a pt-frag pool per domain");

static struct iommu_domain *domain_get(struct oracle_run *r, u32 id)
{
	struct v7s_cfg cfg;
	struct iommu_domain *dom;
	unsigned int i;

	for (i = 0; i < r->nr_domains; i++) {
		if (r->domain_id[i] == id) {
			r->alloc.ptf_pool = i;	/* its tables' pool (pt-frag), as v7s_mm.c */
			return r->dom[i];
		}
	}
	if (r->nr_domains == MAX_DOMAINS)
		return ERR_PTR(-ENOSPC);
	oracle_domain_cfg(&cfg);
	dom = vzalloc(sizeof(*dom));
	if (!dom)
		return ERR_PTR(-ENOMEM);
	if (iommu_domain_init(dom, &cfg, &env_ops, r)) {
		vfree(dom);
		return ERR_PTR(-ENOMEM);
	}
	r->alloc.ptf_pool = r->nr_domains;
	r->domain_id[r->nr_domains] = id;
	r->dom[r->nr_domains++] = dom;
	return dom;
}

static void domains_counters(struct oracle_run *r, struct oracle_counters *c)
{
	unsigned int i;

	c->map_failures = c->map_errors_other = c->conflicts = 0;
	c->atomic_attempts = c->atomic_failures = c->rejected_above_4g = c->l1_above_4g = 0;
	c->l2_allocs = c->l2_frees = c->split_blk = c->split_blk_lost = c->warnings = 0;
	for (i = 0; i < r->nr_domains; i++) {
		const struct iommu_stats *st = &r->dom[i]->stats;
		const struct v7s_stats *pt = &r->dom[i]->pgt.stats;

		c->map_failures += st->map_enomem;
		c->map_errors_other += st->map_eexist + st->map_erange + st->map_einval +
				       st->map_eother;
		c->conflicts += st->map_eexist;
		c->atomic_attempts += pt->atomic_attempts;
		c->atomic_failures += pt->atomic_failures;
		c->rejected_above_4g += pt->rejected_above_4g;
		c->l1_above_4g += pt->l1_above_4g;
		c->l2_allocs += pt->l2_allocs;
		c->l2_frees += pt->l2_frees;
		c->split_blk += pt->split_blk;
		c->split_blk_lost += pt->split_blk_lost;
		c->warnings += pt->warnings;
	}
}

/* ---- the kernel's free pages: buddy free lists plus every CPU's pcp lists ---- */

static u64 free_pages_now(int max_zone)
{
	u64 pages = 0;
	int nid, z, cpu;

	for_each_online_node(nid) {
		for (z = 0; z <= max_zone && z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (!populated_zone(zone))
				continue;
			pages += zone_page_state_snapshot(zone, NR_FREE_PAGES);
			for_each_online_cpu(cpu)
				pages += READ_ONCE(oracle_zone_pcp(zone, cpu)->count);
		}
	}
	return pages;
}

/* ---- the replay ---- */

/* The replay thread on @cpu, unless it is there already. */
static int move_to_cpu(int *cur_cpu, int cpu)
{
	int ret;

	if (cpu == *cur_cpu)
		return 0;
	ret = set_cpus_allowed_ptr(current, cpumask_of(cpu));
	if (!ret)
		*cur_cpu = cpu;
	return ret;
}

/*
 * Every domain the trace uses, in the order it first names them, before the
 * first event and before any pressure: harness/replay.c domains_probe (the
 * IOMMU driver allocates its L1 tables at probe, from an unpressed zone).
 */
static int domains_probe(struct oracle_run *r)
{
	u64 i;

	for (i = 0; i < r->trace.nr; i++) {
		u32 id = per_domain && (r->trace.flags & PTB_F_DOMAIN) ? r->trace.ev[i].domain : 0;
		struct iommu_domain *dom = domain_get(r, id);

		if (IS_ERR(dom)) {
			snprintf(r->err, sizeof(r->err), "domain %u of event %llu: %ld", id, i,
				 PTR_ERR(dom));
			return PTR_ERR(dom);
		}
	}
	return 0;
}

static void run_event(struct oracle_run *r, struct iommu_domain *dom, const struct oracle_event *ev,
		      u32 ev_gfp, int cpu)
{
	u64 unmapped;

	r->c.events++;
	if (ev->op == 1) {
		r->c.maps++;
		iommu_map(dom, ev->iova, ev->paddr, ev->size_bytes, ev_gfp, cpu);
	} else {
		r->c.unmaps++;
		unmapped = iommu_unmap(dom, ev->iova, ev->size_bytes, cpu);
		r->c.unmap_mismatches += unmapped != ev->unmapped_bytes;
	}
}

static int replay_thread(void *arg)
{
	struct oracle_run *r = arg;
	unsigned int nr_cpus = num_online_cpus();
	int cur_cpu = -1;
	u64 i, t0, first_ts_ns = r->trace.nr ? r->trace.ev[0].ts_ns : 0, now_ns = 0, row_t_ns;

	r->ret = domains_probe(r);
	if (!r->ret)
		r->ret = move_to_cpu(&cur_cpu, 0);
	/* the workload's time starts with others already pressing on memory */
	if (!r->ret)
		r->ret = oracle_pressure_create(&r->pressure, r->err, sizeof(r->err));
	if (r->ret)
		goto out;
	t0 = ktime_get_ns();
	for (i = 0; i < r->trace.nr; i++) {
		const struct oracle_event *ev = &r->trace.ev[i];
		u32 id = per_domain && (r->trace.flags & PTB_F_DOMAIN) ? ev->domain : 0;
		int cpu = r->trace.flags & PTB_F_CPU ? ev->cpu % nr_cpus : 0;
		/* harness/replay.c event_gfp: recorded, else the gfp option, else GFP_ATOMIC */
		u32 ev_gfp = r->trace.flags & PTB_F_GFP ? ev->gfp : gfp ? gfp : V7S_GFP_ATOMIC;
		u64 changes = r->alloc.allocs + r->alloc.frees;
		struct iommu_domain *dom;

		domains_counters(r, &r->c);
		oracle_run_tick(r, ev->ts_ns);
		/*
		 * Others act, then the event on its CPU.  Their per-CPU list work
		 * is CPU 0's, as the model's; the rest runs where the replay is
		 * (two migrations per event cost more than the replay under TCG).
		 */
		if (r->pressure.zone) {
			now_ns = max(now_ns, ev->ts_ns - min(ev->ts_ns, first_ts_ns));
			if (oracle_pressure_wants_cpu0(&r->pressure, now_ns))
				r->ret = move_to_cpu(&cur_cpu, 0);
			if (r->ret)
				break;
			oracle_pressure_tick(&r->pressure, now_ns);
		}
		r->ret = move_to_cpu(&cur_cpu, cpu);
		if (r->ret)
			break;
		dom = domain_get(r, id);
		if (IS_ERR(dom)) {
			r->ret = PTR_ERR(dom);
			break;
		}
		r->cur_event = i;
		if (ev_gfp & V7S_GFP_DIRECT_RECLAIM) {
			run_event(r, dom, ev, ev_gfp, cpu);
		} else {
			preempt_disable();
			run_event(r, dom, ev, ev_gfp, cpu);
			preempt_enable();
		}
		domains_counters(r, &r->c);
		oracle_run_after_event(r, r->alloc.allocs + r->alloc.frees != changes);
		if (need_resched())
			cond_resched();
	}
	r->host_ns = ktime_get_ns() - t0;
	if (sample_clock_last_row(&r->clock, &row_t_ns))
		oracle_run_write_row(r, row_t_ns);
out:
	/* the run's numbers, as the model's summary: before teardown frees the rest */
	r->end = r->alloc;
	oracle_pressure_destroy(&r->pressure);
	oracle_pressure_get_stats(&r->pressure, &r->pressure_stats);
	complete(&r->done);
	return 0;
}

static void run_free(struct oracle_run *r)
{
	if (!r)
		return;
	oracle_trace_free(&r->trace);
	vfree(r->samples);
	vfree(r->l2);
	vfree(r);
}

/* Teardown: every table (v7s_free), every L1, then the kernel's books checked. */
static void run_teardown(struct oracle_run *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_domains; i++) {
		iommu_domain_exit(r->dom[i], 0);
		vfree(r->dom[i]);
		r->dom[i] = NULL;
	}
	if (r->alloc.b) {
		r->unexpected_gfp = oracle_unexpected_gfp_warnings();
		if (r->alloc.live)
			snprintf(r->teardown_err, sizeof(r->teardown_err),
				 "%llu tables still live after teardown", r->alloc.live);
		ret = r->alloc.b->check_empty(&r->alloc, r->teardown_err + strlen(r->teardown_err),
					      sizeof(r->teardown_err) - strlen(r->teardown_err));
		if (ret && !r->teardown_err[0])
			snprintf(r->teardown_err, sizeof(r->teardown_err), "check failed: %d", ret);
		oracle_alloc_destroy(&r->alloc);
	}
	r->free_pages_after = free_pages_now(MAX_NR_ZONES - 1);
}

struct alloc_create_args {
	struct oracle_run *r;
	char *err;
	size_t err_bytes;
};

static long alloc_create_fn(void *arg)
{
	struct alloc_create_args *c = arg;

	return oracle_alloc_create(&c->r->alloc, the_backend, c->err, c->err_bytes);
}

static int run_replay(const struct oracle_trace_buf *trace, char *err, size_t err_bytes)
{
	struct alloc_create_args create_args;
	struct task_struct *task;
	struct oracle_run *r;
	int ret;

	r = vzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	init_completion(&r->done);
	ret = oracle_trace_parse(trace->buf, trace->bytes, &r->trace, err, err_bytes);
	if (ret)
		goto err_free;
	sample_clock_init(&r->clock, interval_ns);
	r->max_samples = oracle_max_samples(&r->trace, interval_ns);
	r->samples = vzalloc(array_size(r->max_samples, sizeof(*r->samples)));
	if (l2_log_max)
		r->l2 = vzalloc(array_size(l2_log_max, sizeof(*r->l2)));
	if (!r->samples || (l2_log_max && !r->l2)) {
		snprintf(err, err_bytes, "no memory for %llu samples / %lu L2 ops", r->max_samples,
			 l2_log_max);
		ret = -ENOMEM;
		goto err_free;
	}
	r->free_pages_before = free_pages_now(MAX_NR_ZONES - 1);
	/*
	 * On CPU 0, as the model's backends take what they take at create
	 * (allocators/slab_backend.c's mempool fill, genalloc_grow.c's first
	 * chunk): it comes through that CPU's slab and per-CPU lists, and
	 * slab-dma32-reserve's tables would not share the reserve's slab if
	 * the reserve were filled on another CPU.
	 */
	create_args = (struct alloc_create_args){ .r = r, .err = err, .err_bytes = err_bytes };
	ret = (int)work_on_cpu(0, alloc_create_fn, &create_args);
	if (ret)
		goto err_free;
	r->held_pages = r->alloc.b->held_pages(&r->alloc);

	task = kthread_create(replay_thread, r, "ptb_oracle");
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		snprintf(err, err_bytes, "cannot start the replay thread: %d", ret);
		goto err_alloc;
	}
	wake_up_process(task);
	wait_for_completion(&r->done);
	run_teardown(r);
	if (r->ret && r->err[0]) {
		snprintf(err, err_bytes, "%s", r->err);
		ret = r->ret;
		goto err_free;
	}
	if (r->ret) {
		snprintf(err, err_bytes, "replay stopped at event %llu: %d", r->c.events, r->ret);
		ret = r->ret;
		goto err_free;
	}
	if (r->teardown_err[0]) {
		snprintf(err, err_bytes, "teardown: %s", r->teardown_err);
		ret = -EBUSY;
	}
	run_free(last_run);
	last_run = r;
	return ret;

err_alloc:
	oracle_alloc_destroy(&r->alloc);
err_free:
	run_free(r);
	return ret;
}

static int run_result_show(struct seq_file *m)
{
	return last_run ? oracle_result_show(m, last_run) : -ENODATA;
}

static struct oracle_debugfs debugfs = {
	.name = ORACLE_NAME,
	.run = run_replay,
	.result_show = run_result_show,
};

static int __init oracle_init(void)
{
	char err[ERR_BYTES];
	int ret;

	if (oracle_backends_check(err, sizeof(err))) {
		pr_err(ORACLE_NAME ": %s\n", err);
		return -EINVAL;
	}
	the_backend = oracle_backend_find(backend);
	if (!the_backend) {
		pr_err(ORACLE_NAME ": backend '%s': ptbench has no kernel twin of that name\n", backend);
		return -EINVAL;
	}
	if (!interval_ns) {
		pr_err(ORACLE_NAME ": interval_ns must be > 0\n");
		return -EINVAL;
	}
	ret = oracle_debugfs_create(&debugfs);
	if (ret)
		return ret;
	pr_info(ORACLE_NAME ": backend %s, %u CPUs\n", backend, num_online_cpus());
	return 0;
}

static void __exit oracle_exit(void)
{
	oracle_debugfs_destroy(&debugfs);
	run_free(last_run);
	last_run = NULL;
}

module_init(oracle_init);
module_exit(oracle_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ptbench oracle: a .ptb trace through the v7s model and the kernel's real allocators");
