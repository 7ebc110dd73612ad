/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workloads.h - the MT8173 IOMMU clients the synthetic workloads are made of,
 * and the workloads themselves (registry in engine.c).
 *
 * Types:
 *   struct display_client   mediatek-drm: framebuffers, cursor, overlay planes.
 *   struct video_client     one decode "tab": mtk-vcodec decoder + MDP
 *                           conversion + overlay import, session by session.
 *   struct camera_client    a USB webcam's MJPEG frames through mtk-jpeg.
 *   struct imagejob_client  JPEG decode + MDP scaling jobs of a web page.
 * Each client is an actor (engine.h).  A workload creates some clients and
 * sets their rates; `day` switches them on and off by the hour.  Every size
 * and rate is a #define in the client's file, with its source or reasoning,
 * and is listed in README.md.
 */
#ifndef PTB_SYNTH_WORKLOADS_H
#define PTB_SYNTH_WORKLOADS_H

#include "dma.h"
#include "engine.h"

/* ---- display.c ---- */
#define DISPLAY_NR_FB		3
#define DISPLAY_NR_CURSOR	2
#define DISPLAY_NR_OVERLAY	3

struct display_client {
	struct synth_actor actor;
	struct synth_client task;
	bool enabled;			/* false: buffers stay, nothing changes */
	bool started;
	unsigned int mode;		/* index into the mode table */
	bool overlay_on;
	uint64_t mode_change_mean_ns;
	uint64_t next_mode_ns, next_overlay_ns;
	struct synth_buf fb[DISPLAY_NR_FB];
	struct synth_buf cursor[DISPLAY_NR_CURSOR];
	struct synth_buf overlay[DISPLAY_NR_OVERLAY];
};

struct display_client *display_client_add(struct synth *s);
void display_client_set_enabled(struct synth *s, struct display_client *d, bool on);
/* Framebuffer bytes of mode @i (XRGB8888), for the tests. */
uint64_t display_fb_bytes(unsigned int mode);

/* ---- video.c ---- */
#define VIDEO_NR_OUTPUT		8
#define VIDEO_MAX_CAPTURE	13	/* VP9: 8 + 5 */
#define VIDEO_H264_MV_BUFS	17
#define VIDEO_NR_MDP_OUT	4

enum video_state { VIDEO_IDLE, VIDEO_STARTING, VIDEO_PLAYING };

struct video_client {
	struct synth_actor actor;
	struct synth_client task;	/* the GPU process's media thread */
	struct synth_client compositor;	/* overlay imports */
	bool enabled;
	enum video_state state;
	uint64_t session_gap_mean_ns, session_len_mean_ns, res_switch_mean_ns;
	uint64_t session_end_ns, next_switch_ns;
	unsigned int codec, res;	/* current session */
	unsigned int nr_capture;
	struct synth_buf pred;		/* H.264 prediction buffer */
	struct synth_buf mv[VIDEO_H264_MV_BUFS];
	unsigned int nr_mv;
	struct synth_buf output[VIDEO_NR_OUTPUT];
	struct synth_buf cap_y[VIDEO_MAX_CAPTURE], cap_c[VIDEO_MAX_CAPTURE];
	struct synth_buf mdp_in_y[VIDEO_MAX_CAPTURE], mdp_in_c[VIDEO_MAX_CAPTURE];
	struct synth_buf mdp_out[VIDEO_NR_MDP_OUT];
	struct synth_buf scanout[VIDEO_NR_MDP_OUT];
	uint64_t sessions, switches;	/* counted, for the tests */
};

struct video_client *video_client_add(struct synth *s);
void video_client_set_enabled(struct synth *s, struct video_client *v, bool on);
/* Plane bytes of a CAPTURE buffer: @plane 0 = Y, 1 = CbCr; @res 0 = 1080p, 1 = 720p. */
uint64_t video_plane_bytes(unsigned int res, unsigned int plane);

/* ---- camera.c ---- */
#define CAMERA_NR_POOL		4
#define CAMERA_RING		8	/* the service's user buffers (assumption) */

struct camera_client {
	struct synth_actor actor;
	struct synth_client task;	/* cros_camera_service */
	bool enabled, streaming;
	uint64_t session_gap_mean_ns, session_len_mean_ns, still_mean_ns;
	uint64_t session_end_ns, next_frame_ns, unmap_ns, next_still_ns, still_free_ns;
	struct synth_buf pool[CAMERA_NR_POOL];
	struct synth_buf ring[CAMERA_RING];	/* the service's user buffers */
	unsigned int ring_next;
	struct synth_buf bitstream;	/* the mapping of the frame being decoded */
	struct synth_buf still;
	uint64_t frames, stills, sessions;
};

struct camera_client *camera_client_add(struct synth *s);
void camera_client_set_enabled(struct synth *s, struct camera_client *c, bool on);
uint64_t camera_frame_interval_ns(void);

/* ---- browse.c: image jobs ---- */
#define IMAGEJOB_MAX_INFLIGHT	32

struct imagejob {
	uint64_t next_ns;		/* SYNTH_NEVER when the slot is free */
	unsigned int stage;
	uint64_t decode_ns, scale_ns;
	uint64_t argb_bytes;		/* the MDP output */
	struct synth_buf bitstream, yuv, mdp_in, mdp_out;
};

struct imagejob_client {
	struct synth_actor actor;
	struct synth_client jpeg, mdp;
	bool enabled, loading;
	uint64_t jobs_per_s;		/* arrival rate while a page loads / scrolls */
	uint64_t loading_mean_ns, reading_mean_ns;
	uint64_t phase_end_ns, next_arrival_ns;
	struct imagejob jobs[IMAGEJOB_MAX_INFLIGHT];
	uint64_t arrivals, dropped;	/* dropped: all slots busy */
};

struct imagejob_client *imagejob_client_add(struct synth *s);
void imagejob_client_set_enabled(struct synth *s, struct imagejob_client *j, bool on);

/* Wake an actor now (a client switched on or off). */
static inline void synth_wake(struct synth *s, struct synth_actor *a)
{
	a->next_ns = s->now_ns;
}

/* ---- the workloads ---- */
extern const struct synth_workload synth_display;
extern const struct synth_workload synth_video;
extern const struct synth_workload synth_camera;
extern const struct synth_workload synth_browse;
extern const struct synth_workload synth_churn;
extern const struct synth_workload synth_frag_worst;
extern const struct synth_workload synth_day;
extern const struct synth_workload synth_mtk16g;

#endif /* PTB_SYNTH_WORKLOADS_H */
