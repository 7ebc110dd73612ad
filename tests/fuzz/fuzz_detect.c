// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_detect.c - libFuzzer target: any bytes, gzip'd or not, through format
 * detection (workloads/trace_detect.c) into whichever reader it picks
 * (input.h says what is checked).
 */
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_trace(data, size, FUZZ_DETECT);
}
