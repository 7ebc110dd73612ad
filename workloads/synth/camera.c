// SPDX-License-Identifier: GPL-2.0
/*
 * camera.c - the camera path of an MT8173 Chromebook and the `camera`
 * workload.
 *
 * The webcam is a USB (UVC) device: its frames reach memory without the M4U.
 * They are MJPEG, and the camera service decodes each one on the JPEG decoder
 * (mtk-jpeg, an M4U client).  The service copies each compressed frame into
 * the next of CAMERA_RING user buffers and queues it as a V4L2 USERPTR
 * buffer; with more user buffers than the queue has slots, vb2 finds a new
 * pointer in the slot each time (__prepare_userptr), so vb2-dma-contig pins
 * and maps the user buffer (dma_map_sgtable of its whole length) for every
 * frame and unmaps it when the slot is reused.  The NV12 output goes to a
 * pool of CAMERA_NR_POOL MMAP buffers allocated when the stream starts.  A still
 * capture decodes one frame into a buffer of its own, freed once the photo
 * is handed over.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

/* 720p30 MJPEG: the HD webcams of these Chromebooks */
#define CAMERA_W			1280ULL
#define CAMERA_H			720ULL
#define CAMERA_NV12_BYTES		(CAMERA_W * CAMERA_H * 3 / 2)
#define CAMERA_FRAME_INTERVAL_NS	(NSEC_PER_SEC / 30)
/* each user buffer holds the largest compressed 720p frame (assumption) */
#define CAMERA_USER_BYTES		(160ULL * 1024)
#define CAMERA_DECODE_NS		(4ULL * NSEC_PER_MSEC)
#define CAMERA_STILL_HOLD_NS		(150ULL * NSEC_PER_MSEC)
/* Rates (assumptions, README). */
#define CAMERA_SESSION_GAP_MEAN_NS	(5ULL * 60 * NSEC_PER_SEC)
#define CAMERA_SESSION_LEN_MEAN_NS	(10ULL * 60 * NSEC_PER_SEC)
#define CAMERA_STILL_MEAN_NS		(30ULL * NSEC_PER_SEC)
#define CAMERA_PID			870	/* cros_camera_service */

uint64_t camera_frame_interval_ns(void)
{
	return CAMERA_FRAME_INTERVAL_NS;
}

static inline struct camera_client *to_camera(struct synth_actor *a)
{
	return container_of(a, struct camera_client, actor);
}

static void camera_stream_start(struct synth *s, struct camera_client *c)
{
	for (int i = 0; i < CAMERA_NR_POOL; i++)
		dma_alloc_attrs(s, &c->task, CAMERA_NV12_BYTES, &c->pool[i]);
	for (int i = 0; i < CAMERA_RING; i++)
		synth_buf_fault_user(s, &c->task, CAMERA_USER_BYTES, &c->ring[i]);
	c->ring_next = 0;
	c->streaming = true;
	c->session_end_ns = s->now_ns + synth_exp_ns(s, c->session_len_mean_ns);
	c->next_frame_ns = s->now_ns;
	c->next_still_ns = s->now_ns + synth_exp_ns(s, c->still_mean_ns);
	c->unmap_ns = c->still_free_ns = SYNTH_NEVER;
}

static void camera_stream_stop(struct synth *s, struct camera_client *c)
{
	if (synth_buf_mapped(&c->bitstream))
		dma_unmap_sgtable(s, &c->task, &c->bitstream);
	if (synth_buf_mapped(&c->still))
		dma_free_attrs(s, &c->task, &c->still);
	for (int i = 0; i < CAMERA_NR_POOL; i++)
		if (synth_buf_mapped(&c->pool[i]))
			dma_free_attrs(s, &c->task, &c->pool[i]);
	/* the service frees its user buffers: no IOMMU event */
	for (int i = 0; i < CAMERA_RING; i++)
		synth_buf_free_pages(s, &c->ring[i], c->task.cpu);
	c->streaming = false;
	c->sessions++;
}

static void camera_step(struct synth *s, struct synth_actor *a)
{
	struct camera_client *c = to_camera(a);

	if (!c->streaming) {
		if (!c->enabled) {
			a->next_ns = SYNTH_NEVER;
			return;
		}
		camera_stream_start(s, c);
	} else if (!c->enabled || s->now_ns >= c->session_end_ns) {
		camera_stream_stop(s, c);
		a->next_ns = c->enabled ? s->now_ns + synth_exp_ns(s, c->session_gap_mean_ns) : SYNTH_NEVER;
		return;
	}
	if (s->now_ns >= c->unmap_ns) {
		dma_unmap_sgtable(s, &c->task, &c->bitstream);
		c->unmap_ns = SYNTH_NEVER;
	}
	if (s->now_ns >= c->still_free_ns) {
		dma_free_attrs(s, &c->task, &c->still);
		c->still_free_ns = SYNTH_NEVER;
	}
	if (s->now_ns >= c->next_frame_ns) {
		struct synth_buf *user = &c->ring[c->ring_next];

		c->ring_next = (c->ring_next + 1) % CAMERA_RING;
		/* the previous decode is done long before the next frame comes */
		if (!synth_buf_mapped(&c->bitstream) && user->nr_blocks &&
		    !dma_map_sgtable(s, &c->task, user, &c->bitstream))
			c->unmap_ns = s->now_ns + CAMERA_DECODE_NS;
		c->frames++;
		c->next_frame_ns += CAMERA_FRAME_INTERVAL_NS;
	}
	if (s->now_ns >= c->next_still_ns) {
		if (!synth_buf_mapped(&c->still) && !dma_alloc_attrs(s, &c->task, CAMERA_NV12_BYTES, &c->still)) {
			c->still_free_ns = s->now_ns + CAMERA_STILL_HOLD_NS;
			c->stills++;
		}
		c->next_still_ns = s->now_ns + synth_exp_ns(s, c->still_mean_ns);
	}
	a->next_ns = MIN(MIN(c->next_frame_ns, c->unmap_ns), MIN(c->next_still_ns, c->still_free_ns));
	a->next_ns = MIN(a->next_ns, c->session_end_ns);
}

static void camera_destroy(struct synth_actor *a)
{
	struct camera_client *c = to_camera(a);

	for (int i = 0; i < CAMERA_NR_POOL; i++)
		synth_buf_release(&c->pool[i]);
	for (int i = 0; i < CAMERA_RING; i++)
		synth_buf_release(&c->ring[i]);
	synth_buf_release(&c->bitstream);
	synth_buf_release(&c->still);
	free(c);
}

struct camera_client *camera_client_add(struct synth *s)
{
	struct camera_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->actor.step = camera_step;
	c->actor.destroy = camera_destroy;
	synth_client_init(&c->task, "camera", CAMERA_PID);
	c->enabled = true;
	c->session_gap_mean_ns = CAMERA_SESSION_GAP_MEAN_NS;
	c->session_len_mean_ns = CAMERA_SESSION_LEN_MEAN_NS;
	c->still_mean_ns = CAMERA_STILL_MEAN_NS;
	c->actor.next_ns = synth_exp_ns(s, c->session_gap_mean_ns);
	if (synth_add_actor(s, &c->actor)) {
		free(c);
		return NULL;
	}
	return c;
}

void camera_client_set_enabled(struct synth *s, struct camera_client *c, bool on)
{
	c->enabled = on;
	if (on && !c->streaming)
		synth_wake(s, &c->actor);	/* the camera app opens now */
	else if (!on && c->streaming)
		synth_wake(s, &c->actor);
}

static int camera_setup(struct synth *s)
{
	return camera_client_add(s) ? 0 : -ENOMEM;
}

const struct synth_workload synth_camera = {
	.name = "camera",
	.what = "USB webcam 720p30 MJPEG through mtk-jpeg: per-frame USERPTR bitstream maps, NV12 pool, stills",
	.default_duration_s = 3600,
	.setup = camera_setup,
};
