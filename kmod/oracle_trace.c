// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_trace.c - the trace written to debugfs, and its records: the host
 * hands the guest a plain, ordered .ptb (ptbench oracle writes it in the
 * replay's event order), judged by ptbench's own decoder
 * (workloads/ptb_decode.c, compiled in): anything it refuses is refused here
 * with the same line, and the module stays loaded.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "oracle.h"
#include "ptb_decode.h"

#define MAX_RECORDS	(64ull << 20)	/* 3.5 GiB of records: more than a guest holds */
#define TRACE_MAX_BYTES	(1024ul << 20)

int oracle_trace_parse(const u8 *buf, size_t bytes, struct oracle_trace *t,
		       char *err, size_t err_bytes)
{
	struct ptb_layout l;
	struct trace_event ev;
	u64 nr, i;

	memset(t, 0, sizeof(*t));
	if (ptb_decode_header(buf, bytes, &l, err, err_bytes) ||
	    ptb_check_length(&l, bytes, err, err_bytes))
		return -EINVAL;
	nr = (bytes - l.header_bytes) / l.record_bytes;
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
		if (ptb_decode_record(&l, buf + l.header_bytes + i * l.record_bytes, i, &ev, err,
				      err_bytes)) {
			oracle_trace_free(t);
			return -EINVAL;
		}
		t->ev[i] = (struct oracle_event){
			.ts_ns = ev.ts_ns, .iova = ev.iova, .paddr = ev.paddr,
			.size_bytes = ev.size_bytes, .unmapped_bytes = ev.unmapped_bytes,
			.domain = ev.domain, .gfp = ev.gfp, .cpu = ev.cpu, .op = ev.op,
		};
	}
	t->nr = nr;
	t->flags = l.flags;
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
