/* SPDX-License-Identifier: GPL-2.0 */
/* shim/stdbool.h - the module build's <stdbool.h>: bool, true, false (see stdint.h). */
#ifndef PTB_KMOD_SHIM_STDBOOL_H
#define PTB_KMOD_SHIM_STDBOOL_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
