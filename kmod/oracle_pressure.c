// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_pressure.c - the model's --pressure scenarios (harness/pressure.c)
 * in the guest, acting in step with the replay: edge, steady, atomic-burst
 * and fragmented (trace replays a device's recording: the model only).
 *
 * `ptbench oracle --pressure SPEC` parses SPEC with the model's own parser
 * and passes the scenario's numbers as module parameters; the levels are
 * resolved here against the zone's real watermarks.  Before every event the
 * replay calls oracle_pressure_tick() with the trace's time since its first
 * event, on the event's CPU, or on CPU 0 when a burst is due or ends (the
 * model's others run there; oracle_pressure_wants_cpu0):
 *
 *  - others (oracle_others.c, harness/pressure.c hold_to): movable pages in
 *    BLOCK_ORDER blocks until the zone's free count is at or below the
 *    level; the model's kswapd gives them back at its rate, under the
 *    kernel's own wake and sleep rules.
 *  - steady: a level drawn each period with the model's own prng_draw.
 *  - atomic-burst: bursts whose hold_ms has passed are freed (order 0,
 *    through CPU 0's per-CPU list), others take free memory back to the
 *    level, then each burst due allocates pages with GFP_ATOMIC one by one
 *    until one is refused or comes from another zone (the model's burst
 *    stops at its zone's mark).
 *  - fragmented: free memory left only in blocks of the scenario's order.
 * Each scenario starts with the zone's per-CPU lists drained, as the
 * model's machine starts with them empty.
 */
#include <linux/gfp.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmstat.h>

#include "oracle.h"
#include "prng.h"
#include "watermark.h"

#define PPM			1000000u

static char *pressure = "none";
module_param(pressure, charp, 0444);
MODULE_PARM_DESC(pressure, "none, edge, steady, atomic-burst or fragmented (ptbench oracle --pressure)");
static char *pressure_zone = "dma32";
module_param(pressure_zone, charp, 0444);
MODULE_PARM_DESC(pressure_zone, "dma32, dma or normal: the zone GFP_DMA32, GFP_DMA, GFP_KERNEL use");
static char *pressure_level = "min";
module_param(pressure_level, charp, 0444);
MODULE_PARM_DESC(pressure_level, "the level's base: pages, min, low, high, atomic or fraction");
static long pressure_level_pages;
module_param(pressure_level_pages, long, 0444);
MODULE_PARM_DESC(pressure_level_pages, "pages added to the base (may be negative)");
static uint pressure_level_ppm;
module_param(pressure_level_ppm, uint, 0444);
MODULE_PARM_DESC(pressure_level_ppm, "fraction: millionths of the way from min to low");
static char *pressure_max_level = "low";
module_param(pressure_max_level, charp, 0444);
MODULE_PARM_DESC(pressure_max_level, "steady: the band ceiling's base, as pressure_level");
static long pressure_max_level_pages;
module_param(pressure_max_level_pages, long, 0444);
MODULE_PARM_DESC(pressure_max_level_pages, "steady: pages added to the ceiling's base");
static uint pressure_max_level_ppm;
module_param(pressure_max_level_ppm, uint, 0444);
MODULE_PARM_DESC(pressure_max_level_ppm, "steady: the ceiling's fraction of the way from min to low");
static ulong pressure_seed;
module_param(pressure_seed, ulong, 0444);
MODULE_PARM_DESC(pressure_seed, "steady: the run's --seed, whose draws give each period's level");
static uint pressure_order = 1;
module_param(pressure_order, uint, 0444);
MODULE_PARM_DESC(pressure_order, "fragmented: others' block order, the largest free block left");
static ulong pressure_pages;
module_param(pressure_pages, ulong, 0444);
MODULE_PARM_DESC(pressure_pages, "atomic-burst: order-0 GFP_ATOMIC pages per burst");
static ulong pressure_period_ns = 1;
module_param(pressure_period_ns, ulong, 0444);
MODULE_PARM_DESC(pressure_period_ns, "atomic-burst: one burst this often; steady: a new level this often (trace time)");
static ulong pressure_hold_ns = 1;
module_param(pressure_hold_ns, ulong, 0444);
MODULE_PARM_DESC(pressure_hold_ns, "atomic-burst: a burst's pages are freed this long after it");
static ulong pressure_phase_ns;
module_param(pressure_phase_ns, ulong, 0444);
MODULE_PARM_DESC(pressure_phase_ns, "atomic-burst: the first burst (the model's seeded phase)");
static ulong kswapd_pages_per_ms = 64;
module_param(kswapd_pages_per_ms, ulong, 0444);
MODULE_PARM_DESC(kswapd_pages_per_ms, "the model's kswapd rate, pages per ms of trace time");

static const struct {
	const char *name;
	enum zone_type zone;
	gfp_t gfp;
} zone_classes[] = {
	{ "dma32", ZONE_DMA32, __GFP_DMA32 },
	{ "dma", ZONE_DMA, __GFP_DMA },
	{ "normal", ZONE_NORMAL, 0 },
};

static const char *const level_bases[] = {
	[ORACLE_LEVEL_PAGES] = "pages", [ORACLE_LEVEL_MIN] = "min", [ORACLE_LEVEL_LOW] = "low",
	[ORACLE_LEVEL_HIGH] = "high", [ORACLE_LEVEL_ATOMIC] = "atomic",
	[ORACLE_LEVEL_BOOT] = "boot", [ORACLE_LEVEL_FRACTION] = "fraction",
};

/* A burst's pages, linked through page->lru. */
struct oracle_burst {
	u64 free_at_ns;
	u64 pages;
	struct list_head list;
};

/* harness/pressure.c resolve_level(), on the zone's configured (unboosted) watermarks. */
static u64 resolve_level(const struct oracle_pressure *p, int level, long pages, uint ppm)
{
	const unsigned long *wm = p->zone->_watermark;
	s64 base = 0;

	switch (level) {
	case ORACLE_LEVEL_PAGES:
		return pages > 0 ? (u64)pages : 0;
	case ORACLE_LEVEL_FRACTION:
		return wm[WMARK_MIN] + (u64)(wm[WMARK_LOW] - wm[WMARK_MIN]) * ppm / PPM;
	case ORACLE_LEVEL_MIN:
		base = wm[WMARK_MIN];
		break;
	case ORACLE_LEVEL_LOW:
		base = wm[WMARK_LOW];
		break;
	case ORACLE_LEVEL_HIGH:
		base = wm[WMARK_HIGH];
		break;
	case ORACLE_LEVEL_ATOMIC:
		/*
		 * harness/pressure.c's own function (allocators/mm/watermark.c): 6.1's
		 * ALLOC_HIGH | ALLOC_HARDER; Debian's 6.1.192 has 6.3's ALLOC_MIN_RESERVE |
		 * ALLOC_NON_BLOCK, the same mark for GFP_ATOMIC
		 */
		base = wmark_gfp_atomic(ORACLE_KVER, wm[WMARK_MIN]);
		break;
	case ORACLE_LEVEL_BOOT:
		base = oracle_zone_free(p);
		break;
	}
	return base + pages > 0 ? (u64)(base + pages) : 0;
}

/* ---- atomic-burst ---- */

static void burst_free(struct oracle_pressure *p, struct oracle_burst *b)
{
	struct page *page, *n;

	list_for_each_entry_safe(page, n, &b->list, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	p->st.burst_live_pages -= b->pages;
	b->pages = 0;
}

static void burst_alloc(struct oracle_pressure *p, struct oracle_burst *b)
{
	u64 got = 0;

	INIT_LIST_HEAD(&b->list);
	while (got < pressure_pages) {
		struct page *page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN | p->zone_gfp, 0);

		if (!page)
			break;
		if (page_zone(page) != p->zone) {
			/* the zone refused it: its mark is reached */
			__free_page(page);
			p->st.burst_other_zone++;
			break;
		}
		list_add_tail(&page->lru, &b->list);
		got++;
	}
	b->pages = got;
	p->st.bursts++;
	p->st.burst_pages += got;
	p->st.burst_failed_pages += pressure_pages - got;
	p->st.burst_live_pages += got;
}

/* harness/pressure.c atomic_burst_tick(). */
static void atomic_burst_tick(struct oracle_pressure *p, u64 now_ns)
{
	while (p->bursts_alive && p->bursts[p->bursts_head].free_at_ns <= now_ns) {
		burst_free(p, &p->bursts[p->bursts_head]);
		p->bursts_head = (p->bursts_head + 1) % p->bursts_cap;
		p->bursts_alive--;
	}
	oracle_fill_to(p, p->st.target_min_pages);
	if (p->next_burst_ns + pressure_hold_ns <= now_ns) {
		u64 gone = (now_ns - pressure_hold_ns - p->next_burst_ns) / pressure_period_ns + 1;

		p->st.bursts_between_events += gone;
		p->next_burst_ns += gone * pressure_period_ns;
	}
	while (p->next_burst_ns <= now_ns) {
		struct oracle_burst *b;

		if (WARN_ON(p->bursts_alive == p->bursts_cap))
			break;
		b = &p->bursts[(p->bursts_head + p->bursts_alive) % p->bursts_cap];
		burst_alloc(p, b);
		b->free_at_ns = p->next_burst_ns + pressure_hold_ns;
		p->bursts_alive++;
		p->next_burst_ns += pressure_period_ns;
	}
}

/* ---- steady ---- */

/*
 * harness/pressure.c hold_setup() and steady_tick(): the band's floor and
 * ceiling on the zone's watermarks, a level drawn in [floor + max(block,
 * batch) - 1, ceiling] each period from the run's seed (prng_draw, the model's own
 * code, so both draw the same levels from the same watermarks), others
 * taking free memory down to it; kswapd raises it when the level rises.
 */
static void steady_setup(struct oracle_pressure *p)
{
	u64 floor = resolve_level(p, p->level, pressure_level_pages, pressure_level_ppm);
	u64 ceiling = resolve_level(p, p->max_level, pressure_max_level_pages, pressure_max_level_ppm);

	p->st.target_min_pages = floor;
	p->st.target_max_pages = max(ceiling, floor);
	/* a block - 1 pages below the level drawn, or a per-CPU batch - 1 from a refill */
	p->draw_min_pages = min(floor + max_t(u64, BLOCK_PAGES, oracle_zone_pcp_batch(p->zone)) - 1,
				p->st.target_max_pages);
	p->period_idx = U64_MAX;
	oracle_fill_to(p, p->draw_min_pages);
}

static void steady_tick(struct oracle_pressure *p, u64 now_ns)
{
	u64 idx = div64_u64(now_ns, pressure_period_ns);

	if (idx != p->period_idx) {
		u64 span = p->st.target_max_pages - p->draw_min_pages + 1;

		p->period_target_pages = p->draw_min_pages + prng_draw(pressure_seed, idx, span);
		p->period_idx = idx;
	}
	oracle_fill_to(p, p->period_target_pages);
}

/* ---- fragmented (oracle_fragmented.c) ---- */

/*
 * mm/page_alloc.c 6.1 drain_all_pages(): every CPU's per-CPU lists of the
 * zone back to the buddy lists, as the model's mm_drain_pcp.  Each scenario
 * starts with them empty, as the model's machine does (its boot-time users
 * bypass the lists): the guest's boot leaves thousands of DMA32 pages on
 * them (2125 on CPU 0 in one run), which spare that CPU the refills that
 * take a batch off the buddy lists at once, where the model refills.  Declared in
 * <linux/gfp.h> but not exported to modules: its address comes from a kprobe
 * registered on the symbol and unregistered at once.  An indirect call is
 * safe on this kernel: Debian's 6.1 config has no CONFIG_X86_KERNEL_IBT.
 */
static int find_drain_all_pages(struct oracle_pressure *p, char *err, size_t err_bytes)
{
	struct kprobe kp = { .symbol_name = "drain_all_pages" };
	int ret = register_kprobe(&kp);

	if (ret) {
		snprintf(err, err_bytes, "pressure: fragmented: no drain_all_pages to call (kprobe: %d)", ret);
		return ret;
	}
	p->drain_pcp = (void (*)(struct zone *))kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

static int fragmented_setup(struct oracle_pressure *p, char *err, size_t err_bytes)
{
	p->order = pressure_order;
	p->st.target_min_pages = p->st.target_max_pages =
		resolve_level(p, p->level, pressure_level_pages, pressure_level_ppm);
	return oracle_fragment(p, err, err_bytes);
}

/* ---- the instance ---- */

/* kswapd's balance_pgdat passes so far (PAGEOUTRUN): the guest's own kswapd at work. */
static u64 guest_kswapd_runs(void)
{
	unsigned long *ev = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*ev), GFP_KERNEL);
	u64 runs = 0;

	if (ev) {
		all_vm_events(ev);
		runs = ev[PAGEOUTRUN];
		kfree(ev);
	}
	return runs;
}

static int find_name(const char *const *names, unsigned int nr, const char *name)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (names[i] && sysfs_streq(name, names[i]))
			return i;
	return -1;
}

bool oracle_pressure_active(void)
{
	return !sysfs_streq(pressure, "none");
}

int oracle_pressure_create(struct oracle_pressure *p, char *err, size_t err_bytes)
{
	static const char *const scenarios[] = {
		[ORACLE_PRESSURE_EDGE] = "edge", [ORACLE_PRESSURE_ATOMIC_BURST] = "atomic-burst",
		[ORACLE_PRESSURE_STEADY] = "steady", [ORACLE_PRESSURE_FRAGMENTED] = "fragmented",
	};
	struct zone *zone = NULL;
	unsigned int i;
	int nid, scenario, level, max_level, ret;

	memset(p, 0, sizeof(*p));
	strscpy(p->st.zone_name, "none", sizeof(p->st.zone_name));
	INIT_LIST_HEAD(&p->held);
	if (!oracle_pressure_active())
		return 0;
	scenario = find_name(scenarios, ARRAY_SIZE(scenarios), pressure);
	level = find_name(level_bases, ARRAY_SIZE(level_bases), pressure_level);
	max_level = find_name(level_bases, ARRAY_SIZE(level_bases), pressure_max_level);
	for (i = 0; i < ARRAY_SIZE(zone_classes) && !sysfs_streq(pressure_zone, zone_classes[i].name); i++)
		;
	if (scenario < 0 || level < 0 || max_level < 0 || i == ARRAY_SIZE(zone_classes)) {
		snprintf(err, err_bytes, "pressure '%s' zone '%s' level '%s' ceiling '%s': not a guest scenario "
			 "(edge, steady, atomic-burst, fragmented)", pressure, pressure_zone, pressure_level,
			 pressure_max_level);
		return -EINVAL;
	}
	if (scenario == ORACLE_PRESSURE_FRAGMENTED && pressure_order >= ORACLE_NR_ORDERS - 1) {
		snprintf(err, err_bytes, "pressure: fragmented: order %u: 0..%d", pressure_order, ORACLE_NR_ORDERS - 2);
		return -EINVAL;
	}
	if (scenario == ORACLE_PRESSURE_STEADY && !pressure_period_ns) {
		snprintf(err, err_bytes, "pressure: steady: period_ns 0");
		return -EINVAL;
	}
	if (scenario == ORACLE_PRESSURE_ATOMIC_BURST &&
	    (!pressure_period_ns || pressure_hold_ns / pressure_period_ns >= ORACLE_BURSTS_MAX)) {
		snprintf(err, err_bytes, "pressure: period_ns %lu, hold_ns %lu: 1..%u bursts alive",
			 pressure_period_ns, pressure_hold_ns, ORACLE_BURSTS_MAX);
		return -EINVAL;
	}
	/*
	 * The zone the class's gfp is served by: the first of its zonelist, the
	 * highest zone at or below gfp_zone() with memory (mm/page_alloc.c 6.1
	 * build_zonerefs_node).  On arm64 (the MT8173, 6.1) ZONE_DMA32 is empty and
	 * GFP_DMA32 is served by ZONE_DMA, as the model's mt8173-4g has it.
	 */
	for_each_online_node(nid) {
		for (int zi = zone_classes[i].zone; zi >= 0 && !zone; zi--) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zi];

			if (managed_zone(z))
				zone = z;
		}
		if (zone)
			break;
	}
	if (!zone) {
		snprintf(err, err_bytes, "pressure: zone=%s: zone %s has no memory in this guest",
			 pressure_zone, NODE_DATA(first_online_node)->node_zones[zone_classes[i].zone].name);
		return -ENODEV;
	}
	p->zone = zone;
	strscpy(p->st.zone_name, zone->name, sizeof(p->st.zone_name));
	p->zone_gfp = zone_classes[i].gfp;
	p->kswapd_runs_before = guest_kswapd_runs();
	p->kswapd_pages_per_ms = kswapd_pages_per_ms;
	/*
	 * The guest's kswapd finds nothing to reclaim here and gives the node up
	 * after MAX_RECLAIM_RETRIES fruitless passes (mm/vmscan.c 6.1 balance_pgdat,
	 * wakeup_kswapd): without this, every backend but the first would run
	 * with a dormant kswapd.  Each backend starts as the first did.
	 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
	/* atomic_t after 6.12 (7.2 include/linux/mmzone.h, mm/vmscan.c atomic_xchg) */
	atomic_set(&zone->zone_pgdat->kswapd_failures, 0);
#else
	WRITE_ONCE(zone->zone_pgdat->kswapd_failures, 0);
#endif
	ret = find_drain_all_pages(p, err, err_bytes);
	if (ret)
		return ret;
	p->drain_pcp(zone);
	p->st.highatomic_pages_at_start = zone->nr_reserved_highatomic;
	p->scenario = scenario;
	p->level = level;
	p->max_level = max_level;
	switch (p->scenario) {
	case ORACLE_PRESSURE_STEADY:
		steady_setup(p);
		break;
	case ORACLE_PRESSURE_FRAGMENTED:
		ret = fragmented_setup(p, err, err_bytes);
		if (ret)	/* the caller's oracle_pressure_destroy() gives the pages back */
			return ret;
		break;
	case ORACLE_PRESSURE_EDGE:
	case ORACLE_PRESSURE_ATOMIC_BURST:
		/* others' use brings free memory to the level at once (pressure.c hold_setup) */
		p->st.target_min_pages = p->st.target_max_pages =
			resolve_level(p, p->level, pressure_level_pages, pressure_level_ppm);
		oracle_fill_to(p, p->st.target_min_pages);
		break;
	}
	if (p->scenario == ORACLE_PRESSURE_ATOMIC_BURST) {
		p->bursts_cap = (unsigned int)(pressure_hold_ns / pressure_period_ns) + 2;
		p->bursts = kcalloc(p->bursts_cap, sizeof(*p->bursts), GFP_KERNEL);
		if (!p->bursts) {
			snprintf(err, err_bytes, "pressure: no memory for %u bursts", p->bursts_cap);
			return -ENOMEM;
		}
		p->next_burst_ns = pressure_phase_ns;
	}
	oracle_kswapd_check_wake(p);
	p->st.free_lowest_pages = p->st.free_highest_pages = oracle_zone_free(p);
	return 0;
}

bool oracle_pressure_wants_cpu0(const struct oracle_pressure *p, u64 now_ns)
{
	if (!p->zone)
		return false;
	switch (p->scenario) {
	case ORACLE_PRESSURE_ATOMIC_BURST:
		return p->next_burst_ns <= now_ns ||
		       (p->bursts_alive && p->bursts[p->bursts_head].free_at_ns <= now_ns);
	case ORACLE_PRESSURE_FRAGMENTED:	/* its blocks come through a per-CPU list */
		return oracle_zone_free(p) >= p->st.target_min_pages + (1ull << p->order);
	default:
		return false;
	}
}

void oracle_pressure_tick(struct oracle_pressure *p, u64 now_ns)
{
	s64 drift;
	u64 free;

	if (!p->zone)
		return;
	/* an allocation of the last event below low woke kswapd; it ran until now */
	oracle_kswapd_check_wake(p);
	oracle_kswapd_run(p, now_ns);
	switch (p->scenario) {
	case ORACLE_PRESSURE_EDGE:
		oracle_fill_to(p, p->st.target_min_pages);
		break;
	case ORACLE_PRESSURE_STEADY:
		steady_tick(p, now_ns);
		break;
	case ORACLE_PRESSURE_ATOMIC_BURST:
		atomic_burst_tick(p, now_ns);
		break;
	case ORACLE_PRESSURE_FRAGMENTED:
		oracle_fill_order_to(p, p->st.target_min_pages);
		break;
	}
	oracle_kswapd_check_wake(p);
	p->st.ticks++;
	free = oracle_zone_free(p);
	p->st.free_lowest_pages = min(p->st.free_lowest_pages, free);
	p->st.free_highest_pages = max(p->st.free_highest_pages, free);
	p->st.watermark_boost_max_pages = max_t(u64, p->st.watermark_boost_max_pages,
						p->zone->watermark_boost);
	drift = (s64)zone_page_state_snapshot(p->zone, NR_FREE_PAGES) - (s64)free;
	p->st.vmstat_drift_max_pages = max_t(u64, p->st.vmstat_drift_max_pages, abs(drift));
	p->st.boosted_ticks += p->zone->watermark_boost != 0;
}

void oracle_pressure_destroy(struct oracle_pressure *p)
{
	if (p->zone)
		p->st.guest_kswapd_runs = guest_kswapd_runs() - p->kswapd_runs_before;
	if (p->zone && p->kswapd_awake)
		oracle_kswapd_sleep(p);
	while (p->bursts && p->bursts_alive) {
		burst_free(p, &p->bursts[p->bursts_head]);
		p->bursts_head = (p->bursts_head + 1) % p->bursts_cap;
		p->bursts_alive--;
	}
	kfree(p->bursts);
	p->bursts = NULL;
	oracle_held_free_all(p);
	p->zone = NULL;
}

void oracle_pressure_show(struct seq_file *m, const struct oracle_pressure_stats *st)
{
	seq_printf(m, "pressure_zone %s\n", st->zone_name);
	seq_printf(m, "pressure_target_min_pages %llu\npressure_target_max_pages %llu\npressure_ticks %llu\n",
		   st->target_min_pages, st->target_max_pages, st->ticks);
	seq_printf(m, "pressure_free_pages_lowest %llu\npressure_free_pages_highest %llu\n",
		   st->free_lowest_pages, st->free_highest_pages);
	seq_printf(m, "pressure_filler_pages %llu\npressure_released_pages %llu\npressure_bursts %llu\n",
		   st->filler_pages, st->released_pages, st->bursts);
	seq_printf(m, "pressure_bursts_between_events %llu\npressure_burst_pages %llu\npressure_burst_failed_pages %llu\n",
		   st->bursts_between_events, st->burst_pages, st->burst_failed_pages);
	seq_printf(m, "pressure_burst_other_zone %llu\npressure_borrowed_pages %llu\n",
		   st->burst_other_zone, st->borrowed_pages);
	seq_printf(m, "pressure_kswapd_wakeups %llu\npressure_kswapd_reclaimed_pages %llu\n",
		   st->kswapd_wakeups, st->kswapd_reclaimed_pages);
	seq_printf(m, "pressure_watermark_boost_max_pages %llu\npressure_boosted_ticks %llu\n",
		   st->watermark_boost_max_pages, st->boosted_ticks);
	seq_printf(m, "pressure_guest_kswapd_runs %llu\npressure_vmstat_drift_max_pages %llu\n",
		   st->guest_kswapd_runs, st->vmstat_drift_max_pages);
	seq_printf(m, "pressure_blocks_above_order %llu\npressure_refragmented_blocks %llu\n",
		   st->blocks_above_order, st->refragmented_blocks);
	seq_printf(m, "pressure_highatomic_pages_at_start %llu\n", st->highatomic_pages_at_start);
}

void oracle_pressure_get_stats(const struct oracle_pressure *p, struct oracle_pressure_stats *st)
{
	*st = p->st;
}
