// SPDX-License-Identifier: GPL-2.0
/*
 * display.c - the display client (mediatek-drm) and the `display` workload.
 *
 * Scanout buffers are GEM objects: mtk_drm_gem_create() allocates them with
 * dma_alloc_attrs(priv->dma_dev, size, GFP_KERNEL, DMA_ATTR_WRITE_COMBINE),
 * which on the M4U is dma-iommu's alloc path (dma.h).  They live as long as
 * the mode: the compositor's swap chain is allocated once per mode and
 * reused frame after frame, so frames themselves trace nothing.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

/* Panel modes: the elm (Acer R13) 1920x1080 panel and the 2400x1600 one the
 * MT8173 devices list; a mode change swaps between them (README). */
static const struct { uint32_t w, h; } display_modes[] = {
	{ 1920, 1080 },
	{ 2400, 1600 },
};
#define XRGB8888_BYTES_PER_PIXEL 4
/* 64x64 ARGB8888 cursor plane buffer */
#define CURSOR_BYTES		(64ULL * 64 * 4)
/* an NV12 1920x1080 overlay plane buffer (12 bits per pixel) */
#define OVERLAY_BYTES		(1920ULL * 1080 * 3 / 2)

/* Rates (assumptions, README): a mode change every 20 min on average; an
 * overlay swap chain appears for 60 s on average, 120 s apart. */
#define DISPLAY_MODE_CHANGE_MEAN_NS	(20ULL * 60 * NSEC_PER_SEC)
#define DISPLAY_OVERLAY_ON_MEAN_NS	(60ULL * NSEC_PER_SEC)
#define DISPLAY_OVERLAY_OFF_MEAN_NS	(120ULL * NSEC_PER_SEC)
#define DISPLAY_PID			1201	/* the GPU process's compositor thread */

uint64_t display_fb_bytes(unsigned int mode)
{
	return (uint64_t)display_modes[mode].w * display_modes[mode].h * XRGB8888_BYTES_PER_PIXEL;
}

static inline struct display_client *to_display(struct synth_actor *a)
{
	return container_of(a, struct display_client, actor);
}

static void display_alloc_fbs(struct synth *s, struct display_client *d)
{
	for (int i = 0; i < DISPLAY_NR_FB; i++)
		dma_alloc_attrs(s, &d->task, display_fb_bytes(d->mode), &d->fb[i]);
}

static void display_free_all(struct synth *s, struct synth_buf *bufs, unsigned int n,
			     struct synth_client *task)
{
	for (unsigned int i = 0; i < n; i++)
		if (synth_buf_mapped(&bufs[i]))
			dma_free_attrs(s, task, &bufs[i]);
}

static void display_step(struct synth *s, struct synth_actor *a)
{
	struct display_client *d = to_display(a);

	if (!d->started) {
		/* boot: the cursor and the first mode's swap chain */
		for (int i = 0; i < DISPLAY_NR_CURSOR; i++)
			dma_alloc_attrs(s, &d->task, CURSOR_BYTES, &d->cursor[i]);
		display_alloc_fbs(s, d);
		d->started = true;
		d->next_mode_ns = s->now_ns + synth_exp_ns(s, d->mode_change_mean_ns);
		d->next_overlay_ns = s->now_ns + synth_exp_ns(s, DISPLAY_OVERLAY_OFF_MEAN_NS);
	} else if (!d->enabled) {
		a->next_ns = SYNTH_NEVER;
		return;
	} else if (s->now_ns >= d->next_mode_ns) {
		/* drmModeSetCrtc with a new mode: the old chain goes, a new one comes */
		display_free_all(s, d->fb, DISPLAY_NR_FB, &d->task);
		d->mode = (d->mode + 1) % ARRAY_SIZE(display_modes);
		display_alloc_fbs(s, d);
		d->next_mode_ns = s->now_ns + synth_exp_ns(s, d->mode_change_mean_ns);
	} else if (s->now_ns >= d->next_overlay_ns) {
		if (d->overlay_on) {
			display_free_all(s, d->overlay, DISPLAY_NR_OVERLAY, &d->task);
			d->next_overlay_ns = s->now_ns + synth_exp_ns(s, DISPLAY_OVERLAY_OFF_MEAN_NS);
		} else {
			for (int i = 0; i < DISPLAY_NR_OVERLAY; i++)
				dma_alloc_attrs(s, &d->task, OVERLAY_BYTES, &d->overlay[i]);
			d->next_overlay_ns = s->now_ns + synth_exp_ns(s, DISPLAY_OVERLAY_ON_MEAN_NS);
		}
		d->overlay_on = !d->overlay_on;
	}
	a->next_ns = MIN(d->next_mode_ns, d->next_overlay_ns);
}

static void display_destroy(struct synth_actor *a)
{
	struct display_client *d = to_display(a);

	for (int i = 0; i < DISPLAY_NR_FB; i++)
		synth_buf_release(&d->fb[i]);
	for (int i = 0; i < DISPLAY_NR_CURSOR; i++)
		synth_buf_release(&d->cursor[i]);
	for (int i = 0; i < DISPLAY_NR_OVERLAY; i++)
		synth_buf_release(&d->overlay[i]);
	free(d);
}

struct display_client *display_client_add(struct synth *s)
{
	struct display_client *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->actor.step = display_step;
	d->actor.destroy = display_destroy;
	d->actor.next_ns = 0;
	synth_client_init(&d->task, "display", DISPLAY_PID);
	d->enabled = true;
	d->mode_change_mean_ns = DISPLAY_MODE_CHANGE_MEAN_NS;
	if (synth_add_actor(s, &d->actor)) {
		free(d);
		return NULL;
	}
	return d;
}

void display_client_set_enabled(struct synth *s, struct display_client *d, bool on)
{
	d->enabled = on;
	if (on && d->started) {
		/* the timers restart from now: nothing happened while off */
		d->next_mode_ns = s->now_ns + synth_exp_ns(s, d->mode_change_mean_ns);
		d->next_overlay_ns = s->now_ns + synth_exp_ns(s, d->overlay_on ?
							     DISPLAY_OVERLAY_ON_MEAN_NS :
							     DISPLAY_OVERLAY_OFF_MEAN_NS);
		d->actor.next_ns = MIN(d->next_mode_ns, d->next_overlay_ns);
	}
}

static int display_setup(struct synth *s)
{
	return display_client_add(s) ? 0 : -ENOMEM;
}

const struct synth_workload synth_display = {
	.name = "display",
	.what = "mediatek-drm: triple-buffered XRGB8888 framebuffers, cursor, overlay planes, mode changes",
	.default_duration_s = 4 * 3600,
	.setup = display_setup,
};
