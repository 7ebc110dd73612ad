// SPDX-License-Identifier: GPL-2.0
/*
 * ref_v7s.c - ptb_v7s_ref.ko: the KERNEL'S OWN drivers/iommu/io-pgtable-arm-v7s.c
 * (Debian's linux-source-6.1, extracted at build time into build/kmod-ref/,
 * never committed), driven through the booted kernel's exported
 * iommu_map_atomic() / iommu_unmap(), i.e. the real iommu core's chunking
 * (iommu_pgsize, __iommu_map, __iommu_unmap), on a minimal paging domain
 * whose ops call the v7s io_pgtable_ops.  Every L2 table alloc and free is
 * logged (event, op, L1 slot, CPU): the reference for the model's own
 * sequence (ptbench replay --l2-log).
 *
 * How the slot is known: the domain's map_pages/unmap_pages call v7s one
 * page at a time (v7s's own map_pages/unmap_pages are that same loop), so an
 * allocation belongs to the slot of the page being mapped or unmapped; a
 * freed table is found in the L1 as it was before the call (a table-to-slot
 * index kept after every page), else it was allocated in this same call.
 *
 * x86 does not build v7s (CONFIG_IOMMU_IO_PGTABLE_ARMV7S): the file is
 * compiled here with its io-pgtable registration bypassed - the init fns are
 * called directly, as alloc_io_pgtable_ops() would - and with
 * kmem_cache_zalloc/kmem_cache_free renamed to the logging wrappers below for
 * the v7s source only.  The trace comes in through ptb_oracle's own debugfs
 * files (oracle_debugfs.c; oracle_trace.c decodes it).
 */
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "oracle.h"
#include "ptb.h"

#define REF_OP_ALLOC 1
#define REF_OP_FREE  3
#define REF_SLOTS    4096

static void *ref_l2_zalloc(struct kmem_cache *c, gfp_t gfp);
static void ref_l2_free(struct kmem_cache *c, void *table);

/*
 * The kernel's v7s source, its L2 cache calls routed through the log; it sets its
 * own pr_fmt (the kernel headers gave a default one), and 6.12's kmem_cache_zalloc
 * is a macro already.
 */
#undef pr_fmt
#undef kmem_cache_zalloc
#define kmem_cache_zalloc ref_l2_zalloc
#define kmem_cache_free ref_l2_free
#include "io-pgtable-arm-v7s.c"
#undef kmem_cache_zalloc
#undef kmem_cache_free

/*
 * iommu_map_atomic() (6.1 include/linux/iommu.h) is gone by 6.12, whose
 * iommu_map(domain, iova, paddr, size, prot, gfp) takes the gfp itself.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define ref_iommu_map_atomic(d, iova, paddr, size, prot) iommu_map_atomic(d, iova, paddr, size, prot)
#else
#define ref_iommu_map_atomic(d, iova, paddr, size, prot) iommu_map(d, iova, paddr, size, prot, GFP_ATOMIC)
#endif

struct ref_op {
	u64 event;
	u16 slot;
	u8 op, cpu;
};

static unsigned long log_max = 1 << 20;
module_param(log_max, ulong, 0444);
MODULE_PARM_DESC(log_max, "L2 ops the log holds");


static struct {
	struct io_pgtable *iop;
	struct arm_v7s_io_pgtable *data;
	struct iommu_domain domain;
	void *slot_table[REF_SLOTS];	/* the L2 each slot held after the last page op */
	unsigned int cur_slot;
	u64 cur_event;
	struct ref_op *log;
	u64 nr_log, dropped;
	u64 map_errors, unmap_short, events;
	bool done;
} ref;

static void log_op(int op, unsigned int slot)
{
	if (ref.nr_log == log_max) {
		ref.dropped++;
		return;
	}
	ref.log[ref.nr_log++] = (struct ref_op){
		.event = ref.cur_event, .slot = (u16)slot, .op = (u8)op,
		.cpu = (u8)raw_smp_processor_id(),
	};
}

/*
 * kmem_cache_zalloc is kmem_cache_alloc with __GFP_ZERO in both versions: an inline
 * in 6.1's include/linux/slab.h, a macro in 6.12's (undefined again above).
 */
static void *ref_l2_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	void *t = kmem_cache_alloc(c, gfp | __GFP_ZERO);

	if (t)
		log_op(REF_OP_ALLOC, ref.cur_slot);
	return t;
}

static void ref_l2_free(struct kmem_cache *c, void *table)
{
	unsigned int slot;

	for (slot = 0; slot < REF_SLOTS && ref.slot_table[slot] != table; slot++)
		;
	log_op(REF_OP_FREE, slot < REF_SLOTS ? slot : ref.cur_slot);
	if (slot < REF_SLOTS)
		ref.slot_table[slot] = NULL;
	kmem_cache_free(c, table);
}

/* After a page op: which table each slot of [iova, iova + size) now holds. */
static void index_slots(unsigned long iova, size_t size)
{
	unsigned int first = iova >> ARM_V7S_LVL_SHIFT(1);
	unsigned int last = (iova + size - 1) >> ARM_V7S_LVL_SHIFT(1), s;

	for (s = first; s <= last && s < REF_SLOTS; s++) {
		arm_v7s_iopte pte = READ_ONCE(ref.data->pgd[s]);

		ref.slot_table[s] = ARM_V7S_PTE_IS_TABLE(pte, 1) ?
			iopte_deref(pte, 1, ref.data) : NULL;
	}
}

/* ---- the minimal paging domain: iommu core -> v7s, one page at a time ---- */

/*
 * 5.10 include/linux/iommu.h: struct iommu_ops has map/unmap of one page size,
 * which iommu_map (__iommu_map) calls once per page, and io_pgtable_ops the
 * same (io-pgtable-arm-v7s.c arm_v7s_map / arm_v7s_unmap); map_pages /
 * unmap_pages and struct iommu_domain_ops came in 5.15 and 5.19 (6.1, 6.12).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 15, 0)
static int ref_map(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr, size_t pgsize,
		   int prot, gfp_t gfp)
{
	struct io_pgtable_ops *ops = &ref.iop->ops;
	int ret;

	ref.cur_slot = iova >> ARM_V7S_LVL_SHIFT(1);
	ret = ops->map(ops, iova, paddr, pgsize, prot, gfp);
	index_slots(iova, pgsize);
	return ret;
}

static size_t ref_unmap(struct iommu_domain *d, unsigned long iova, size_t pgsize,
			struct iommu_iotlb_gather *gather)
{
	struct io_pgtable_ops *ops = &ref.iop->ops;
	size_t done;

	ref.cur_slot = iova >> ARM_V7S_LVL_SHIFT(1);
	done = ops->unmap(ops, iova, pgsize, gather);
	index_slots(iova, pgsize);
	return done;
}

static const struct iommu_ops ref_domain_ops = {
	.map = ref_map,
	.unmap = ref_unmap,
};
#else

static int ref_map_pages(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr,
			 size_t pgsize, size_t pgcount, int prot, gfp_t gfp, size_t *mapped)
{
	struct io_pgtable_ops *ops = &ref.iop->ops;
	int ret = 0;

	while (pgcount--) {
		size_t done = 0;

		ref.cur_slot = iova >> ARM_V7S_LVL_SHIFT(1);
		ret = ops->map_pages(ops, iova, paddr, pgsize, 1, prot, gfp, &done);
		index_slots(iova, pgsize);
		*mapped += done;
		if (ret)
			break;
		iova += pgsize;
		paddr += pgsize;
	}
	return ret;
}

static size_t ref_unmap_pages(struct iommu_domain *d, unsigned long iova, size_t pgsize,
			      size_t pgcount, struct iommu_iotlb_gather *gather)
{
	struct io_pgtable_ops *ops = &ref.iop->ops;
	size_t unmapped = 0;

	while (pgcount--) {
		size_t done;

		ref.cur_slot = iova >> ARM_V7S_LVL_SHIFT(1);
		done = ops->unmap_pages(ops, iova, pgsize, 1, gather);
		index_slots(iova, pgsize);
		if (done != pgsize)
			break;
		unmapped += done;
		iova += pgsize;
	}
	return unmapped;
}

static const struct iommu_domain_ops ref_domain_ops = {
	.map_pages = ref_map_pages,
	.unmap_pages = ref_unmap_pages,
};
#endif

/* No TLB, a coherent walker: nothing to flush, no DMA API for the tables. */
static void ref_tlb_flush_all(void *cookie) { }
static void ref_tlb_flush_walk(unsigned long iova, size_t size, size_t granule, void *cookie) { }

/*
 * 5.10 include/linux/io-pgtable.h calls tlb_flush_leaf without a NULL test
 * (io_pgtable_tlb_flush_leaf, from arm_v7s_split_cont); 6.1 has no such op.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
static void ref_tlb_flush_leaf(unsigned long iova, size_t size, size_t granule, void *cookie) { }
#define REF_TLB_FLUSH_LEAF .tlb_flush_leaf = ref_tlb_flush_leaf,
#else
#define REF_TLB_FLUSH_LEAF
#endif

static const struct iommu_flush_ops ref_flush_ops = {
	.tlb_flush_all = ref_tlb_flush_all,
	.tlb_flush_walk = ref_tlb_flush_walk,
	REF_TLB_FLUSH_LEAF
};

/*
 * The output address bits mtk_iommu_domain_finalise gives v7s: 34 in 5.10
 * drivers/iommu/mtk_iommu.c, which 5.10's arm_v7s_alloc_pgtable also takes as
 * the MTK_EXT maximum; 35 in 6.1 and 6.12 (both files).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#define REF_V7S_OAS 34
#else
#define REF_V7S_OAS 35
#endif

static int ref_create(void)
{
	struct io_pgtable_cfg cfg = {
		/* MT8173: ARM_NS | NO_PERMS; MTK_EXT lets v7s take paddr up to REF_V7S_OAS bits */
		.quirks = IO_PGTABLE_QUIRK_ARM_NS | IO_PGTABLE_QUIRK_NO_PERMS |
			  IO_PGTABLE_QUIRK_ARM_MTK_EXT,
		.pgsize_bitmap = SZ_4K | SZ_64K | SZ_1M | SZ_16M,
		.ias = 32,
		.oas = REF_V7S_OAS,
		.coherent_walk = true,
		.tlb = &ref_flush_ops,
	};

	/* alloc_io_pgtable_ops() without the registry x86 does not have v7s in */
	ref.iop = io_pgtable_arm_v7s_init_fns.alloc(&cfg, NULL);
	if (!ref.iop)
		return -ENOMEM;
	ref.iop->fmt = ARM_V7S;
	ref.iop->cookie = NULL;
	ref.iop->cfg = cfg;
	ref.data = io_pgtable_to_data(ref.iop);
	ref.domain.type = IOMMU_DOMAIN_UNMANAGED;
	ref.domain.ops = &ref_domain_ops;
	ref.domain.pgsize_bitmap = cfg.pgsize_bitmap;
	ref.domain.geometry.aperture_end = DMA_BIT_MASK(32);
	ref.domain.geometry.force_aperture = true;
	return 0;
}

/* ---- the replay: each event on its CPU, through the real iommu core ---- */

struct ref_run {
	struct oracle_trace t;
	struct completion done;
};

static int ref_thread(void *arg)
{
	struct ref_run *r = arg;
	unsigned int nr_cpus = num_online_cpus();
	int cur_cpu = -1;
	u64 i;

	for (i = 0; i < r->t.nr; i++) {
		const struct oracle_event *ev = &r->t.ev[i];
		int cpu = r->t.flags & PTB_F_CPU ? ev->cpu % nr_cpus : 0;

		if (cpu != cur_cpu && !set_cpus_allowed_ptr(current, cpumask_of(cpu)))
			cur_cpu = cpu;
		ref.cur_event = i;
		ref.events++;
		/* dma-iommu's streaming map: GFP_ATOMIC, the gfp --kernel 6.1 gives L2s */
		preempt_disable();
		if (ev->op == 1) {
			ref.map_errors += ref_iommu_map_atomic(&ref.domain, ev->iova, ev->paddr,
							       ev->size_bytes, IOMMU_READ | IOMMU_WRITE) != 0;
		} else {
			ref.unmap_short += iommu_unmap(&ref.domain, ev->iova, ev->size_bytes) !=
					   ev->size_bytes;
		}
		preempt_enable();
		cond_resched();
	}
	/*
	 * teardown: arm_v7s_free_pgtable frees every L2, then the L1 (called
	 * directly: free_io_pgtable_ops looks the format up in a registry that
	 * has no ARM_V7S on x86), on CPU 0 as the model's teardown
	 */
	set_cpus_allowed_ptr(current, cpumask_of(0));
	io_pgtable_arm_v7s_init_fns.free(ref.iop);
	complete(&r->done);
	return 0;
}

static int ref_replay(const struct oracle_trace_buf *trace, char *err, size_t err_bytes)
{
	struct ref_run *r = vzalloc(sizeof(*r));
	struct task_struct *task;
	int ret;

	if (!r)
		return -ENOMEM;
	ret = oracle_trace_parse(trace->buf, trace->bytes, &r->t, err, err_bytes);
	if (ret)
		goto out;
	vfree(ref.log);
	memset(&ref, 0, sizeof(ref));
	ref.log = vzalloc(array_size(log_max, sizeof(*ref.log)));
	ret = ref.log ? ref_create() : -ENOMEM;
	if (ret)
		goto out;
	init_completion(&r->done);
	task = kthread_run(ref_thread, r, "ptb_v7s_ref");
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		io_pgtable_arm_v7s_init_fns.free(ref.iop);
		goto out;
	}
	wait_for_completion(&r->done);
	ref.done = true;
out:
	oracle_trace_free(&r->t);
	vfree(r);
	return ret;
}

static int result_show(struct seq_file *m)
{
	u64 i;

	if (!ref.done)
		return -ENODATA;
	seq_printf(m, "events %llu\nmap_errors %llu\nunmap_short %llu\nl2_ops %llu\nl2_dropped %llu\n",
		   ref.events, ref.map_errors, ref.unmap_short, ref.nr_log, ref.dropped);
	for (i = 0; i < ref.nr_log; i++)
		seq_printf(m, "l2 %llu %u %u %u\n", ref.log[i].event, ref.log[i].op, ref.log[i].slot,
			   ref.log[i].cpu);
	seq_puts(m, "end\n");
	return 0;
}

static struct oracle_debugfs debugfs = {
	.name = "ptb_v7s_ref",
	.run = ref_replay,
	.result_show = result_show,
};

static int __init ref_init(void)
{
	return oracle_debugfs_create(&debugfs);
}

static void __exit ref_exit(void)
{
	oracle_debugfs_destroy(&debugfs);
	vfree(ref.log);
}

module_init(ref_init);
module_exit(ref_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ptbench: the kernel's own io-pgtable-arm-v7s.c driven by a trace, L2 ops logged");
