// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ftrace.c - libFuzzer target: any bytes read as ftrace text
 * (workloads/ftrace.c), format forced (input.h says what is checked).
 */
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_trace(data, size, TRACE_FORMAT_FTRACE);
}
