/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kver.h - the kernel versions ptbench models.  Freestanding (no include at
 * all): the rules that are compiled into ptb_oracle.ko as well (iommu/v7s_rules.c,
 * watermark.c) are tables indexed by it.  Everything else a version changes
 * is in kernel.h's struct kernel_rules.
 */
#ifndef PTB_KVER_H
#define PTB_KVER_H

enum kver {
	KVER_4_19,	/* the regression and the upstream debate (default) */
	KVER_5_4,
	KVER_5_10,	/* Debian 11: the oracle's third kernel */
	KVER_6_1,	/* Debian 12: the real kernel of the qemu oracle */
	KVER_6_12,	/* Debian 13: the oracle's second kernel */
	KVER_6_13,
	KVER_7_2,	/* Debian unstable (7.2.13): the oracle's fourth kernel */
	KVER_NR,
};

#endif /* PTB_KVER_H */
