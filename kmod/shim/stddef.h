/* SPDX-License-Identifier: GPL-2.0 */
/* shim/stddef.h - the module build's <stddef.h>: size_t, NULL (see stdint.h). */
#ifndef PTB_KMOD_SHIM_STDDEF_H
#define PTB_KMOD_SHIM_STDDEF_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
