// SPDX-License-Identifier: GPL-2.0
/*
 * day.c - the `day` workload: the clients of the other workloads switched on
 * and off along a day of use (README: "day").  The schedule is written on a
 * 24-hour clock and scaled to --duration-s, so a shorter run is the same day
 * compressed; the clients' own rates are not scaled.
 */
#include <errno.h>
#include <stdlib.h>

#include "workloads.h"

#define DAY_MINUTES	(24 * 60)

static const struct day_phase {
	uint32_t from_min;		/* minutes after midnight */
	bool awake, browse, video, camera;
} day_phases[] = {
	{ 0 * 60, false, false, false, false },		/* asleep */
	{ 7 * 60, true, true, false, false },		/* news */
	{ 8 * 60, true, false, true, true },		/* a video call: camera + remote stream */
	{ 9 * 60, true, true, false, false },		/* work */
	{ 12 * 60, true, false, true, false },		/* lunch: videos */
	{ 13 * 60, true, true, false, false },		/* work */
	{ 17 * 60, true, false, false, true },		/* camera app */
	{ 18 * 60, true, true, true, false },		/* evening: videos and pages */
	{ 21 * 60, true, true, false, false },
	{ 23 * 60, false, false, false, false },	/* asleep */
};

struct day_schedule {
	struct synth_actor actor;
	unsigned int phase;
	struct display_client *display;
	struct imagejob_client *jobs;
	struct video_client *video;
	struct camera_client *camera;
};

static inline struct day_schedule *to_day(struct synth_actor *a)
{
	return container_of(a, struct day_schedule, actor);
}

static uint64_t phase_start_ns(const struct synth *s, unsigned int i)
{
	/* 128-bit product: durations up to years stay exact */
	return (uint64_t)((unsigned __int128)day_phases[i].from_min * s->end_ns / DAY_MINUTES);
}

static void day_step(struct synth *s, struct synth_actor *a)
{
	struct day_schedule *d = to_day(a);
	const struct day_phase *p = &day_phases[d->phase];

	display_client_set_enabled(s, d->display, p->awake);
	imagejob_client_set_enabled(s, d->jobs, p->browse);
	video_client_set_enabled(s, d->video, p->video);
	camera_client_set_enabled(s, d->camera, p->camera);
	d->phase++;
	a->next_ns = d->phase < ARRAY_SIZE(day_phases) ? phase_start_ns(s, d->phase) : SYNTH_NEVER;
}

static void day_destroy(struct synth_actor *a)
{
	free(to_day(a));
}

static int day_setup(struct synth *s)
{
	struct day_schedule *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->actor.step = day_step;
	d->actor.destroy = day_destroy;
	d->actor.next_ns = 0;
	/* the schedule first, so at a phase boundary it acts before the clients */
	if (synth_add_actor(s, &d->actor)) {
		free(d);
		return -ENOSPC;
	}
	d->display = display_client_add(s);
	d->jobs = imagejob_client_add(s);
	d->video = video_client_add(s);
	d->camera = camera_client_add(s);
	if (!d->display || !d->jobs || !d->video || !d->camera)
		return -ENOMEM;
	return 0;
}

const struct synth_workload synth_day = {
	.name = "day",
	.what = "a day of use: asleep, pages, video calls, videos, camera, on a 24-hour schedule",
	.default_duration_s = 24 * 3600,
	.setup = day_setup,
};
