/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_detect.h - format detection (trace_detect.c), for trace_reader.c.
 */
#ifndef PTB_TRACE_DETECT_H
#define PTB_TRACE_DETECT_H

#include "trace_reader.h"

/*
 * The format of a trace whose first (decompressed) bytes are @buf: .ptb or
 * trace.dat by their magic, else one of the text formats.  Returns 0 with
 * *out set, or -1 with the reason set on @r (binary data of no known
 * format, no event line of any text format).
 */
int trace_detect(struct trace_reader *r, const unsigned char *buf, size_t bytes,
		 enum trace_format *out);

#endif /* PTB_TRACE_DETECT_H */
