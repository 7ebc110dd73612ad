// SPDX-License-Identifier: GPL-2.0
/*
 * browse.c - image jobs of a web page (JPEG decode on mtk-jpeg, scaling on
 * mtk-mdp) and the `browse` workload: image jobs, the display, and now and
 * then a short video.
 *
 * One image job, as the drivers see it:
 *   t0            JPEG: the bitstream buffer and the YUV420 output buffer
 *                 (vb2-dma-contig MMAP: dma_alloc_attrs each);
 *   t0+decode     JPEG done: bitstream freed; MDP imports the YUV buffer
 *                 (dma_map_sgtable) and allocates its ARGB8888 output;
 *   t0+decode+scale  MDP done: import unmapped, MDP output and YUV freed.
 * Pages load in bursts: while a page loads or scrolls, jobs arrive as a
 * Poisson process at jobs_per_s; in between the user reads and nothing comes.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

/* image sizes on web pages (assumption, README): thumbnails to full HD */
static const struct { uint32_t w, h; } image_sizes[] = {
	{ 160, 120 }, { 320, 240 }, { 640, 480 }, { 1280, 720 }, { 1920, 1080 },
};
static const unsigned int image_weights[] = { 30, 30, 20, 15, 5 };
#define JPEG_COMPRESSION	8	/* YUV420 bytes per compressed byte (assumption) */
#define JPEG_MCU		16	/* decoded planes padded to whole 16x16 MCUs */
#define ARGB8888_BYTES_PER_PIXEL 4
/* hardware times: fixed cost + per pixel (assumption, README) */
#define JPEG_DECODE_BASE_NS	500000ULL
#define JPEG_DECODE_PIXEL_NS	2ULL
#define MDP_SCALE_BASE_NS	300000ULL
#define MDP_SCALE_PIXEL_NS	1ULL
/* Rates (assumptions, README). */
#define BROWSE_JOBS_PER_S	30
#define BROWSE_LOADING_MEAN_NS	(10ULL * NSEC_PER_SEC)
#define BROWSE_READING_MEAN_NS	(20ULL * NSEC_PER_SEC)
/* the occasional clip while browsing: 1 min on average, 10 min apart */
#define BROWSE_VIDEO_GAP_MEAN_NS (10ULL * 60 * NSEC_PER_SEC)
#define BROWSE_VIDEO_LEN_MEAN_NS (60ULL * NSEC_PER_SEC)
#define JPEG_PID		1207	/* the GPU process's JPEG decode thread */
#define MDP_PID			1208	/* the thread that scales images on the MDP */

enum { JOB_DECODING, JOB_SCALING };

static inline struct imagejob_client *to_jobs(struct synth_actor *a)
{
	return container_of(a, struct imagejob_client, actor);
}

static void job_start(struct synth *s, struct imagejob_client *j, struct imagejob *job)
{
	unsigned int k = synth_pick(s, image_weights, ARRAY_SIZE(image_weights));
	uint64_t w = image_sizes[k].w, h = image_sizes[k].h;
	uint64_t yuv = ALIGN_UP(w, JPEG_MCU) * ALIGN_UP(h, JPEG_MCU) * 3 / 2;

	job->decode_ns = JPEG_DECODE_BASE_NS + w * h * JPEG_DECODE_PIXEL_NS;
	job->scale_ns = MDP_SCALE_BASE_NS + w * h * MDP_SCALE_PIXEL_NS;
	/* the MDP output: the image in ARGB8888 at the size the page shows it,
	 * taken as its own size (assumption) */
	job->argb_bytes = w * h * ARGB8888_BYTES_PER_PIXEL;
	job->stage = JOB_DECODING;
	if (dma_alloc_attrs(s, &j->jpeg, DIV_ROUND_UP(w * h * 3 / 2, JPEG_COMPRESSION), &job->bitstream))
		goto fail;
	if (dma_alloc_attrs(s, &j->jpeg, yuv, &job->yuv)) {
		dma_free_attrs(s, &j->jpeg, &job->bitstream);
		goto fail;
	}
	job->next_ns = s->now_ns + job->decode_ns;
	return;
fail:
	job->next_ns = SYNTH_NEVER;
}

static void job_step(struct synth *s, struct imagejob_client *j, struct imagejob *job)
{
	if (job->stage == JOB_DECODING) {
		dma_free_attrs(s, &j->jpeg, &job->bitstream);
		if (dma_map_sgtable(s, &j->mdp, &job->yuv, &job->mdp_in) ||
		    dma_alloc_attrs(s, &j->mdp, job->argb_bytes, &job->mdp_out)) {
			if (synth_buf_mapped(&job->mdp_in))
				dma_unmap_sgtable(s, &j->mdp, &job->mdp_in);
			dma_free_attrs(s, &j->jpeg, &job->yuv);
			job->next_ns = SYNTH_NEVER;
			return;
		}
		job->stage = JOB_SCALING;
		job->next_ns = s->now_ns + job->scale_ns;
		return;
	}
	dma_unmap_sgtable(s, &j->mdp, &job->mdp_in);
	dma_free_attrs(s, &j->mdp, &job->mdp_out);
	dma_free_attrs(s, &j->jpeg, &job->yuv);
	job->next_ns = SYNTH_NEVER;
}

static void imagejob_step(struct synth *s, struct synth_actor *a)
{
	struct imagejob_client *j = to_jobs(a);
	uint64_t next = SYNTH_NEVER;

	for (int i = 0; i < IMAGEJOB_MAX_INFLIGHT; i++)
		if (j->jobs[i].next_ns <= s->now_ns)
			job_step(s, j, &j->jobs[i]);
	if (j->enabled && s->now_ns >= j->phase_end_ns) {
		/* a page starts loading, or the user stops scrolling and reads */
		j->loading = !j->loading;
		j->phase_end_ns = s->now_ns + synth_exp_ns(s, j->loading ? j->loading_mean_ns :
									j->reading_mean_ns);
		if (j->loading)
			j->next_arrival_ns = s->now_ns + synth_exp_ns(s, NSEC_PER_SEC / j->jobs_per_s);
	}
	if (j->enabled && j->loading && s->now_ns >= j->next_arrival_ns) {
		int i;

		for (i = 0; i < IMAGEJOB_MAX_INFLIGHT && j->jobs[i].next_ns != SYNTH_NEVER; i++)
			;
		j->arrivals++;
		if (i < IMAGEJOB_MAX_INFLIGHT)
			job_start(s, j, &j->jobs[i]);
		else
			j->dropped++;
		j->next_arrival_ns = s->now_ns + synth_exp_ns(s, NSEC_PER_SEC / j->jobs_per_s);
	}
	for (int i = 0; i < IMAGEJOB_MAX_INFLIGHT; i++)
		next = MIN(next, j->jobs[i].next_ns);
	if (j->enabled) {
		next = MIN(next, j->phase_end_ns);
		if (j->loading)
			next = MIN(next, j->next_arrival_ns);
	}
	a->next_ns = next;
}

static void imagejob_destroy(struct synth_actor *a)
{
	struct imagejob_client *j = to_jobs(a);

	for (int i = 0; i < IMAGEJOB_MAX_INFLIGHT; i++) {
		synth_buf_release(&j->jobs[i].bitstream);
		synth_buf_release(&j->jobs[i].yuv);
		synth_buf_release(&j->jobs[i].mdp_in);
		synth_buf_release(&j->jobs[i].mdp_out);
	}
	free(j);
}

struct imagejob_client *imagejob_client_add(struct synth *s)
{
	struct imagejob_client *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->actor.step = imagejob_step;
	j->actor.destroy = imagejob_destroy;
	synth_client_init(&j->jpeg, "jpeg", JPEG_PID);
	synth_client_init(&j->mdp, "mdp", MDP_PID);
	j->enabled = true;
	j->jobs_per_s = BROWSE_JOBS_PER_S;
	j->loading_mean_ns = BROWSE_LOADING_MEAN_NS;
	j->reading_mean_ns = BROWSE_READING_MEAN_NS;
	for (int i = 0; i < IMAGEJOB_MAX_INFLIGHT; i++)
		j->jobs[i].next_ns = SYNTH_NEVER;
	/* the first page starts loading at once */
	j->phase_end_ns = 0;
	j->actor.next_ns = 0;
	if (synth_add_actor(s, &j->actor)) {
		free(j);
		return NULL;
	}
	return j;
}

void imagejob_client_set_enabled(struct synth *s, struct imagejob_client *j, bool on)
{
	j->enabled = on;
	if (on) {
		j->loading = false;
		j->phase_end_ns = s->now_ns;	/* a page starts loading now */
		synth_wake(s, &j->actor);
	}
}

static int browse_setup(struct synth *s)
{
	struct video_client *v;

	if (!display_client_add(s) || !imagejob_client_add(s))
		return -ENOMEM;
	v = video_client_add(s);
	if (!v)
		return -ENOMEM;
	v->session_gap_mean_ns = BROWSE_VIDEO_GAP_MEAN_NS;
	v->session_len_mean_ns = BROWSE_VIDEO_LEN_MEAN_NS;
	v->actor.next_ns = synth_exp_ns(s, v->session_gap_mean_ns);
	return 0;
}

const struct synth_workload synth_browse = {
	.name = "browse",
	.what = "web pages: bursts of short-lived JPEG decode + MDP scaling buffers, the display, short videos",
	.default_duration_s = 3600,
	.setup = browse_setup,
};
