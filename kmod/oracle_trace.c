// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_trace.c - the module's .ptb v1 decoder (layout: workloads/ptb.h,
 * spec: workloads/README.md).  The host hands the guest a plain, ordered
 * .ptb (ptbench oracle writes it in the replay's event order); anything else
 * is refused with one line naming the field, and the module stays loaded.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>
#include <linux/vmalloc.h>

#include "oracle.h"
#include "ptb.h"

#define HEADER_BYTES	64u
#define RECORD_BYTES	56u
#define BLOCK_MAX_BYTES	4096u
#define F_ALL		(PTB_F_CPU | PTB_F_CTX | PTB_F_DOMAIN | PTB_F_GFP | PTB_F_PID)
#define MAX_RECORDS	(64ull << 20)	/* 3.5 GiB of records: more than a guest holds */
#define TRACE_MAX_BYTES	(1024ul << 20)

int oracle_trace_parse(const u8 *buf, size_t bytes, struct oracle_trace *t,
		       char *err, size_t err_bytes)
{
	u32 version, header_bytes, record_bytes, flags;
	u64 nr, declared, i;

	memset(t, 0, sizeof(*t));
	if (bytes < HEADER_BYTES) {
		snprintf(err, err_bytes, "ptb header cut short: %zu of %u bytes", bytes, HEADER_BYTES);
		return -EINVAL;
	}
	if (memcmp(buf, PTB_MAGIC, 8)) {
		snprintf(err, err_bytes, "not a .ptb: the file does not start with \"%s\"", PTB_MAGIC);
		return -EINVAL;
	}
	version = get_unaligned_le32(buf + 8);
	header_bytes = get_unaligned_le32(buf + 12);
	record_bytes = get_unaligned_le32(buf + 16);
	flags = get_unaligned_le32(buf + 20);
	declared = get_unaligned_le64(buf + 24);
	if (version != PTB_VERSION) {
		snprintf(err, err_bytes, "ptb version %u: this module reads version %u only",
			 version, PTB_VERSION);
		return -EINVAL;
	}
	if (header_bytes < HEADER_BYTES || header_bytes > BLOCK_MAX_BYTES || header_bytes % 8 ||
	    header_bytes > bytes) {
		snprintf(err, err_bytes, "ptb header_bytes %u: expected a multiple of 8 in [%u, %u] within the file",
			 header_bytes, HEADER_BYTES, BLOCK_MAX_BYTES);
		return -EINVAL;
	}
	if (record_bytes < RECORD_BYTES || record_bytes > BLOCK_MAX_BYTES || record_bytes % 8) {
		snprintf(err, err_bytes, "ptb record_bytes %u: expected a multiple of 8 in [%u, %u]",
			 record_bytes, RECORD_BYTES, BLOCK_MAX_BYTES);
		return -EINVAL;
	}
	if (flags & ~F_ALL) {
		snprintf(err, err_bytes, "ptb flags 0x%x: unknown bits 0x%x", flags, flags & ~F_ALL);
		return -EINVAL;
	}
	if ((bytes - header_bytes) % record_bytes) {
		snprintf(err, err_bytes, "record %zu cut short: %zu of %u bytes (the file is truncated)",
			 (bytes - header_bytes) / record_bytes, (bytes - header_bytes) % record_bytes,
			 record_bytes);
		return -EINVAL;
	}
	nr = (bytes - header_bytes) / record_bytes;
	if (declared && declared != nr) {
		snprintf(err, err_bytes, "header says %llu records, the file holds %llu", declared, nr);
		return -EINVAL;
	}
	if (nr > MAX_RECORDS) {
		snprintf(err, err_bytes, "%llu records: more than %llu", nr, MAX_RECORDS);
		return -EINVAL;
	}
	t->ev = vmalloc(array_size(nr ? nr : 1, sizeof(*t->ev)));
	if (!t->ev) {
		snprintf(err, err_bytes, "no memory for %llu events", nr);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		const u8 *b = buf + header_bytes + i * record_bytes;
		struct oracle_event *ev = &t->ev[i];

		ev->ts_ns = get_unaligned_le64(b + 0);
		ev->iova = get_unaligned_le64(b + 8);
		ev->paddr = get_unaligned_le64(b + 16);
		ev->size_bytes = get_unaligned_le64(b + 24);
		ev->unmapped_bytes = get_unaligned_le64(b + 32);
		/* fields the header does not promise read as 0 (workloads/trace.h) */
		ev->domain = flags & PTB_F_DOMAIN ? get_unaligned_le32(b + 40) : 0;
		ev->gfp = flags & PTB_F_GFP ? get_unaligned_le32(b + 44) : 0;
		ev->cpu = flags & PTB_F_CPU ? get_unaligned_le16(b + 52) : 0;
		ev->op = b[54];
		if (ev->op != 1 && ev->op != 2) {
			snprintf(err, err_bytes, "record %llu: op %u is neither 1 (map) nor 2 (unmap)",
				 i, ev->op);
			oracle_trace_free(t);
			return -EINVAL;
		}
	}
	t->nr = nr;
	t->flags = flags;
	return 0;
}

void oracle_trace_free(struct oracle_trace *t)
{
	vfree(t->ev);
	t->ev = NULL;
	t->nr = 0;
}

ssize_t oracle_trace_buf_write(struct oracle_trace_buf *b, const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	if (*ppos == 0)
		b->bytes = 0;	/* a new write of the file starts a new trace */
	if (count > TRACE_MAX_BYTES - b->bytes)
		return -EFBIG;
	if (*ppos != b->bytes)
		return -EINVAL;
	if (b->bytes + count > b->cap) {
		size_t cap = max_t(size_t, 2 * b->cap, b->bytes + count);
		u8 *grown = vmalloc(cap);

		if (!grown)
			return -ENOMEM;
		if (b->bytes)
			memcpy(grown, b->buf, b->bytes);
		vfree(b->buf);
		b->buf = grown;
		b->cap = cap;
	}
	if (copy_from_user(b->buf + b->bytes, ubuf, count))
		return -EFAULT;
	b->bytes += count;
	*ppos += count;
	return count;
}

void oracle_trace_buf_free(struct oracle_trace_buf *b)
{
	vfree(b->buf);
	*b = (struct oracle_trace_buf){ 0 };
}
