// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ptb.c - libFuzzer target: any bytes read as .ptb v1 (workloads/ptb.c),
 * format forced, then written back through the .ptb writer (input.h says what
 * is checked).
 */
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_trace(data, size, TRACE_FORMAT_PTB);
}
