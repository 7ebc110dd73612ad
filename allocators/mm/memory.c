// SPDX-License-Identifier: GPL-2.0
/*
 * memory.c - the named memory layouts and the --memory parser.
 *
 * A layout is DRAM ranges, where the zones end, and what is already in use
 * at boot.  The reserved and boot figures are documented estimates, not
 * measurements, and every one can be overridden:
 *   reserved  memblock reservations never managed by the buddy allocator:
 *             the memmap (64 B per 4 KiB page: 64 MiB for 4 GiB), the
 *             kernel image and data, firmware carve-outs.
 *   boot      memory kernel and user space hold once booted, spread over the
 *             zones in proportion to their size: movable (page cache, anon),
 *             reclaimable (dentries, inodes) and the rest unmovable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

static const struct memory_layout layouts[] = {
	{
		.name = "mt8173-4g",
		.what = "MT8173 Chromebook, 4 GiB at 0x4000_0000: 3 GiB below 4 GiB + 1 GiB ZONE_NORMAL (arm64)",
		.nr_ranges = 1,
		.dram = { { 0x40000000ULL, 0x140000000ULL } },
		.arm64 = true,
		.zone_dma32_end = SZ_4G,
		.reserved_bytes = 96 * MIB_BYTES,
		.boot_used_bytes = 1024 * MIB_BYTES,
		.boot_movable_pct = 70,
		.boot_reclaimable_pct = 15,
	},
	{
		.name = "mt8173-2g",
		.what = "MT8173 Chromebook, 2 GiB at 0x4000_0000: all below 4 GiB (arm64)",
		.nr_ranges = 1,
		.dram = { { 0x40000000ULL, 0xc0000000ULL } },
		.arm64 = true,
		.zone_dma32_end = SZ_4G,
		.reserved_bytes = 64 * MIB_BYTES,
		.boot_used_bytes = 768 * MIB_BYTES,
		.boot_movable_pct = 70,
		.boot_reclaimable_pct = 15,
	},
	{
		/*
		 * qemu -machine pc,max-ram-below-4g=3G -m 4G: e820 RAM at
		 * 4 KiB..0x9f000, 1 MiB..0xbffe0000 and 4..5 GiB; the guest
		 * reports ZONE_DMA32 present 782304 pages from pfn 4096
		 * (docs/qemu-lab.md, "Machines").  A busybox guest uses little.
		 */
		.name = "x86-3g1g",
		.what = "x86-64 qemu pc guest, -m 4G max-ram-below-4g=3G: DMA 16 MiB, DMA32 to 3 GiB, NORMAL 4..5 GiB",
		.nr_ranges = 3,
		.dram = { { 0x1000ULL, 0x9f000ULL },
			  { 0x100000ULL, 0xbffe0000ULL },
			  { 0x100000000ULL, 0x140000000ULL } },
		.arm64 = false,
		.zone_dma_end = 16 * MIB_BYTES,
		.zone_dma32_end = SZ_4G,
		.reserved_bytes = 112 * MIB_BYTES,
		.boot_used_bytes = 64 * MIB_BYTES,
		/*
		 * Nothing of it reclaimable: the guest's files are its
		 * initramfs, in RAM, and it has no swap, so no kswapd can
		 * give any of it back (ptb_oracle.ko's kswapd reclaims only
		 * what its scenario took, as the model's then does).
		 */
		.boot_movable_pct = 0,
		.boot_reclaimable_pct = 0,
	},
};

const struct memory_layout *memory_layout_get(unsigned int i)
{
	return i < ARRAY_SIZE(layouts) ? &layouts[i] : NULL;
}

const struct memory_layout *memory_layout_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++)
		if (!strcmp(layouts[i].name, name))
			return &layouts[i];
	return NULL;
}

/* "3G", "0x40000000", "512M": bytes. Returns 0 or -EINVAL. */
static int parse_bytes(const char *s, const char *end, uint64_t *out)
{
	char buf[32];
	char *tail;
	uint64_t v, mult = 1;
	size_t n = (size_t)(end - s);

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoull(buf, &tail, 0);
	if (errno || tail == buf)
		return -EINVAL;
	switch (*tail) {
	case 'K': case 'k': mult = KIB_BYTES; tail++; break;
	case 'M': case 'm': mult = MIB_BYTES; tail++; break;
	case 'G': case 'g': mult = GIB_BYTES; tail++; break;
	default: break;
	}
	if (*tail || (v && mult > UINT64_MAX / v))
		return -EINVAL;
	*out = v * mult;
	return 0;
}

static int parse_ranges(const char *s, const char *end, struct memory_layout *l)
{
	l->nr_ranges = 0;
	while (s < end) {
		const char *plus = memchr(s, '+', (size_t)(end - s));
		const char *stop = plus ? plus : end;
		const char *dash = memchr(s, '-', (size_t)(stop - s));
		uint64_t a, b;

		if (!dash || l->nr_ranges == MEMORY_MAX_RANGES ||
		    parse_bytes(s, dash, &a) || parse_bytes(dash + 1, stop, &b) || b <= a)
			return -EINVAL;
		l->dram[l->nr_ranges].start = a;
		l->dram[l->nr_ranges].end = b;
		l->nr_ranges++;
		s = plus ? plus + 1 : end;
	}
	return l->nr_ranges ? 0 : -EINVAL;
}

static int parse_pct(const char *s, const char *end, unsigned int *out)
{
	uint64_t v;

	if (parse_bytes(s, end, &v) || v > 100)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* One key=value of the override list or of the free form. */
static int parse_key(const char *key, const char *val, const char *end,
		     struct memory_layout *l, bool free_form)
{
	size_t klen = (size_t)(val - 1 - key);

#define KEY(k) (klen == strlen(k) && !strncmp(key, k, klen))
	if (KEY("reserved"))
		return parse_bytes(val, end, &l->reserved_bytes);
	if (KEY("boot"))
		return parse_bytes(val, end, &l->boot_used_bytes);
	if (KEY("movable"))
		return parse_pct(val, end, &l->boot_movable_pct);
	if (KEY("reclaimable"))
		return parse_pct(val, end, &l->boot_reclaimable_pct);
	if (free_form && KEY("dram"))
		return parse_ranges(val, end, l);
	if (free_form && KEY("dma"))
		return parse_bytes(val, end, &l->zone_dma_end);
	if (free_form && KEY("dma32"))
		return parse_bytes(val, end, &l->zone_dma32_end);
	if (free_form && KEY("arch")) {
		if ((size_t)(end - val) == 5 && !strncmp(val, "arm64", 5))
			l->arm64 = true;
		else if ((size_t)(end - val) == 3 && !strncmp(val, "x86", 3))
			l->arm64 = false;
		else
			return -EINVAL;
		return 0;
	}
#undef KEY
	return -EINVAL;
}

int memory_layout_parse(const char *arg, struct memory_layout *out, char *err, size_t err_bytes)
{
	const char *colon = strchr(arg, ':');
	const char *s;
	bool free_form = !strncmp(arg, "dram=", 5);
	size_t name_len = colon ? (size_t)(colon - arg) : strlen(arg);

	if (free_form) {
		*out = (struct memory_layout){
			.name = "custom",
			.what = "free form",
			.zone_dma32_end = SZ_4G,
			.arm64 = true,
		};
		s = arg;
	} else {
		const struct memory_layout *l = NULL;

		for (size_t i = 0; i < ARRAY_SIZE(layouts); i++)
			if (strlen(layouts[i].name) == name_len &&
			    !strncmp(layouts[i].name, arg, name_len))
				l = &layouts[i];
		if (!l) {
			snprintf(err, err_bytes, "unknown memory layout '%.*s' (see `ptbench list memories`)",
				 (int)name_len, arg);
			return -EINVAL;
		}
		*out = *l;
		s = colon ? colon + 1 : arg + name_len;
	}
	while (*s) {
		/* keys are separated by ',' (or ':' after a free-form dram=) */
		const char *end = s + strcspn(s, ",:");
		const char *eq = memchr(s, '=', (size_t)(end - s));

		if (!eq || parse_key(s, eq + 1, end, out, free_form)) {
			snprintf(err, err_bytes, "bad memory option '%.*s' in '%s'",
				 (int)(end - s), s, arg);
			return -EINVAL;
		}
		s = *end ? end + 1 : end;
	}
	if (out->boot_movable_pct + out->boot_reclaimable_pct > 100) {
		snprintf(err, err_bytes, "movable + reclaimable boot shares exceed 100%% in '%s'", arg);
		return -EINVAL;
	}
	return 0;
}
