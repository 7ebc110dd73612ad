/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pt_backends.h - the backends by id: each one's name and whether
 * ptb_oracle.ko has a kernel twin of it (the same allocator on the real
 * kernel, kmod/oracle_alloc.c).  Freestanding (<stdbool.h> only): compiled
 * into ptbench (the registry, `ptbench oracle`'s list) and into the module
 * (its backends, indexed by the same ids), so the names and the list of
 * kernel runs are written once.
 */
#ifndef PTB_PT_BACKENDS_H
#define PTB_PT_BACKENDS_H

#include <stdbool.h>

enum pt_backend_id {
	PT_BACKEND_SLAB_DMA,
	PT_BACKEND_SLAB_DMA32,
	PT_BACKEND_GENALLOC_4M,
	PT_BACKEND_PAGE_FRAG,
	PT_BACKEND_KZALLOC_DMA32,
	PT_BACKEND_PAGE_PER_TABLE,
	PT_BACKEND_PT_FRAG,
	PT_BACKEND_GENALLOC_GROW,
	PT_BACKEND_SLAB_DMA32_RESERVE,
	PT_BACKEND_NR,
};

struct pt_backend_name {
	const char *name;		/* "slab-dma32": ptbench's --backend, the module's backend= */
	bool kernel_twin;		/* ptb_oracle.ko has it on the real allocators */
};

extern const struct pt_backend_name pt_backend_names[PT_BACKEND_NR];

/*
 * Another name of a backend: kernel code that allocates exactly as the
 * backend does in every number ptbench measures.  Its runs carry the
 * backend's own name; `list -v backends` shows it, `list backends` not.
 */
struct pt_backend_alias {
	const char *name;
	enum pt_backend_id id;
	const char *why;		/* one line: the kernel code and why it is the same */
};

#define PT_BACKEND_ALIAS_NR 1
extern const struct pt_backend_alias pt_backend_aliases[PT_BACKEND_ALIAS_NR];

/* The id named @name (a backend's name or an alias), PT_BACKEND_NR if none is. */
enum pt_backend_id pt_backend_id_of(const char *name);

/*
 * The options two backends take, their defaults and bounds: the model
 * (genalloc_grow.c, slab_dma32_reserve.c) and its kernel twin (kmod/
 * oracle_genalloc_grow.c, oracle_mempool.c) read them from here, and
 * `ptbench oracle` hands the resolved values to the module.
 *
 * genalloc-grow's chunk (--genalloc-grow-chunk): by default 32 KiB, order 3 =
 * PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h); a power of two from one
 * page to 4 MiB.  The pool stops growing at 64 MiB (16 page tables' worth of
 * tables, 4096 each): a bound of the model's, which sizes its bitmaps up
 * front; the twin keeps it so that both refuse the same chunk.
 */
#define PT_GROW_CHUNK_BYTES_DEFAULT	(32ull << 10)
#define PT_GROW_CHUNK_BYTES_MIN		(4ull << 10)
#define PT_GROW_CHUNK_BYTES_MAX		(4ull << 20)
#define PT_GROW_POOL_BYTES_MAX		(64ull << 20)
/* slab-dma32-reserve's mempool min_nr (--reserve-objects): one order-3 slab of 1 KiB objects. */
#define PT_RESERVE_OBJECTS_DEFAULT	32u
#define PT_RESERVE_OBJECTS_MAX		4096u

/* True when @bytes is a chunk genalloc-grow takes: a power of two within the bounds. */
bool pt_grow_chunk_ok(unsigned long long bytes);
/* The page order of a chunk pt_grow_chunk_ok() accepts (4 KiB pages). */
unsigned int pt_grow_chunk_order(unsigned long long bytes);

#endif /* PTB_PT_BACKENDS_H */
