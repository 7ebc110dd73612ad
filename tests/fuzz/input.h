/* SPDX-License-Identifier: GPL-2.0 */
/*
 * input.h - what every fuzz target does with one input: put the bytes in a
 * memfd (the readers open paths: /proc/self/fd/N), read the whole trace
 * with and without skip_bad through trace_open()/trace_read_next(), and
 * abort() on any broken promise of trace_reader.h.
 */
#ifndef PTB_FUZZ_INPUT_H
#define PTB_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "trace_reader.h"

/* Pass as @format to let the reader detect the format (and gzip) itself. */
#define FUZZ_DETECT (-1)

/*
 * fuzz_read_trace() - one libFuzzer input through one reader.
 * @format: an enum trace_format forced on the reader, or FUZZ_DETECT.
 *
 * Checks, aborting on a violation: an error is one line "PATH: ..." or
 * "PATH:LINE: ..."; a failed or finished reader stays so; every event is a
 * map or an unmap; stats.events == maps + unmaps == events returned;
 * bad_lines_skipped == sum of skipped[] (and 0 without skip_bad); the
 * events read before a strict read's error are the first events of the
 * skip_bad read.  A .ptb's events also go through the writer and back.
 * Returns 0 (what LLVMFuzzerTestOneInput returns).
 */
int fuzz_read_trace(const uint8_t *data, size_t size, int format);

/* libFuzzer's entry point, one per target (tests/fuzz/fuzz_*.c). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* PTB_FUZZ_INPUT_H */
