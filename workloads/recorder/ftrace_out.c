// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_out.c - the ftrace text writer (ftrace_out.h).
 *
 * The line layout is the kernel's: trace_print_context() "%16s-%-7d [%03d] ",
 * trace_print_lat_fmt() for the flags, "%5lu.%06lu: " with the nanoseconds
 * rounded to the nearest microsecond (ns2usecs()), then the event's
 * TP_printk from include/trace/events/iommu.h as of 5.17.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ftrace_out.h"

struct ftrace_out {
	char *path;
	char *tmp_path;		/* PATH.tmp.PID; unused for stdout */
	FILE *dest;		/* tmp_path (or stdout), opened at once: a bad path fails early */
	gzFile gz;		/* tmp_path, for a PATH ending in .gz */
	FILE *body;		/* the event lines, until close */
	uint64_t nr_lines;
	int error;		/* first errno met while writing */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int ftrace_out_open(const char *path, struct ftrace_out **out, char *err, size_t err_bytes)
{
	struct ftrace_out *o;
	size_t n = strlen(path) + 32;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (!o)
		goto nomem;
	o->path = strdup(path);
	o->tmp_path = malloc(n);
	if (!o->path || !o->tmp_path)
		goto nomem;
	snprintf(o->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
	if (!strcmp(path, "-"))
		o->dest = stdout;
	else if (ends_with(path, ".gz"))
		o->gz = gzopen(o->tmp_path, "wb9");
	else
		o->dest = fopen(o->tmp_path, "w");
	if (!o->dest && !o->gz) {
		int ret = errno ? -errno : -ENOMEM;

		snprintf(err, err_bytes, "%s: cannot create %s: %s", path, o->tmp_path, strerror(-ret));
		ftrace_out_abort(o);
		return ret;
	}
	o->body = tmpfile();
	if (!o->body) {
		int ret = -errno;

		snprintf(err, err_bytes, "%s: cannot create a temporary file: %s", path, strerror(errno));
		ftrace_out_abort(o);
		return ret;
	}
	*out = o;
	return 0;
nomem:
	snprintf(err, err_bytes, "%s: out of memory", path);
	ftrace_out_abort(o);
	return -ENOMEM;
}

/* trace_print_lat_fmt(): hardirq/softirq column. */
static char hardsoft_char(uint8_t ctx)
{
	bool nmi = ctx & TRACE_CTX_NMI, hard = ctx & TRACE_CTX_HARDIRQ, soft = ctx & TRACE_CTX_SOFTIRQ;

	return nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';
}

int ftrace_out_write(struct ftrace_out *o, const struct trace_event *ev, const char *comm,
		     bool irqs_known)
{
	uint64_t us = (ev->ts_ns + 500) / 1000;
	char irqs = !irqs_known ? 'X' : (ev->ctx & TRACE_CTX_IRQS_OFF) ? 'd' : '.';
	int n;

	if (o->error)
		return -o->error;
	n = fprintf(o->body, "%16s-%-7" PRIu32 " [%03u] %c.%c.. %5" PRIu64 ".%06" PRIu64 ": ",
		    comm, ev->pid, (unsigned int)ev->cpu, irqs, hardsoft_char(ev->ctx),
		    us / 1000000, us % 1000000);
	if (n >= 0 && ev->op == TRACE_OP_MAP)
		n = fprintf(o->body, "map: IOMMU: iova=0x%016" PRIx64 " - 0x%016" PRIx64
			    " paddr=0x%016" PRIx64 " size=%" PRIu64 "\n",
			    ev->iova, ev->iova + ev->size_bytes, ev->paddr, ev->size_bytes);
	else if (n >= 0)
		n = fprintf(o->body, "unmap: IOMMU: iova=0x%016" PRIx64 " - 0x%016" PRIx64
			    " size=%" PRIu64 " unmapped_size=%" PRIu64 "\n",
			    ev->iova, ev->iova + ev->size_bytes, ev->size_bytes, ev->unmapped_bytes);
	if (n < 0) {
		o->error = errno ? errno : EIO;
		return -o->error;
	}
	o->nr_lines++;
	return 0;
}

/* Header then body into @gz or @f (exactly one of them). */
static int emit(struct ftrace_out *o, gzFile gz, FILE *f, uint64_t entries_written, int nr_cpus)
{
	char buf[65536];
	size_t n;
	int len;

	len = snprintf(buf, sizeof(buf),
		       "# tracer: nop\n#\n"
		       "# entries-in-buffer/entries-written: %" PRIu64 "/%" PRIu64 "   #P:%d\n#\n"
		       "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		       "#              | |         |   |||||     |         |\n",
		       o->nr_lines, entries_written, nr_cpus);
	if (gz ? gzwrite(gz, buf, (unsigned int)len) != len : fwrite(buf, 1, (size_t)len, f) != (size_t)len)
		return -EIO;
	rewind(o->body);
	while ((n = fread(buf, 1, sizeof(buf), o->body)) > 0)
		if (gz ? gzwrite(gz, buf, (unsigned int)n) != (int)n : fwrite(buf, 1, n, f) != n)
			return -EIO;
	return ferror(o->body) ? -EIO : 0;
}

int ftrace_out_close(struct ftrace_out *o, uint64_t entries_written, int nr_cpus,
		     char *err, size_t err_bytes)
{
	int ret;

	if (o->error) {
		ret = -o->error;
		snprintf(err, err_bytes, "%s: write error: %s", o->path, strerror(o->error));
		goto fail;
	}
	if (fflush(o->body)) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: write error: %s", o->path, strerror(errno));
		goto fail;
	}
	ret = emit(o, o->gz, o->gz ? NULL : o->dest, entries_written, nr_cpus);
	if (o->gz) {
		if (gzclose(o->gz) != Z_OK && !ret)
			ret = -EIO;
		o->gz = NULL;
	} else if (o->dest == stdout) {
		if (fflush(stdout) && !ret)
			ret = -EIO;
		o->dest = NULL;
	} else {
		if (fclose(o->dest) && !ret)
			ret = -EIO;
		o->dest = NULL;
	}
	if (ret) {
		snprintf(err, err_bytes, "%s: write error: %s", o->path, strerror(-ret));
		goto fail;
	}
	if (strcmp(o->path, "-") && rename(o->tmp_path, o->path)) {
		ret = -errno;
		snprintf(err, err_bytes, "%s: cannot rename %s: %s", o->path, o->tmp_path, strerror(errno));
		goto fail;
	}
	fclose(o->body);
	free(o->tmp_path);
	free(o->path);
	free(o);
	return 0;
fail:
	ftrace_out_abort(o);
	return ret;
}

void ftrace_out_abort(struct ftrace_out *o)
{
	if (!o)
		return;
	if (o->body)
		fclose(o->body);
	if (o->gz)
		gzclose(o->gz);
	if (o->dest && o->dest != stdout)
		fclose(o->dest);
	if (o->tmp_path && o->path && strcmp(o->path, "-"))
		unlink(o->tmp_path);
	free(o->tmp_path);
	free(o->path);
	free(o);
}
