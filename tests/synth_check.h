/* SPDX-License-Identifier: GPL-2.0 */
/*
 * synth_check.h - the streaming checker the synthetic workload tests
 * (test_synth.c, test_frag_worst.c) run every event of a workload through:
 * time order, the fields a recorder would fill, IOVAs inside the space, no
 * map over a live range, every unmap covering exactly the runs one buffer
 * mapped, aligned as alloc_iova_fast aligns it; run() generates a workload
 * through it and fails on the first violation.
 * Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef PTB_TESTS_SYNTH_CHECK_H
#define PTB_TESTS_SYNTH_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/synth.h"
#include "trace_reader.h"

#define PAGE_BYTES	4096ULL
#define GIB4		(1ULL << 32)
#define GIB16		(1ULL << 34)		/* mtk16g: four 4 GiB regions */
#define DRAM_START	0x40000000ULL		/* mt8173-4g */
#define DRAM_END	0x140000000ULL
#define GFP_ATOMIC_419	0x480020u		/* ptbench's gfp encoding (4.19 bits) */
#define ALL_FIELDS	(TRACE_HAS_CPU | TRACE_HAS_CTX | TRACE_HAS_DOMAIN | TRACE_HAS_GFP | TRACE_HAS_PID)
#define SEC		1000000000ULL
#define MIN(a, b)	((a) < (b) ? (a) : (b))

/* ---- a streaming checker of a workload's events ---- */

/*
 * Live mappings: a bit per IOVA page of the 16 GiB space (overlaps), and the
 * runs by first page in an open-addressed table (an unmap must consume whole
 * runs).  Both cost the same whatever the number of live buffers.
 */
#define IOVA_PAGES	(1u << 22)
#define RUN_SLOTS	(1u << 17)

struct run_slot {
	uint32_t first;			/* first page + 1; 0 = empty */
	uint32_t end;			/* one past the last page */
};

#define SIZE_SLOTS	4096

struct size_count {
	uint32_t pid;
	uint64_t size;		/* 0 = empty slot */
	uint64_t count;
};

struct checker {
	uint64_t iova_end;		/* IOVAs must end at or below: 4 GiB, mtk16g 16 GiB */
	uint64_t above_4g_maps;		/* maps whose IOVA is at or above 4 GiB */
	uint64_t busy[IOVA_PAGES / 64];
	struct run_slot runs[RUN_SLOTS];
	uint64_t nr_runs;
	uint64_t events, maps, unmaps, last_ts;
	uint64_t violations;
	char first[256];		/* the first violation, for the failure message */
	uint64_t hash;			/* FNV-1a over every field */
	struct size_count unmap_sizes[SIZE_SLOTS];
	uint64_t pid_maps[4096], pid_unmaps[4096];	/* by pid (all below 4096) */
	/* per-test hook, called after the generic checks */
	void (*on_event)(struct checker *c, const struct trace_event *ev);
	void *priv;
};

static inline void violation(struct checker *c, const struct trace_event *ev, const char *what)
{
	if (!c->violations++)
		snprintf(c->first, sizeof(c->first), "event %llu (op %u iova 0x%llx size %llu t %llu): %s",
			 (unsigned long long)c->events, ev->op, (unsigned long long)ev->iova,
			 (unsigned long long)ev->size_bytes, (unsigned long long)ev->ts_ns, what);
}

static inline void hash_u64(struct checker *c, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		c->hash ^= (v >> (8 * i)) & 0xff;
		c->hash *= 0x100000001b3ULL;
	}
}

/* Count the busy pages of [first, end) and set (on) or clear them. */
static inline uint64_t busy_update(struct checker *c, uint32_t first, uint32_t end, bool on)
{
	uint64_t n = 0;

	for (uint32_t p = first; p < end;) {
		uint32_t w = p / 64, lo = p % 64, hi = MIN(64u, lo + (end - p));
		uint64_t mask = (hi - lo == 64 ? ~0ULL : ((1ULL << (hi - lo)) - 1)) << lo;

		n += (uint64_t)__builtin_popcountll(c->busy[w] & mask);
		c->busy[w] = on ? c->busy[w] | mask : c->busy[w] & ~mask;
		p += hi - lo;
	}
	return n;
}

static inline uint32_t run_home(uint32_t first)
{
	return (uint32_t)((first * 2654435761u) % RUN_SLOTS);
}

static inline void run_insert(struct checker *c, uint32_t first, uint32_t end)
{
	uint32_t i = run_home(first);

	assert_true(c->nr_runs < RUN_SLOTS / 2);
	while (c->runs[i].first)
		i = (i + 1) % RUN_SLOTS;
	c->runs[i] = (struct run_slot){ first + 1, end };
	c->nr_runs++;
}

/* Remove the run starting at @first; its end, or 0 when there is none. */
static inline uint32_t run_take(struct checker *c, uint32_t first)
{
	uint32_t i = run_home(first), end, j;

	while (c->runs[i].first && c->runs[i].first != first + 1)
		i = (i + 1) % RUN_SLOTS;
	if (!c->runs[i].first)
		return 0;
	end = c->runs[i].end;
	/* backward-shift deletion keeps every probe chain whole */
	for (j = (i + 1) % RUN_SLOTS; c->runs[j].first; j = (j + 1) % RUN_SLOTS) {
		uint32_t h = run_home(c->runs[j].first - 1);

		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			c->runs[i] = c->runs[j];
			i = j;
		}
	}
	c->runs[i].first = 0;
	c->nr_runs--;
	return end;
}

static inline void count_unmap_size(struct checker *c, uint32_t pid, uint64_t size)
{
	uint64_t h = (size * 0x9e3779b97f4a7c15ULL) ^ pid;

	for (uint64_t i = 0; i < SIZE_SLOTS; i++) {
		struct size_count *s = &c->unmap_sizes[(h + i) % SIZE_SLOTS];

		if (!s->size) {
			s->pid = pid;
			s->size = size;
		}
		if (s->size == size && s->pid == pid) {
			s->count++;
			return;
		}
	}
	fail_msg("more than %d (pid, size) pairs", SIZE_SLOTS);
}

static inline uint64_t unmaps_of(const struct checker *c, uint32_t pid, uint64_t size)
{
	for (int i = 0; i < SIZE_SLOTS; i++)
		if (c->unmap_sizes[i].size == size && c->unmap_sizes[i].pid == pid)
			return c->unmap_sizes[i].count;
	return 0;
}

static inline uint64_t roundup_pow2(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static inline void check_map(struct checker *c, const struct trace_event *ev)
{
	uint32_t first = (uint32_t)(ev->iova / PAGE_BYTES);
	uint32_t end = (uint32_t)((ev->iova + ev->size_bytes) / PAGE_BYTES);

	if (ev->gfp != GFP_ATOMIC_419)
		violation(c, ev, "map gfp is not GFP_ATOMIC (iommu_map_sg_atomic)");
	if (ev->paddr % PAGE_BYTES || ev->paddr < DRAM_START || ev->paddr + ev->size_bytes > DRAM_END)
		violation(c, ev, "paddr outside mt8173-4g DRAM or unaligned");
	if (busy_update(c, first, end, true)) {
		violation(c, ev, "map overlaps a live range");
		return;
	}
	run_insert(c, first, end);
}

/* The unmap must cover exactly consecutive live runs from its iova. */
static inline void check_unmap(struct checker *c, const struct trace_event *ev)
{
	uint32_t first = (uint32_t)(ev->iova / PAGE_BYTES);
	uint32_t end = (uint32_t)((ev->iova + ev->size_bytes) / PAGE_BYTES), at = first;
	uint64_t pages = ev->size_bytes / PAGE_BYTES;

	if (ev->unmapped_bytes != ev->size_bytes)
		violation(c, ev, "unmapped_size != size");
	/* alloc_iova_fast: size-aligned to roundup_pow_of_two(pages) */
	if (ev->iova % (roundup_pow2(pages) * PAGE_BYTES))
		violation(c, ev, "IOVA not aligned to roundup_pow_of_two(size)");
	while (at < end) {
		uint32_t next = run_take(c, at);

		if (!next || next > end) {
			violation(c, ev, "unmap does not match the runs of one mapped buffer");
			return;
		}
		at = next;
	}
	if (busy_update(c, first, end, false) != pages)
		violation(c, ev, "unmap of pages not mapped");
	count_unmap_size(c, ev->pid, ev->size_bytes);
}

static inline int check_event(void *ctx, const struct trace_event *ev)
{
	struct checker *c = ctx;

	if (ev->ts_ns < c->last_ts)
		violation(c, ev, "time goes backwards");
	if (ev->has != ALL_FIELDS || ev->domain != 1 || ev->cpu >= 4 || ev->ctx || ev->pid >= 4096)
		violation(c, ev, "fields: domain 1, CPU 0..3, process context, pid");
	if (ev->iova % PAGE_BYTES || ev->size_bytes % PAGE_BYTES || !ev->size_bytes ||
	    ev->iova < PAGE_BYTES || ev->iova + ev->size_bytes > (c->iova_end ? c->iova_end : GIB4))
		violation(c, ev, "IOVA range outside [4 KiB, 4 GiB) (mtk16g: 16 GiB) or unaligned");
	else if (ev->op == TRACE_OP_MAP)
		check_map(c, ev);
	else if (ev->op == TRACE_OP_UNMAP)
		check_unmap(c, ev);
	else
		violation(c, ev, "op");
	if (ev->op == TRACE_OP_MAP) {
		c->maps++;
		c->above_4g_maps += ev->iova >= GIB4;
		c->pid_maps[ev->pid % 4096]++;
	} else {
		c->unmaps++;
		c->pid_unmaps[ev->pid % 4096]++;
		if (ev->gfp)
			violation(c, ev, "unmap with a gfp");
	}
	hash_u64(c, ev->ts_ns);
	hash_u64(c, ev->iova);
	hash_u64(c, ev->paddr);
	hash_u64(c, ev->size_bytes);
	hash_u64(c, (uint64_t)ev->pid << 32 | (uint64_t)ev->cpu << 8 | ev->op);
	c->last_ts = ev->ts_ns;
	c->events++;
	if (c->on_event)
		c->on_event(c, ev);
	return 0;
}

static inline struct checker *checker_new(void)
{
	struct checker *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->hash = 0xcbf29ce484222325ULL;
	return c;
}

static inline void checker_free(struct checker *c)
{
	free(c);
}

/* Generate @name and run every generic check; the checker stays for counting. */
static inline void run(struct checker *c, const char *name, uint64_t seed, uint64_t max_events,
		uint64_t duration_s, struct synth_result *res)
{
	const struct synth_workload *w = synth_workload_find(name);
	struct synth_opts o = { .seed = seed, .max_events = max_events, .duration_ns = duration_s * SEC };
	char err[256] = "";

	assert_non_null(w);
	c->iova_end = !strcmp(name, "mtk16g") ? GIB16 : GIB4;
	if (synth_generate(w, &o, check_event, c, res, err, sizeof(err)))
		fail_msg("synth %s: %s", name, err);
	if (c->violations)
		fail_msg("synth %s seed %llu: %llu violations, first: %s", name,
			 (unsigned long long)seed, (unsigned long long)c->violations, c->first);
	assert_int_equal(res->events, c->events);
	assert_int_equal(res->maps, c->maps);
	assert_int_equal(res->unmaps, c->unmaps);
}

#endif /* PTB_TESTS_SYNTH_CHECK_H */
