/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim/stdint.h - the module build's <stdint.h>: the kernel compiles with
 * -nostdinc, and the shared model sources (iommu/v7s.c, iommu/iommu.c,
 * allocators/mm/prng.c, workloads/ptb.h) ask for the C99 headers only for the fixed-width types,
 * which <linux/types.h> defines under the same names.
 */
#ifndef PTB_KMOD_SHIM_STDINT_H
#define PTB_KMOD_SHIM_STDINT_H
#include <linux/limits.h>
#include <linux/types.h>
#define UINT64_MAX U64_MAX
#endif
