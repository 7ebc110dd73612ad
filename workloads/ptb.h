/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptb.h - ptbench's own binary trace format, version 1 (spec: workloads/README.md).
 *
 * A file is one header followed by fixed-size records, all little-endian,
 * optionally gzip-compressed as a whole (.ptb.gz).  Readers must check magic,
 * version, header_bytes and record_bytes; a file whose length is not
 * header_bytes + n * record_bytes is truncated and is an error.
 * This header is plain C with no libc dependency beyond <stdint.h>, so the
 * BPF recorder and the oracle kernel module can include it.
 */
#ifndef PTB_PTB_H
#define PTB_PTB_H

#include <stdint.h>

#define PTB_MAGIC "PTBTRACE"		/* 8 bytes, no terminator */
#define PTB_VERSION 1u
#define PTB_HEADER_BYTES 64u		/* sizeof(struct ptb_header): the least a reader accepts */
#define PTB_HEADER_COUNTS_BYTES 80u	/* the header with struct ptb_header_counts after it */
#define PTB_RECORD_BYTES 56u		/* sizeof(struct ptb_record) */

/* header.flags: what every record of this file carries */
#define PTB_F_CPU	0x01u
#define PTB_F_CTX	0x02u
#define PTB_F_DOMAIN	0x04u
#define PTB_F_GFP	0x08u
#define PTB_F_PID	0x10u
#define PTB_F_ALL	(PTB_F_CPU | PTB_F_CTX | PTB_F_DOMAIN | PTB_F_GFP | PTB_F_PID)

/* The largest header_bytes and record_bytes a reader accepts. */
#define PTB_BLOCK_MAX_BYTES 4096u

struct ptb_header {			/* 64 bytes */
	char magic[8];			/* "PTBTRACE" */
	uint32_t version;		/* PTB_VERSION */
	uint32_t header_bytes;		/* sizeof(struct ptb_header) = 64 */
	uint32_t record_bytes;		/* sizeof(struct ptb_record) = 56 */
	uint32_t flags;			/* PTB_F_* */
	uint64_t nr_records;		/* 0 = unknown (a stream cut short is still checked by length) */
	uint32_t gfp_kver;		/* numbering of the gfp field: 0 = ptbench (4.19 bits) */
	uint32_t reserved0;
	char source[24];		/* "ptrec", "convert:ftrace", "synth:video", NUL padded */
};

struct ptb_record {			/* 56 bytes */
	uint64_t ts_ns;
	uint64_t iova;
	uint64_t paddr;			/* map; 0 for unmap */
	uint64_t size_bytes;		/* map: mapped; unmap: requested */
	uint64_t unmapped_bytes;	/* unmap: reported unmapped; 0 for map */
	uint32_t domain;		/* IOMMU domain id; 0 = unknown */
	uint32_t gfp;			/* caller's gfp, valid if PTB_F_GFP */
	uint32_t pid;
	uint16_t cpu;
	uint8_t op;			/* 1 = map, 2 = unmap */
	uint8_t ctx;			/* TRACE_CTX_* bits (trace.h) */
};

/*
 * What the trace lost before it became this file, right after struct
 * ptb_header when header_bytes >= PTB_HEADER_COUNTS_BYTES (ptbench writes
 * 80; a 64-byte header, as older writers made, has none: both read as 0).
 * A v1 reader that predates them skips them as any longer header.
 */
struct ptb_header_counts {		/* 16 bytes, at offset 64 */
	uint64_t lost_events;		/* the tracer's own count of events it dropped */
	uint64_t skipped_lines;		/* malformed lines convert --skip-bad left out */
};

_Static_assert(sizeof(struct ptb_header_counts) == 16, "ptb header counts are 16 bytes");
_Static_assert(sizeof(struct ptb_header) == 64, "ptb header is 64 bytes");
_Static_assert(sizeof(struct ptb_record) == 56, "ptb record is 56 bytes");

#endif /* PTB_PTB_H */
