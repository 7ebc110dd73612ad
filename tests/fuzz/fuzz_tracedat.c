// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_tracedat.c - libFuzzer target: any bytes read as a trace.dat through
 * libtracecmd (workloads/tracedat.c), format forced (input.h says what is
 * checked).
 */
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_trace(data, size, TRACE_FORMAT_TRACE_DAT);
}
