// SPDX-License-Identifier: GPL-2.0
/*
 * ptrec.c - record IOMMU map/unmap events with their domain, gfp and
 * context from the running kernel, into a .ptb or an ftrace text file that
 * `ptbench replay` reads (workloads/recorder/README.md).
 *
 * The libbpf-tools shape: probe what the kernel has, open the skeleton,
 * set the const volatile knobs, load, attach piece by piece (saying what
 * could not be attached), poll the ring buffer, drain, summarize.  The BPF
 * side is ptrec.bpf.c; the shared layout is ptrec.h.
 *
 * Domain ids: the kernel's struct iommu_domain pointers, numbered 1, 2, ...
 * in the order this run first sees them (0 = the event paired with no call).
 */
#include <errno.h>
#include <getopt.h>
#include <argp.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "calls.h"
#include "ftrace_out.h"
#include "gfp.h"
#include "kgfp.h"
#include "kmem.h"
#include "ptrec.h"
#include "ptrec.skel.h"
#include "trace.h"
#include "trace_reader.h"

_Static_assert(PTREC_OP_MAP == TRACE_OP_MAP && PTREC_OP_UNMAP == TRACE_OP_UNMAP, "op numbers");
_Static_assert(PTREC_CTX_IRQS_OFF == TRACE_CTX_IRQS_OFF && PTREC_CTX_HARDIRQ == TRACE_CTX_HARDIRQ &&
	       PTREC_CTX_SOFTIRQ == TRACE_CTX_SOFTIRQ && PTREC_CTX_NMI == TRACE_CTX_NMI,
	       "context bits are trace.h's");

#define NS_PER_SEC		1000000000ull
#define NS_PER_MS		1000000ull
#define POLL_MAX_MS		100
#define DRAIN_TRIES		50	/* x 10 ms after detach, for programs still running */
#define BTF_PATH		"/sys/kernel/btf/vmlinux"
#define KALLSYMS_PATH		"/proc/kallsyms"
#define ZONEINFO_PATH		"/proc/zoneinfo"
#define EXIT_LOST		2

/* ---- options ---- */

enum out_format { OUT_PTB, OUT_FTRACE };

enum {
	OPT_KMEM = 1000,
	OPT_KMEM_INTERVAL,
	OPT_FENTRY,
	OPT_ALLOW_LOSS,
	OPT_LIST_ATTACHED,
	OPT_SHOW_GFP,
	OPT_GFP_FORMAT,
};

struct opts {
	double duration_s;		/* 0: until SIGINT / SIGTERM */
	const char *output;
	enum out_format format;
	const char *kmem_path;
	unsigned int kmem_interval_ms;
	unsigned int ringbuf_mb;
	const char *gfp_format_path;	/* NULL: tracefs's mm_page_alloc format */
	bool fentry;
	bool allow_loss;
	bool verbose;
	bool list_attached;
	bool show_gfp;
};

static const char doc[] =
	"Record IOMMU map/unmap events (tracepoints iommu:map, iommu:unmap) with the\n"
	"IOMMU domain, the caller's gfp and the context (hard/soft irq, NMI, irqs\n"
	"off), into a .ptb or ftrace-format text file that `ptbench replay` reads.\n"
	"\n"
	"Needs root, a kernel with BTF (/sys/kernel/btf/vmlinux) and tracefs.\n"
	"Stops at SIGINT, SIGTERM or after -d; then prints on stderr the events\n"
	"seen, written and lost.  Exit status: 0; 1 on a bad option or a setup\n"
	"failure (one line on stderr); 2 if events were lost (the output is still\n"
	"written), unless --allow-loss.\n"
	"\vEXAMPLES:\n"
	"  ptrec -d 10 -o iommu.ptb           record 10 s into iommu.ptb\n"
	"  ptrec -o a.ptb.gz --kmem a.csv     until Ctrl-C, + pages per zone /100 ms\n"
	"  ptrec -f ftrace -o a.txt -d 5      ftrace text, as tracefs's trace file\n"
	"  ptrec --list-attached              attach, print what attached, exit\n"
	"  ptrec --show-gfp                   the kernel's gfp bits -> ptbench's\n"
	"  ptbench replay --backend all iommu.ptb\n";

static const struct argp_option options[] = {
	{ "duration", 'd', "SECONDS", 0, "stop after SECONDS (default: at SIGINT or SIGTERM)", 0 },
	{ "output", 'o', "FILE", 0, "write the events to FILE (.gz: compressed; - for stdout with -f ftrace)", 0 },
	{ "format", 'f', "ptb|ftrace", 0, "output format (default ptb)", 0 },
	{ "kmem", OPT_KMEM, "FILE", 0, "also count pages allocated/freed per zone into the CSV FILE", 0 },
	{ "kmem-interval-ms", OPT_KMEM_INTERVAL, "MS", 0, "--kmem row interval (default 100)", 0 },
	{ "ringbuf-mb", 'b', "MB", 0, "ring buffer size, a power of two (default 16)", 0 },
	{ "fentry", OPT_FENTRY, NULL, 0,
	  "attach the call functions with fentry/fexit instead of kprobes (irqs-off then unknown)", 0 },
	{ "allow-loss", OPT_ALLOW_LOSS, NULL, 0, "exit 0 even if events were lost", 0 },
	{ "list-attached", OPT_LIST_ATTACHED, NULL, 0, "attach, print what was attached on stdout, exit", 0 },
	{ "show-gfp", OPT_SHOW_GFP, NULL, 0, "print the kernel gfp bit -> ptbench mapping on stdout, exit", 0 },
	{ "gfp-format", OPT_GFP_FORMAT, "FILE", 0,
	  "read the kernel's gfp table from FILE (default TRACEFS/events/kmem/mm_page_alloc/format)", 0 },
	{ "verbose", 'v', NULL, 0, "print what was probed and libbpf's messages on stderr", 0 },
	{ "help", 'h', NULL, 0, "print this help", 0 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static const struct argp argp = { options, NULL, NULL, doc, NULL, NULL, NULL };

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ptrec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	va_list ap;

	fputs("ptrec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static unsigned long parse_ulong(const char *opt, const char *arg, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
		die("%s: '%s': expected an integer in [%lu, %lu]", opt, arg, min, max);
	return v;
}

static void parse_opt(struct opts *o, int key, const char *arg)
{
	char *end;

	switch (key) {
	case 'd':
		errno = 0;
		o->duration_s = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(o->duration_s) || o->duration_s <= 0 ||
		    o->duration_s > 366.0 * 86400)
			die("-d: '%s': expected a number of seconds > 0", arg);
		break;
	case 'o':
		o->output = arg;
		break;
	case 'f':
		if (!strcmp(arg, "ptb"))
			o->format = OUT_PTB;
		else if (!strcmp(arg, "ftrace"))
			o->format = OUT_FTRACE;
		else
			die("-f: '%s': expected ptb or ftrace", arg);
		break;
	case 'b':
		o->ringbuf_mb = (unsigned int)parse_ulong("-b", arg, 1, 1024);
		if (o->ringbuf_mb & (o->ringbuf_mb - 1))
			die("-b: '%s': the ring buffer size must be a power of two", arg);
		break;
	case OPT_KMEM:
		o->kmem_path = arg;
		break;
	case OPT_KMEM_INTERVAL:
		o->kmem_interval_ms = (unsigned int)parse_ulong("--kmem-interval-ms", arg, 1, 3600000);
		break;
	case OPT_GFP_FORMAT:
		o->gfp_format_path = arg;
		break;
	case OPT_FENTRY: o->fentry = true; break;
	case OPT_ALLOW_LOSS: o->allow_loss = true; break;
	case OPT_LIST_ATTACHED: o->list_attached = true; break;
	case OPT_SHOW_GFP: o->show_gfp = true; break;
	case 'v': o->verbose = true; break;
	case 'h':
		argp_help(&argp, stdout, ARGP_HELP_STD_HELP, (char *)"ptrec");
		exit(0);
	}
}

/*
 * getopt_long over argp's table: argp itself reports a bad option in two
 * lines ("Try `ptrec --help'..."); the project's rule is one line, exit 1.
 */
static void parse_args(struct opts *o, int argc, char **argv)
{
	struct option longopts[sizeof(options) / sizeof(options[0])];
	char shortopts[64] = ":";
	size_t nl = 0, ns = 1;
	int key;

	for (const struct argp_option *a = options; a->name; a++) {
		longopts[nl++] = (struct option){ a->name, a->arg ? required_argument : no_argument,
						  NULL, a->key };
		if (a->key < 128 && ns + 3 < sizeof(shortopts)) {
			shortopts[ns++] = (char)a->key;
			if (a->arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[ns] = '\0';
	opterr = 0;
	while ((key = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (key == '?') {
			if (optopt && optopt < 128)
				die("unknown option '-%c' (ptrec --help lists them)", optopt);
			die("unknown option '%s' (ptrec --help lists them)", argv[optind - 1]);
		}
		if (key == ':')
			die("%s: needs a value", argv[optind - 1]);
		parse_opt(o, key, optarg);
	}
	if (optind < argc)
		die("unexpected argument '%s' (ptrec takes options only)", argv[optind]);
	if (!o->output && !o->list_attached && !o->show_gfp)
		die("no output: give -o FILE (or --list-attached, --show-gfp)");
	if (o->output && !strcmp(o->output, "-") && o->format != OUT_FTRACE)
		die("-o -: stdout takes -f ftrace only (a .ptb is rewritten at the end)");
	if (o->kmem_path && o->output && !strcmp(o->kmem_path, o->output))
		die("--kmem: '%s' is also the -o output", o->kmem_path);
}

/* ---- the recorder's state ---- */

struct attach_row {
	const char *kind;		/* "tracepoint", "kprobe", "kretprobe", "fentry", "fexit" */
	char what[48];
	char role[48];
	int err;			/* 0: attached */
	struct bpf_link *link;
};

#define ATTACH_ROWS_MAX		(4 + 2 * PTREC_CALLS_MAX)

struct domain_ids {
	uint64_t *ptr;			/* ptr[i] has id i + 1 */
	uint32_t nr, cap;
	uint32_t last;			/* index of the last hit */
};

struct recorder {
	struct opts opts;
	struct btf *vmlinux;
	struct call_probe probe;
	struct kgfp kgfp;
	bool kgfp_ok;
	bool gfp_recorded;		/* kgfp_ok and a map call with a gfp argument attached */
	bool call_attached[3];		/* [PTREC_OP_*]: a call function of that op is attached */
	const char *preempt_source;	/* where BPF reads preempt_count; NULL: nowhere */
	bool kprobes_missing;		/* neither the kprobe PMU nor kprobe_events exists */
	struct kmem_zones zones;
	struct ptrec_bpf *skel;
	struct attach_row rows[ATTACH_ROWS_MAX];
	unsigned int nr_rows;
	struct ring_buffer *rb;
	struct ptb_writer *ptb;
	struct ftrace_out *ftrace;
	struct kmem_csv csv;
	struct domain_ids domains;
	int nr_cpus;
	char tracefs[64];
	/* user-space counts */
	uint64_t written;
	uint64_t maps_without_gfp;
	uint64_t maps_gfp_dropped_bits;	/* maps whose gfp had bits ptbench does not encode */
	int write_error;		/* -errno from a writer, stops the poll */
	char err[512];
};

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	exiting = 1;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int libbpf_verbose(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* the clock of bpf_ktime_get_ns() */
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint32_t domain_id(struct domain_ids *d, uint64_t ptr)
{
	if (d->nr && d->ptr[d->last] == ptr)
		return d->last + 1;
	for (uint32_t i = 0; i < d->nr; i++) {
		if (d->ptr[i] == ptr) {
			d->last = i;
			return i + 1;
		}
	}
	if (d->nr == d->cap) {
		uint32_t cap = d->cap ? 2 * d->cap : 64;
		uint64_t *p = realloc(d->ptr, cap * sizeof(*p));

		if (!p)
			return 0;
		d->ptr = p;
		d->cap = cap;
	}
	d->ptr[d->nr] = ptr;
	d->last = d->nr++;
	return d->nr;
}

/* ---- setup ---- */

static const char *find_tracefs(char *buf, size_t bytes)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[128];

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/iommu/map", roots[i]);
		if (!access(path, F_OK)) {
			snprintf(buf, bytes, "%s", roots[i]);
			return buf;
		}
	}
	return NULL;
}

static void show_gfp(const struct kgfp *g, FILE *f)
{
	fprintf(f, "# kernel_bit kernel_name ptbench_mask ptbench_name\n");
	for (int bit = 0; bit < KGFP_BITS; bit++) {
		char name[128];

		if (!g->name[bit][0])
			continue;
		if (g->to_ptb[bit])
			fprintf(f, "%d %s %#x %s\n", bit, g->name[bit], g->to_ptb[bit],
				gfp_format(g->to_ptb[bit], name, sizeof(name)));
		else
			fprintf(f, "%d %s - (no ptbench equivalent: dropped)\n", bit, g->name[bit]);
	}
}

static struct bpf_program *prog_named(struct recorder *r, const char *prefix, unsigned int slot)
{
	char name[32];

	snprintf(name, sizeof(name), "%s_%u", prefix, slot);
	return bpf_object__find_program_by_name(r->skel->obj, name);
}

/* Does struct @type (anonymous members included) have a member @member? */
static bool btf_has_member(const struct btf *btf, __u32 type_id, const char *member, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > 4)
		return false;
	m = btf_members(t);
	for (unsigned int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);

		if (name && !strcmp(name, member))
			return true;
		if ((!name || !name[0]) && btf_has_member(btf, m->type, member, depth + 1))
			return true;
	}
	return false;
}

/*
 * Where ptrec.bpf.c:read_preempt_count() will find preempt_count, and which
 * tracepoint programs load: the _pcpu ones hold the per-CPU ksyms.
 */
static void setup_tracepoints(struct recorder *r)
{
	__s32 ti = btf__find_by_name_kind(r->vmlinux, "thread_info", BTF_KIND_STRUCT);
	bool pcpu = r->probe.percpu_preempt_sym;

	if (ti > 0 && btf_has_member(r->vmlinux, (__u32)ti, "preempt_count", 0))
		r->preempt_source = "current->thread_info.preempt_count";
	else if (pcpu)
		r->preempt_source = "the per-CPU __preempt_count / pcpu_hot";
	bpf_program__set_autoload(r->skel->progs.tp_map_pcpu, pcpu);
	bpf_program__set_autoload(r->skel->progs.tp_unmap_pcpu, pcpu);
	bpf_program__set_autoload(r->skel->progs.tp_map, !pcpu);
	bpf_program__set_autoload(r->skel->progs.tp_unmap, !pcpu);
}

/* Assign a slot to every call function found; set the knobs and what loads. */
static int setup_calls(struct recorder *r)
{
	const char *const kinds[] = { "kprobe", "kretprobe", "fentry", "fexit" };
	unsigned int slot = 0;

	for (unsigned int s = 0; s < PTREC_CALLS_MAX; s++)
		for (size_t k = 0; k < 4; k++)
			bpf_program__set_autoload(prog_named(r, kinds[k], s), false);
	for (unsigned int i = 0; i < r->probe.nr; i++) {
		const struct call_fn *fn = &r->probe.fn[i];

		if (fn->state != CALL_FOUND)
			continue;
		r->skel->rodata->call_op[slot] = fn->op;
		r->skel->rodata->call_gfp_arg[slot] = fn->gfp_arg;
		r->skel->rodata->call_size_arg[slot] = fn->size_arg;
		if (r->opts.fentry) {
			struct bpf_program *in = prog_named(r, "fentry", slot), *out = prog_named(r, "fexit", slot);

			if (bpf_program__set_attach_target(in, 0, fn->name) ||
			    bpf_program__set_attach_target(out, 0, fn->name)) {
				snprintf(r->err, sizeof(r->err), "fentry: cannot target %s", fn->name);
				return -EINVAL;
			}
			bpf_program__set_autoload(in, true);
			bpf_program__set_autoload(out, true);
		} else {
			bpf_program__set_autoload(prog_named(r, "kprobe", slot), true);
			bpf_program__set_autoload(prog_named(r, "kretprobe", slot), true);
		}
		slot++;
	}
	return 0;
}

static struct attach_row *add_row(struct recorder *r, const char *kind, const char *what)
{
	struct attach_row *row = &r->rows[r->nr_rows++];

	row->kind = kind;
	snprintf(row->what, sizeof(row->what), "%s", what);
	return row;
}

/* libbpf 1.x returns NULL and sets errno; libbpf_get_error(NULL) gives -errno. */
static int link_err(struct bpf_link *link)
{
	int err;

	if (link)
		return 0;
	err = (int)libbpf_get_error(link);
	return err ? err : -ENOENT;
}

static void attach_tracepoint(struct recorder *r, struct bpf_program *prog, const char *what)
{
	struct attach_row *row = add_row(r, "tracepoint", what);

	row->link = bpf_program__attach(prog);
	row->err = link_err(row->link);
}

static void attach_calls(struct recorder *r)
{
	char path[128];
	unsigned int slot = 0;

	/* libbpf tries the kprobe PMU, then tracefs's kprobe_events: both absent = no kprobes */
	snprintf(path, sizeof(path), "%s/kprobe_events", r->tracefs);
	r->kprobes_missing = access("/sys/bus/event_source/devices/kprobe/type", F_OK) &&
			     access(path, F_OK);

	for (unsigned int i = 0; i < r->probe.nr; i++) {
		const struct call_fn *fn = &r->probe.fn[i];
		struct attach_row *in, *out;

		if (fn->state != CALL_FOUND)
			continue;
		in = add_row(r, r->opts.fentry ? "fentry" : "kprobe", fn->name);
		out = add_row(r, r->opts.fentry ? "fexit" : "kretprobe", fn->name);
		if (fn->gfp_arg)
			snprintf(in->role, sizeof(in->role), "%s, gfp arg %u%s",
				 fn->op == PTREC_OP_MAP ? "map" : "unmap", fn->gfp_arg,
				 fn->size_arg ? ", exact" : "");
		else
			snprintf(in->role, sizeof(in->role), "%s, no gfp%s",
				 fn->op == PTREC_OP_MAP ? "map" : "unmap", fn->size_arg ? ", exact" : "");
		if (r->opts.fentry) {
			in->link = bpf_program__attach(prog_named(r, "fentry", slot));
			out->link = bpf_program__attach(prog_named(r, "fexit", slot));
		} else {
			in->link = bpf_program__attach_kprobe(prog_named(r, "kprobe", slot), false, fn->name);
			out->link = bpf_program__attach_kprobe(prog_named(r, "kretprobe", slot), true, fn->name);
		}
		in->err = link_err(in->link);
		out->err = link_err(out->link);
		/* An entry without its exit would leave frames behind: both or neither. */
		if (in->err || out->err) {
			bpf_link__destroy(in->link);
			bpf_link__destroy(out->link);
			in->link = out->link = NULL;
			if (!in->err)
				in->err = -ECANCELED;
			if (!out->err)
				out->err = -ECANCELED;
		} else {
			r->call_attached[fn->op] = true;
			if (fn->op == PTREC_OP_MAP && fn->gfp_arg && r->kgfp_ok)
				r->gfp_recorded = true;
		}
		slot++;
	}
}

static void print_rows(const struct recorder *r, FILE *f)
{
	for (unsigned int i = 0; i < r->nr_rows; i++) {
		const struct attach_row *row = &r->rows[i];

		fprintf(f, "%-10s %-20s %s%s%s%s\n", row->kind, row->what,
			row->err ? "FAILED: " : "attached", row->err ? strerror(-row->err) : "",
			row->role[0] ? "  " : "", row->role);
	}
	for (unsigned int i = 0; i < r->probe.nr; i++)
		if (r->probe.fn[i].state != CALL_FOUND)
			fprintf(f, "%-10s %-20s not attached: %s%s%s\n", "-", r->probe.fn[i].name,
				call_state_name(r->probe.fn[i].state), r->probe.fn[i].why[0] ? ": " : "",
				r->probe.fn[i].why);
}

/* Append ", NAME" to @line (used @n) unless it is full. */
static size_t list_add(char *line, size_t bytes, size_t n, const char *name)
{
	if (n < bytes)
		n += (size_t)snprintf(line + n, bytes - n, "%s%s", n ? ", " : "", name);
	return n;
}

/*
 * What is not attached, on stderr, always, in a few lines: the call
 * functions that failed (grouped by error), those this kernel does not
 * have, and what the events lose for it.
 */
static void report_missing(const struct recorder *r)
{
	bool done[ATTACH_ROWS_MAX] = { false };
	char line[1024];
	size_t n;

	for (unsigned int i = 0; i < r->nr_rows; i++) {
		int e = r->rows[i].err;

		if (!e || e == -ECANCELED || done[i] || !strcmp(r->rows[i].kind, "tracepoint"))
			continue;
		n = 0;
		for (unsigned int j = i; j < r->nr_rows; j++) {
			if (r->rows[j].err == e && !strcmp(r->rows[j].kind, r->rows[i].kind)) {
				n = list_add(line, sizeof(line), n, r->rows[j].what);
				done[j] = true;
			}
		}
		warn("%s attach failed (%s%s): %s", r->rows[i].kind, strerror(-e),
		     r->kprobes_missing && !r->opts.fentry ? "; this kernel has no kprobes: CONFIG_KPROBES off?" : "",
		     line);
	}
	n = 0;
	for (unsigned int i = 0; i < r->probe.nr; i++) {
		const struct call_fn *fn = &r->probe.fn[i];
		char item[160];

		if (fn->state == CALL_FOUND)
			continue;
		if (fn->state == CALL_ABSENT)
			snprintf(item, sizeof(item), "%s", fn->name);
		else
			snprintf(item, sizeof(item), "%s (%s%s%s)", fn->name, call_state_name(fn->state),
				 fn->why[0] ? ": " : "", fn->why);
		n = list_add(line, sizeof(line), n, item);
	}
	if (n)
		warn("call functions not attached, not in this kernel or unusable: %s", line);
	if (!r->call_attached[PTREC_OP_MAP])
		warn("no map call function attached: map events carry no domain, gfp or irqs-off");
	if (!r->call_attached[PTREC_OP_UNMAP])
		warn("no unmap call function attached: unmap events carry no domain or irqs-off");
	if (r->call_attached[PTREC_OP_MAP] && !r->gfp_recorded)
		warn("gfp not recorded: %s", r->kgfp_ok ? "no attached map function takes a gfp argument"
							 : "the kernel's gfp table could not be read");
	if (r->opts.fentry)
		warn("--fentry: irqs-off is not recorded (fentry sees no flags register)");
	if (!r->preempt_source)
		warn("context (hard/soft irq, NMI) not recorded: no thread_info.preempt_count, and "
		     "kallsyms lists no __preempt_count (CONFIG_KALLSYMS_ALL is off)");
}

/* Every tracepoint attached?  Says which one is not. */
static bool tracepoints_attached(const struct recorder *r)
{
	for (unsigned int i = 0; i < r->nr_rows; i++) {
		if (!strcmp(r->rows[i].kind, "tracepoint") && r->rows[i].err) {
			warn("cannot record without tracepoint %s: %s", r->rows[i].what,
			     strerror(-r->rows[i].err));
			return false;
		}
	}
	return true;
}

/* ---- events ---- */

static int handle_event(void *ctx, void *data, size_t size)
{
	struct recorder *r = ctx;
	const struct ptrec_event *e = data;
	struct trace_event ev = { 0 };
	char comm[PTREC_COMM_BYTES + 1];
	int ret;

	if (size < sizeof(*e))
		return 0;
	ev.ts_ns = e->ts_ns;
	ev.iova = e->iova;
	ev.paddr = e->op == PTREC_OP_MAP ? e->paddr : 0;
	ev.size_bytes = e->size_bytes;
	ev.unmapped_bytes = e->op == PTREC_OP_UNMAP ? e->unmapped_bytes : 0;
	ev.pid = e->pid;
	ev.cpu = e->cpu;
	ev.op = e->op;
	ev.ctx = e->ctx;
	ev.has = TRACE_HAS_CPU | TRACE_HAS_PID;
	if ((e->flags & PTREC_EV_PREEMPT_KNOWN) && (e->flags & PTREC_EV_IRQS_KNOWN))
		ev.has |= TRACE_HAS_CTX;
	if (r->call_attached[e->op]) {
		ev.has |= TRACE_HAS_DOMAIN;
		if (e->flags & PTREC_EV_PAIRED) {
			ev.domain = domain_id(&r->domains, e->domain);
			if (!ev.domain) {
				r->write_error = -ENOMEM;	/* the domain table could not grow */
				return -ENOMEM;
			}
		}
	}
	if (e->op == PTREC_OP_MAP && (e->flags & PTREC_EV_GFP) && r->gfp_recorded) {
		uint64_t dropped;

		ev.gfp = kgfp_translate(&r->kgfp, e->gfp, &dropped);
		ev.has |= TRACE_HAS_GFP;
		r->maps_gfp_dropped_bits += dropped != 0;
	} else if (e->op == PTREC_OP_MAP) {
		r->maps_without_gfp++;
	} else if (r->gfp_recorded) {
		ev.has |= TRACE_HAS_GFP;	/* unmap takes no gfp: 0 */
	}
	if (r->ptb) {
		ret = ptb_writer_write(r->ptb, &ev);
	} else {
		memcpy(comm, e->comm, PTREC_COMM_BYTES);
		comm[PTREC_COMM_BYTES] = '\0';
		ret = ftrace_out_write(r->ftrace, &ev, comm, e->flags & PTREC_EV_IRQS_KNOWN);
	}
	if (ret < 0) {
		r->write_error = ret;
		return ret;		/* stops ring_buffer__poll() */
	}
	r->written++;
	return 0;
}

/* One per-CPU array entry of @value_bytes (u64 words), summed over the CPUs. */
static int percpu_sum(int map_fd, __u32 key, size_t value_bytes, int nr_cpus, void *sum_out)
{
	size_t stride = (value_bytes + 7) & ~(size_t)7;
	unsigned char *buf = calloc((size_t)nr_cpus, stride);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = bpf_map_lookup_elem(map_fd, &key, buf);
	if (!ret) {
		memset(sum_out, 0, value_bytes);
		for (int c = 0; c < nr_cpus; c++)
			for (size_t w = 0; w < value_bytes / 8; w++)
				((uint64_t *)sum_out)[w] += ((const uint64_t *)(buf + (size_t)c * stride))[w];
	} else {
		ret = -errno;
	}
	free(buf);
	return ret;
}

static int read_stats(struct recorder *r, uint64_t stats[PTREC_STAT_NR])
{
	int fd = bpf_map__fd(r->skel->maps.stats), ret;

	for (__u32 i = 0; i < PTREC_STAT_NR; i++)
		if ((ret = percpu_sum(fd, i, sizeof(uint64_t), r->nr_cpus, &stats[i])) < 0)
			return ret;
	return 0;
}

static int kmem_flush(struct recorder *r, uint64_t ts_ns)
{
	struct ptrec_kmem_count total[PTREC_ZONES_MAX + 1];
	int fd = bpf_map__fd(r->skel->maps.kmem_counts), ret;

	for (__u32 z = 0; z <= r->zones.nr; z++)
		if ((ret = percpu_sum(fd, z, sizeof(total[z]), r->nr_cpus, &total[z])) < 0)
			return ret;
	return kmem_csv_write(&r->csv, &r->zones, ts_ns, total);
}

static void detach_all(struct recorder *r)
{
	for (unsigned int i = 0; i < r->nr_rows; i++) {
		bpf_link__destroy(r->rows[i].link);
		r->rows[i].link = NULL;
	}
}

/* Poll until -d, a signal or a write error.  Returns 0 or -errno (r->err set). */
static int poll_loop(struct recorder *r, uint64_t start_ns)
{
	uint64_t interval_ns = (uint64_t)r->opts.kmem_interval_ms * NS_PER_MS;
	uint64_t stop_ns = r->opts.duration_s ? start_ns + (uint64_t)(r->opts.duration_s * NS_PER_SEC) : 0;
	uint64_t next_kmem_ns = start_ns + interval_ns;
	int ret;

	while (!exiting) {
		uint64_t t = now_ns(), wait_ns = POLL_MAX_MS * NS_PER_MS;

		if (stop_ns && t >= stop_ns)
			break;
		if (stop_ns && stop_ns - t < wait_ns)
			wait_ns = stop_ns - t;
		if (r->opts.kmem_path && next_kmem_ns > t && next_kmem_ns - t < wait_ns)
			wait_ns = next_kmem_ns - t;
		ret = ring_buffer__poll(r->rb, (int)((wait_ns + NS_PER_MS - 1) / NS_PER_MS));
		if (r->write_error) {
			snprintf(r->err, sizeof(r->err), "%s: %s", r->opts.output,
				 strerror(-r->write_error));
			return r->write_error;
		}
		if (ret < 0 && ret != -EINTR) {
			snprintf(r->err, sizeof(r->err), "ring buffer poll: %s", strerror(-ret));
			return ret;
		}
		t = now_ns();
		if (r->opts.kmem_path && t >= next_kmem_ns) {
			if ((ret = kmem_flush(r, t)) < 0) {
				snprintf(r->err, sizeof(r->err), "%s: %s", r->opts.kmem_path, strerror(-ret));
				return ret;
			}
			while (next_kmem_ns <= t)
				next_kmem_ns += interval_ns;
		}
	}
	return 0;
}

/*
 * Detach, then drain: a program that was running during the detach may
 * still commit.  Done when every event BPF saw is written or counted lost.
 */
static int drain(struct recorder *r, uint64_t stats[PTREC_STAT_NR])
{
	int ret;

	detach_all(r);
	for (int tries = 0;; tries++) {
		uint64_t seen, lost;

		ret = ring_buffer__consume(r->rb);
		if (r->write_error) {
			snprintf(r->err, sizeof(r->err), "%s: %s", r->opts.output,
				 strerror(-r->write_error));
			return r->write_error;
		}
		if (ret < 0) {
			snprintf(r->err, sizeof(r->err), "ring buffer: %s", strerror(-ret));
			return ret;
		}
		if ((ret = read_stats(r, stats)) < 0) {
			snprintf(r->err, sizeof(r->err), "reading the BPF counters: %s", strerror(-ret));
			return ret;
		}
		seen = stats[PTREC_STAT_MAP_SEEN] + stats[PTREC_STAT_UNMAP_SEEN];
		lost = stats[PTREC_STAT_MAP_LOST] + stats[PTREC_STAT_UNMAP_LOST];
		if (seen == r->written + lost)
			return 0;
		if (tries == DRAIN_TRIES) {
			snprintf(r->err, sizeof(r->err),
				 "%" PRIu64 " events seen but %" PRIu64 " written + %" PRIu64 " lost after the drain",
				 seen, r->written, lost);
			return -EPROTO;
		}
		usleep(10000);
	}
}

static void summary(const struct recorder *r, const uint64_t s[PTREC_STAT_NR], double secs)
{
	uint64_t lost = s[PTREC_STAT_MAP_LOST] + s[PTREC_STAT_UNMAP_LOST];

	warn("recorded %.3f s", secs);
	warn("seen (in BPF): %" PRIu64 " map, %" PRIu64 " unmap", s[PTREC_STAT_MAP_SEEN],
	     s[PTREC_STAT_UNMAP_SEEN]);
	warn("written: %" PRIu64 " events to %s", r->written, r->opts.output);
	warn("lost: %" PRIu64 " (ring buffer full: %" PRIu64 " map, %" PRIu64 " unmap)", lost,
	     s[PTREC_STAT_MAP_LOST], s[PTREC_STAT_UNMAP_LOST]);
	warn("paired with a call: %" PRIu64 " of %" PRIu64 " maps, %" PRIu64 " of %" PRIu64
	     " unmaps; %" PRIu32 " domains",
	     s[PTREC_STAT_MAP_PAIRED], s[PTREC_STAT_MAP_SEEN] - s[PTREC_STAT_MAP_LOST],
	     s[PTREC_STAT_UNMAP_PAIRED], s[PTREC_STAT_UNMAP_SEEN] - s[PTREC_STAT_UNMAP_LOST],
	     r->domains.nr);
	warn("gfp: %" PRIu64 " maps without one, %" PRIu64 " with kernel bits ptbench does not encode",
	     r->maps_without_gfp, r->maps_gfp_dropped_bits);
	if (s[PTREC_STAT_FRAME_OVERFLOW] || s[PTREC_STAT_FRAME_NOMEM])
		warn("call frames: %" PRIu64 " deeper than %d, %" PRIu64 " not stored (map full)",
		     s[PTREC_STAT_FRAME_OVERFLOW], PTREC_FRAMES_MAX, s[PTREC_STAT_FRAME_NOMEM]);
	if (r->opts.kmem_path)
		warn("kmem: %" PRIu64 " intervals of %u ms in %s", r->csv.rows,
		     r->opts.kmem_interval_ms, r->opts.kmem_path);
}

int main(int argc, char **argv)
{
	struct recorder *r;
	uint64_t stats[PTREC_STAT_NR], start_ns, stop_ns;
	struct sigaction sa = { .sa_handler = on_signal };
	char path[256];
	int err = 1, ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		die("out of memory");
	r->opts = (struct opts){ .kmem_interval_ms = 100, .ringbuf_mb = 16 };
	parse_args(&r->opts, argc, argv);
	libbpf_set_print(r->opts.verbose ? libbpf_verbose : libbpf_quiet);
	/* From here a signal only ends the recording: temporary files are removed. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r->nr_cpus = libbpf_num_possible_cpus();
	if (r->nr_cpus <= 0) {
		warn("cannot count the possible CPUs: %s", strerror(-r->nr_cpus));
		goto cleanup;
	}

	find_tracefs(r->tracefs, sizeof(r->tracefs));
	snprintf(path, sizeof(path), "%s/events/kmem/mm_page_alloc/format",
		 r->tracefs[0] ? r->tracefs : "/sys/kernel/tracing");
	ret = kgfp_load(&r->kgfp, r->opts.gfp_format_path ? r->opts.gfp_format_path : path,
			r->err, sizeof(r->err));
	r->kgfp_ok = !ret;
	if (r->opts.show_gfp) {
		if (ret) {
			warn("%s", r->err);
			goto cleanup;
		}
		show_gfp(&r->kgfp, stdout);
		err = 0;
		goto cleanup;
	}
	if (ret)
		warn("gfp not translated: %s", r->err);
	if (!r->tracefs[0]) {
		warn("no tracefs with events/iommu/map: mount -t tracefs nodev /sys/kernel/tracing "
		     "(and the kernel needs CONFIG_IOMMU_API)");
		goto cleanup;
	}

	if (access(BTF_PATH, R_OK)) {
		warn("%s: %s: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF); record with tracefs instead "
		     "(workloads/recorder/README.md)", BTF_PATH, strerror(errno));
		goto cleanup;
	}
	r->vmlinux = btf__load_vmlinux_btf();
	if (!r->vmlinux) {
		warn("%s: cannot load: %s", BTF_PATH, strerror(errno));
		goto cleanup;
	}
	if (calls_probe(&r->probe, r->vmlinux, KALLSYMS_PATH, r->err, sizeof(r->err))) {
		warn("%s", r->err);
		goto cleanup;
	}
	if (r->opts.kmem_path && kmem_zones_read(&r->zones, ZONEINFO_PATH, r->err, sizeof(r->err))) {
		warn("--kmem: %s", r->err);
		goto cleanup;
	}

	/* The outputs first: a bad path fails before anything is loaded. */
	if (!r->opts.list_attached) {
		if (r->opts.format == OUT_PTB)
			ret = ptb_writer_open(r->opts.output, "ptrec", &r->ptb, r->err, sizeof(r->err));
		else
			ret = ftrace_out_open(r->opts.output, &r->ftrace, r->err, sizeof(r->err));
		if (ret) {
			warn("%s", r->err);
			goto cleanup;
		}
		if (r->opts.kmem_path && kmem_csv_open(&r->csv, r->opts.kmem_path, r->err, sizeof(r->err))) {
			warn("%s", r->err);
			goto cleanup;
		}
	}

	r->skel = ptrec_bpf__open();
	if (!r->skel) {
		warn("opening the BPF object: %s", strerror(errno));
		goto cleanup;
	}
	if (bpf_map__set_max_entries(r->skel->maps.events, r->opts.ringbuf_mb << 20)) {
		warn("-b %u: cannot size the ring buffer", r->opts.ringbuf_mb);
		goto cleanup;
	}
	setup_tracepoints(r);
	if (setup_calls(r)) {
		warn("%s", r->err);
		goto cleanup;
	}
	r->skel->rodata->nr_zones = r->zones.nr;
	for (unsigned int z = 0; z < r->zones.nr; z++) {
		r->skel->rodata->zone_start_pfn[z] = r->zones.zone[z].start_pfn;
		r->skel->rodata->zone_end_pfn[z] = r->zones.zone[z].end_pfn;
	}
	bpf_program__set_autoload(r->skel->progs.tp_page_alloc, r->opts.kmem_path != NULL);
	bpf_program__set_autoload(r->skel->progs.tp_page_free, r->opts.kmem_path != NULL);
	if ((ret = ptrec_bpf__load(r->skel))) {
		warn("loading the BPF programs: %s (are you root? --verbose shows the verifier's log)",
		     strerror(-ret));
		goto cleanup;
	}

	if (r->probe.percpu_preempt_sym) {
		attach_tracepoint(r, r->skel->progs.tp_map_pcpu, "iommu:map");
		attach_tracepoint(r, r->skel->progs.tp_unmap_pcpu, "iommu:unmap");
	} else {
		attach_tracepoint(r, r->skel->progs.tp_map, "iommu:map");
		attach_tracepoint(r, r->skel->progs.tp_unmap, "iommu:unmap");
	}
	attach_calls(r);
	if (r->opts.kmem_path) {
		attach_tracepoint(r, r->skel->progs.tp_page_alloc, "kmem:mm_page_alloc");
		attach_tracepoint(r, r->skel->progs.tp_page_free, "kmem:mm_page_free");
	}
	if (r->opts.verbose)
		print_rows(r, stderr);
	if (r->opts.list_attached) {
		print_rows(r, stdout);
		err = tracepoints_attached(r) ? 0 : 1;
		goto cleanup;
	}
	report_missing(r);
	if (!tracepoints_attached(r))
		goto cleanup;

	r->rb = ring_buffer__new(bpf_map__fd(r->skel->maps.events), handle_event, r, NULL);
	if (!r->rb) {
		warn("ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	/* Scripts wait for this line before they start the workload. */
	warn("recording to %s (until %s)", r->opts.output, r->opts.duration_s ? "-d, SIGINT or SIGTERM" : "SIGINT or SIGTERM");

	start_ns = now_ns();
	ret = poll_loop(r, start_ns);
	stop_ns = now_ns();
	if (ret || drain(r, stats)) {
		warn("%s", r->err);
		goto cleanup;
	}
	if (r->opts.kmem_path && (ret = kmem_flush(r, now_ns())) < 0) {
		warn("%s: %s", r->opts.kmem_path, strerror(-ret));
		goto cleanup;
	}
	if (r->ptb)
		ret = ptb_writer_close(r->ptb, r->err, sizeof(r->err));
	else
		ret = ftrace_out_close(r->ftrace, stats[PTREC_STAT_MAP_SEEN] + stats[PTREC_STAT_UNMAP_SEEN],
				       (int)sysconf(_SC_NPROCESSORS_ONLN), r->err, sizeof(r->err));
	r->ptb = NULL;
	r->ftrace = NULL;
	if (ret) {
		warn("%s", r->err);
		goto cleanup;
	}
	if (r->opts.kmem_path && kmem_csv_close(&r->csv, r->err, sizeof(r->err))) {
		warn("%s", r->err);
		goto cleanup;
	}
	summary(r, stats, (double)(stop_ns - start_ns) / NS_PER_SEC);
	err = 0;
	if (stats[PTREC_STAT_MAP_LOST] + stats[PTREC_STAT_UNMAP_LOST] && !r->opts.allow_loss) {
		warn("events were lost: rerun with a larger -b (ring buffer MB), or accept with --allow-loss");
		err = EXIT_LOST;
	}

cleanup:
	ring_buffer__free(r->rb);
	detach_all(r);
	ptrec_bpf__destroy(r->skel);
	btf__free(r->vmlinux);
	ptb_writer_abort(r->ptb);
	ftrace_out_abort(r->ftrace);
	kmem_csv_abort(&r->csv);
	free(r->domains.ptr);
	free(r);
	return err;
}
