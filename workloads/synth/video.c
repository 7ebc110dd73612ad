// SPDX-License-Identifier: GPL-2.0
/*
 * video.c - one video "tab": a decode session on the MT8173 video decoder
 * (mtk-vcodec, stateful V4L2), its MDP conversion and its overlay scanout;
 * and the `video` workload (two tabs).
 *
 * Buffers of a session, in the order the drivers allocate them:
 *  - H.264 only: the prediction buffer at init (vdec_h264_if.c,
 *    allocate_predication_buf: BUF_PREDICTION_SZ = 32 KiB);
 *  - OUTPUT (bitstream) queue: VIDEO_NR_OUTPUT buffers of 1 MiB (vb2-dma-contig
 *    MMAP; Chrome's V4L2VideoDecodeAccelerator asks kInputBufferCount = 8 of
 *    kInputBufferMaxSizeFor1080p = 1 MiB);
 *  - at the first frame (resolution known): the decoder's motion-vector
 *    buffers (H.264: 17 of 64 B per macroblock, alloc_mv_buf; VP9: one of
 *    ((w/64)(h/64) + 2) * 36 * 16 B, vp9_alloc_work_buf), then the CAPTURE
 *    queue: dpb + 5 buffers of two planes (MT21C: Y, then CbCr at half size),
 *    each plane its own dma_alloc_attrs (dpb + kDpbOutputBufferExtraCount);
 *  - the MDP (mtk-mdp) converts MT21C to NV12: it imports both planes of
 *    every CAPTURE buffer (a second mapping of the same pages, at a new IOVA
 *    in the same domain) and allocates VIDEO_NR_MDP_OUT NV12 buffers;
 *  - the compositor puts the video on an overlay plane: mediatek-drm imports
 *    the NV12 buffers (drm_gem_prime_import: one mapping each).
 * Frames reuse these buffers: decoding traces nothing per frame.  A resolution
 * switch (adaptive streaming) re-allocates everything that depends on the
 * resolution; a seek only flushes (no buffer changes, nothing traced).
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

enum { CODEC_H264, CODEC_VP9 };
enum { RES_1080P, RES_720P };

/* coded sizes: MT21C tiles are 16x32, so the height is aligned to 32 */
static const struct { uint32_t w, h, h_vp9; unsigned int h264_dpb; } video_res[] = {
	/* H.264 level 4.1 1080p: MaxDpbMbs 32768 / 8160 MBs = 4 frames;
	 * level 3.1 720p: 18000 / 3600 = 5 frames (H.264 Table A-1) */
	[RES_1080P] = { 1920, 1088, 1088, 4 },
	[RES_720P] = { 1280, 736, 768, 5 },
};
#define VP9_NUM_REF_FRAMES	8	/* VP9 spec: NUM_REF_FRAMES */
/* Chrome's V4L2VideoDecodeAccelerator: kDpbOutputBufferExtraCount =
 * limits::kMaxVideoFrames (4) + 1 CAPTURE buffers beyond the DPB */
#define VIDEO_DPB_EXTRA		5
#define VIDEO_OUTPUT_BYTES	(1024ULL * 1024)
#define H264_PRED_BYTES		(32ULL * 1024)	/* BUF_PREDICTION_SZ */
#define H264_MB_STORE_BYTES	64		/* HW_MB_STORE_SZ */

/* Rates (assumptions, README). */
#define VIDEO_SESSION_GAP_MEAN_NS	(30ULL * NSEC_PER_SEC)
#define VIDEO_SESSION_LEN_MEAN_NS	(4ULL * 60 * NSEC_PER_SEC)
#define VIDEO_RES_SWITCH_MEAN_NS	(60ULL * NSEC_PER_SEC)
#define VIDEO_HEADER_NS			(30ULL * NSEC_PER_MSEC)	/* first header parsed */
static const unsigned int codec_weights[] = { [CODEC_H264] = 40, [CODEC_VP9] = 60 };
static const unsigned int res_weights[] = { [RES_1080P] = 70, [RES_720P] = 30 };
#define VIDEO_MEDIA_PID		1205	/* the GPU process's media thread */
#define VIDEO_COMPOSITOR_PID	1201

uint64_t video_plane_bytes(unsigned int res, unsigned int plane)
{
	uint64_t y = (uint64_t)video_res[res].w * video_res[res].h;

	return plane ? y / 2 : y;
}

static uint64_t nv12_bytes(unsigned int res)
{
	/* the display size: 1080 or 720 lines */
	return (uint64_t)video_res[res].w * (res == RES_1080P ? 1080 : 720) * 3 / 2;
}

static uint64_t mv_bytes(unsigned int codec, unsigned int res)
{
	uint64_t w = video_res[res].w;

	if (codec == CODEC_H264)
		return H264_MB_STORE_BYTES * (w / 16) * (video_res[res].h / 16);
	return ((w / 64) * (video_res[res].h_vp9 / 64) + 2) * 36 * 16;
}

static inline struct video_client *to_video(struct synth_actor *a)
{
	return container_of(a, struct video_client, actor);
}

static void free_if_mapped(struct synth *s, struct synth_client *c, struct synth_buf *b)
{
	if (!synth_buf_mapped(b))
		return;
	if (b->owns_pages)
		dma_free_attrs(s, c, b);
	else
		dma_unmap_sgtable(s, c, b);
}

/* Everything that depends on the resolution, in driver order. */
static void video_res_alloc(struct synth *s, struct video_client *v)
{
	unsigned int i;

	v->nr_capture = (v->codec == CODEC_H264 ? video_res[v->res].h264_dpb : VP9_NUM_REF_FRAMES) +
			VIDEO_DPB_EXTRA;
	/* the decoder: alloc_mv_buf frees and re-allocates each MV buffer in turn */
	v->nr_mv = v->codec == CODEC_H264 ? VIDEO_H264_MV_BUFS : 1;
	for (i = 0; i < v->nr_mv; i++) {
		free_if_mapped(s, &v->task, &v->mv[i]);
		dma_alloc_attrs(s, &v->task, mv_bytes(v->codec, v->res), &v->mv[i]);
	}
	for (i = 0; i < v->nr_capture; i++) {
		dma_alloc_attrs(s, &v->task, video_plane_bytes(v->res, 0), &v->cap_y[i]);
		dma_alloc_attrs(s, &v->task, video_plane_bytes(v->res, 1), &v->cap_c[i]);
	}
	for (i = 0; i < v->nr_capture; i++) {
		if (synth_buf_mapped(&v->cap_y[i]))
			dma_map_sgtable(s, &v->task, &v->cap_y[i], &v->mdp_in_y[i]);
		if (synth_buf_mapped(&v->cap_c[i]))
			dma_map_sgtable(s, &v->task, &v->cap_c[i], &v->mdp_in_c[i]);
	}
	for (i = 0; i < VIDEO_NR_MDP_OUT; i++)
		dma_alloc_attrs(s, &v->task, nv12_bytes(v->res), &v->mdp_out[i]);
	for (i = 0; i < VIDEO_NR_MDP_OUT; i++)
		if (synth_buf_mapped(&v->mdp_out[i]))
			dma_map_sgtable(s, &v->compositor, &v->mdp_out[i], &v->scanout[i]);
}

/* STREAMOFF + REQBUFS(0) on every resolution-dependent queue: users first. */
static void video_res_free(struct synth *s, struct video_client *v)
{
	for (unsigned int i = 0; i < VIDEO_NR_MDP_OUT; i++) {
		free_if_mapped(s, &v->compositor, &v->scanout[i]);
		free_if_mapped(s, &v->task, &v->mdp_out[i]);
	}
	for (unsigned int i = 0; i < v->nr_capture; i++) {
		free_if_mapped(s, &v->task, &v->mdp_in_y[i]);
		free_if_mapped(s, &v->task, &v->mdp_in_c[i]);
	}
	for (unsigned int i = 0; i < v->nr_capture; i++) {
		free_if_mapped(s, &v->task, &v->cap_y[i]);
		free_if_mapped(s, &v->task, &v->cap_c[i]);
	}
}

static void video_session_start(struct synth *s, struct video_client *v)
{
	v->codec = synth_pick(s, codec_weights, ARRAY_SIZE(codec_weights));
	v->res = synth_pick(s, res_weights, ARRAY_SIZE(res_weights));
	if (v->codec == CODEC_H264)
		dma_alloc_attrs(s, &v->task, H264_PRED_BYTES, &v->pred);
	for (int i = 0; i < VIDEO_NR_OUTPUT; i++)
		dma_alloc_attrs(s, &v->task, VIDEO_OUTPUT_BYTES, &v->output[i]);
	v->session_end_ns = s->now_ns + synth_exp_ns(s, v->session_len_mean_ns);
	v->state = VIDEO_STARTING;
	v->actor.next_ns = s->now_ns + VIDEO_HEADER_NS;
}

/* close(): the queues go, then the decoder instance (vdec_h264_deinit). */
static void video_session_end(struct synth *s, struct video_client *v)
{
	video_res_free(s, v);
	for (int i = 0; i < VIDEO_NR_OUTPUT; i++)
		free_if_mapped(s, &v->task, &v->output[i]);
	free_if_mapped(s, &v->task, &v->pred);
	for (unsigned int i = 0; i < v->nr_mv; i++)
		free_if_mapped(s, &v->task, &v->mv[i]);
	v->nr_mv = 0;
	v->state = VIDEO_IDLE;
	v->sessions++;
}

static void video_step(struct synth *s, struct synth_actor *a)
{
	struct video_client *v = to_video(a);

	switch (v->state) {
	case VIDEO_IDLE:
		if (!v->enabled) {
			a->next_ns = SYNTH_NEVER;
			return;
		}
		video_session_start(s, v);
		return;
	case VIDEO_STARTING:
		if (!v->enabled || s->now_ns >= v->session_end_ns)
			break;
		video_res_alloc(s, v);
		v->state = VIDEO_PLAYING;
		v->next_switch_ns = s->now_ns + synth_exp_ns(s, v->res_switch_mean_ns);
		a->next_ns = MIN(v->session_end_ns, v->next_switch_ns);
		return;
	case VIDEO_PLAYING:
		if (!v->enabled || s->now_ns >= v->session_end_ns)
			break;
		/* adaptive streaming changed the resolution: SOURCE_CHANGE */
		video_res_free(s, v);
		v->res = v->res == RES_1080P ? RES_720P : RES_1080P;
		video_res_alloc(s, v);
		v->switches++;
		v->next_switch_ns = s->now_ns + synth_exp_ns(s, v->res_switch_mean_ns);
		a->next_ns = MIN(v->session_end_ns, v->next_switch_ns);
		return;
	}
	video_session_end(s, v);
	a->next_ns = v->enabled ? s->now_ns + synth_exp_ns(s, v->session_gap_mean_ns) : SYNTH_NEVER;
}

static void video_destroy(struct synth_actor *a)
{
	struct video_client *v = to_video(a);

	synth_buf_release(&v->pred);
	for (int i = 0; i < VIDEO_H264_MV_BUFS; i++)
		synth_buf_release(&v->mv[i]);
	for (int i = 0; i < VIDEO_NR_OUTPUT; i++)
		synth_buf_release(&v->output[i]);
	for (int i = 0; i < VIDEO_MAX_CAPTURE; i++) {
		synth_buf_release(&v->cap_y[i]);
		synth_buf_release(&v->cap_c[i]);
		synth_buf_release(&v->mdp_in_y[i]);
		synth_buf_release(&v->mdp_in_c[i]);
	}
	for (int i = 0; i < VIDEO_NR_MDP_OUT; i++) {
		synth_buf_release(&v->mdp_out[i]);
		synth_buf_release(&v->scanout[i]);
	}
	free(v);
}

struct video_client *video_client_add(struct synth *s)
{
	struct video_client *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->actor.step = video_step;
	v->actor.destroy = video_destroy;
	synth_client_init(&v->task, "vcodec", VIDEO_MEDIA_PID);
	synth_client_init(&v->compositor, "compositor", VIDEO_COMPOSITOR_PID);
	v->enabled = true;
	v->session_gap_mean_ns = VIDEO_SESSION_GAP_MEAN_NS;
	v->session_len_mean_ns = VIDEO_SESSION_LEN_MEAN_NS;
	v->res_switch_mean_ns = VIDEO_RES_SWITCH_MEAN_NS;
	v->actor.next_ns = synth_exp_ns(s, v->session_gap_mean_ns);
	if (synth_add_actor(s, &v->actor)) {
		free(v);
		return NULL;
	}
	return v;
}

void video_client_set_enabled(struct synth *s, struct video_client *v, bool on)
{
	v->enabled = on;
	if (on && v->state == VIDEO_IDLE)
		v->actor.next_ns = s->now_ns + synth_exp_ns(s, v->session_gap_mean_ns);
	else if (!on && v->state != VIDEO_IDLE)
		synth_wake(s, &v->actor);	/* the tab is closed now */
}

/* Two tabs: a second video may play while the first one does. */
static int video_setup(struct synth *s)
{
	return video_client_add(s) && video_client_add(s) ? 0 : -ENOMEM;
}

const struct synth_workload synth_video = {
	.name = "video",
	.what = "mtk-vcodec VP9/H.264 decode sessions (bitstream, MT21C frames, MV buffers), MDP NV12, overlay",
	.default_duration_s = 2 * 3600,
	.setup = video_setup,
};
