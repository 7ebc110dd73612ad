// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_replay.c - libFuzzer target: `ptbench replay` itself (cmd_replay, as
 * main() calls it) on fuzzed input, every backend (one with --check), a JSON
 * and a CSV written.
 *
 * The first byte picks the options, the rest is the trace (a .ptb in the seed
 * corpus; the format is detected, so any reader may be reached):
 *   bits 0-2  --pressure: none, steady, atomic-burst, edge, fragmented,
 *             atomic-burst:period_ms=1,hold_ms=5, steady:period_ms=1, none
 *   bits 3-4  --kernel 4.19, 5.4, 6.1, 6.13
 *   bit 5     --check
 *   bit 6     --single-domain
 *   bit 7     --skip-bad
 * The machine is a small one (64 MiB of DRAM, all DMA32) so that one run
 * takes milliseconds; the trace's paddrs need not fall in it (the page table
 * does not look).  --check walks every live page after each event (up to
 * 2^20 of them: 4 GiB of IOVA), so with --check one backend replays, picked
 * by the input's length, and a few events of huge maps stay within the
 * 10 s a run may take.  The run may refuse the input (exit status 1, one line on
 * stderr); it must not crash, leak, or trip a sanitizer or PTB_BUG_ON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "input.h"

static const char *const pressures[8] = {
	"none", "steady", "atomic-burst", "edge", "fragmented",
	"atomic-burst:period_ms=1,hold_ms=5", "steady:period_ms=1", "none",
};
static const char *const kernels[4] = { "4.19", "5.4", "6.1", "6.13" };
static const char *const backends[6] = {
	"slab-dma", "slab-dma32", "genalloc-4m", "page-frag", "kzalloc-dma32", "page-per-table",
};

static int trace_fd = -1;
static char trace_path[64], json_path[256], csv_path[256], dir[256];

static void remove_dir(void)
{
	unlink(json_path);
	unlink(csv_path);
	rmdir(dir);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	trace_fd = memfd_create("ptbench-fuzz-replay", 0);
	if (trace_fd < 0)
		abort();
	snprintf(trace_path, sizeof(trace_path), "/proc/self/fd/%d", trace_fd);
	snprintf(dir, sizeof(dir), "%s/ptbench-fuzz-replay.XXXXXX",
		 !access("/dev/shm", W_OK) ? "/dev/shm" : tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(json_path, sizeof(json_path), "%s/r.json", dir);
	snprintf(csv_path, sizeof(csv_path), "%s/r.csv", dir);
	atexit(remove_dir);
	/* the summary table: nobody reads it here */
	if (!freopen("/dev/null", "w", stdout))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[32];
	int argc = 0;
	uint8_t pick;
	size_t done = 0;

	if (size < 1)
		return 0;
	if (trace_fd < 0)
		setup();
	pick = data[0];
	data++;
	size--;
	if (ftruncate(trace_fd, 0))
		abort();
	while (done < size) {
		ssize_t n = pwrite(trace_fd, data + done, size - done, (off_t)done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	argv[argc++] = "replay";
	argv[argc++] = "--backend";
	argv[argc++] = (pick & 0x20) ? (char *)backends[size % 6] : "all";
	argv[argc++] = "--memory";
	argv[argc++] = "dram=0x40000000-0x44000000,dma=0,dma32=0x100000000";
	argv[argc++] = "--pressure";
	argv[argc++] = (char *)pressures[pick & 7];
	argv[argc++] = "--kernel";
	argv[argc++] = (char *)kernels[(pick >> 3) & 3];
	if (pick & 0x20)
		argv[argc++] = "--check";
	if (pick & 0x40)
		argv[argc++] = "--single-domain";
	if (pick & 0x80)
		argv[argc++] = "--skip-bad";
	argv[argc++] = "--interval-ns";
	argv[argc++] = "1000";
	argv[argc++] = "--json";
	argv[argc++] = json_path;
	argv[argc++] = "--csv";
	argv[argc++] = csv_path;
	argv[argc++] = trace_path;
	argv[argc] = NULL;
	cmd_replay(argc, argv);
	return 0;
}
