// SPDX-License-Identifier: MIT
/*
 * scripts/lab/drm-dumb.c - a display-like DMA workload for the lab guest:
 * DRM dumb buffers of several sizes, created, drawn into, scanned out and
 * destroyed, on /dev/dri/card0 (virtio-gpu behind the IOMMU).
 *
 * Usage: drm-dumb [-r ROUNDS] [-f FLIPS] WxH...
 *
 * Why this makes IOMMU traffic: with VIRTIO_F_ACCESS_PLATFORM the virtio-gpu
 * driver (drivers/gpu/drm/virtio/virtgpu_object.c, virtio_gpu_object_shmem_init,
 * 6.1) maps each buffer's shmem pages with dma_map_sgtable() when it is created
 * and unmaps them when it is freed: large multi-page maps, like a compositor's
 * buffers on a Chromebook.  Every command (transfer, flush, set_scanout) also
 * goes through the virtqueue, whose buffers are mapped one by one
 * (virtio_ring.c, vring_map_one_sg).
 *
 * Per size and round: two XRGB8888 buffers, both filled; when a buffer covers
 * the connector's preferred mode it is put on the CRTC and the two are
 * alternated FLIPS times (SETCRTC), each after a redraw and DIRTYFB; smaller
 * buffers are drawn into and marked dirty without scanout (a texture).
 * Static binary (gcc -static): the guest is a bare busybox initramfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>
#include <drm_mode.h>

struct dumb {
	uint32_t handle;
	uint32_t fb_id;
	uint32_t pitch_bytes;
	uint64_t size_bytes;
	uint32_t *pixels;
};

static int drm_fd = -1;

static int xioctl(unsigned long req, void *arg, const char *what)
{
	int ret;

	do
		ret = ioctl(drm_fd, req, arg);
	while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	if (ret < 0)
		fprintf(stderr, "drm-dumb: %s: %s\n", what, strerror(errno));
	return ret < 0 ? -errno : 0;
}

/* The first connected connector, its preferred (first) mode and a CRTC its
 * encoder can drive.  Returns 0 or -errno. */
static int find_output(uint32_t *crtc_id, uint32_t *conn_id, struct drm_mode_modeinfo *mode)
{
	struct drm_mode_card_res res = { 0 };
	uint32_t crtcs[8], conns[8];
	uint32_t i;

	if (xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES"))
		return -ENODEV;
	if (res.count_crtcs == 0 || res.count_connectors == 0)
		return -ENODEV;
	if (res.count_crtcs > 8)
		res.count_crtcs = 8;
	if (res.count_connectors > 8)
		res.count_connectors = 8;
	res.count_fbs = res.count_encoders = 0;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.connector_id_ptr = (uintptr_t)conns;
	if (xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES"))
		return -ENODEV;
	for (i = 0; i < res.count_connectors; i++) {
		struct drm_mode_get_connector c = { .connector_id = conns[i] };
		struct drm_mode_modeinfo modes[64];

		if (xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR"))
			continue;
		if (c.connection != 1 || c.count_modes == 0)
			continue;
		if (c.count_modes > 64)
			c.count_modes = 64;
		c.count_props = c.count_encoders = 0;
		c.modes_ptr = (uintptr_t)modes;
		if (xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR"))
			continue;
		*mode = modes[0];
		*conn_id = conns[i];
		*crtc_id = crtcs[0];
		return 0;
	}
	return -ENODEV;
}

static int dumb_create(struct dumb *d, uint32_t width, uint32_t height)
{
	struct drm_mode_create_dumb c = { .width = width, .height = height, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	struct drm_mode_fb_cmd f = { .width = width, .height = height, .bpp = 32, .depth = 24 };
	void *p;
	int ret;

	ret = xioctl(DRM_IOCTL_MODE_CREATE_DUMB, &c, "CREATE_DUMB");
	if (ret)
		return ret;
	d->handle = c.handle;
	d->pitch_bytes = c.pitch;
	d->size_bytes = c.size;
	m.handle = c.handle;
	ret = xioctl(DRM_IOCTL_MODE_MAP_DUMB, &m, "MAP_DUMB");
	if (ret)
		goto err_destroy;
	p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, drm_fd, (off_t)m.offset);
	if (p == MAP_FAILED) {
		ret = -errno;
		fprintf(stderr, "drm-dumb: mmap %llu bytes: %s\n", (unsigned long long)c.size, strerror(errno));
		goto err_destroy;
	}
	d->pixels = p;
	f.pitch = c.pitch;
	f.handle = c.handle;
	ret = xioctl(DRM_IOCTL_MODE_ADDFB, &f, "ADDFB");
	if (ret)
		goto err_unmap;
	d->fb_id = f.fb_id;
	return 0;

err_unmap:
	munmap(d->pixels, d->size_bytes);
err_destroy:
	xioctl(DRM_IOCTL_MODE_DESTROY_DUMB, &(struct drm_mode_destroy_dumb){ .handle = c.handle },
	       "DESTROY_DUMB");
	return ret;
}

static void dumb_destroy(struct dumb *d)
{
	uint32_t fb_id = d->fb_id;

	xioctl(DRM_IOCTL_MODE_RMFB, &fb_id, "RMFB");
	munmap(d->pixels, d->size_bytes);
	xioctl(DRM_IOCTL_MODE_DESTROY_DUMB, &(struct drm_mode_destroy_dumb){ .handle = d->handle },
	       "DESTROY_DUMB");
}

/* Redraw the whole buffer (a moving gradient) and tell the driver, which
 * sends TRANSFER_TO_HOST_2D + RESOURCE_FLUSH through the virtqueue. */
static int dumb_draw(struct dumb *d, uint32_t width, uint32_t height, uint32_t frame)
{
	struct drm_mode_fb_dirty_cmd dirty = { .fb_id = d->fb_id };
	uint32_t x, y;

	for (y = 0; y < height; y++) {
		uint32_t *row = d->pixels + (size_t)y * (d->pitch_bytes / 4);

		for (x = 0; x < width; x++)
			row[x] = ((x + frame) & 0xff) << 16 | ((y + frame) & 0xff) << 8 | (frame & 0xff);
	}
	/* DIRTYFB on a buffer not being scanned out is a no-op for the
	 * atomic helpers (-ENOSYS from drivers without dirty): not an error. */
	if (ioctl(drm_fd, DRM_IOCTL_MODE_DIRTYFB, &dirty) < 0 && errno != ENOSYS) {
		fprintf(stderr, "drm-dumb: DIRTYFB: %s\n", strerror(errno));
		return -errno;
	}
	return 0;
}

static int set_crtc(uint32_t crtc_id, uint32_t conn_id, struct drm_mode_modeinfo *mode, uint32_t fb_id)
{
	struct drm_mode_crtc c = {
		.crtc_id = crtc_id, .fb_id = fb_id, .set_connectors_ptr = (uintptr_t)&conn_id,
		.count_connectors = 1, .mode = *mode, .mode_valid = 1,
	};

	return xioctl(DRM_IOCTL_MODE_SETCRTC, &c, "SETCRTC");
}

int main(int argc, char **argv)
{
	struct drm_mode_modeinfo mode;
	uint32_t crtc_id, conn_id;
	unsigned long rounds = 2, flips = 4;
	int opt, i, status = 1;

	while ((opt = getopt(argc, argv, "r:f:")) != -1) {
		if (opt == 'r')
			rounds = strtoul(optarg, NULL, 0);
		else if (opt == 'f')
			flips = strtoul(optarg, NULL, 0);
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	drm_fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (drm_fd < 0) {
		fprintf(stderr, "drm-dumb: /dev/dri/card0: %s\n", strerror(errno));
		return 1;
	}
	if (find_output(&crtc_id, &conn_id, &mode)) {
		fprintf(stderr, "drm-dumb: no connected connector with a mode\n");
		goto out;
	}
	printf("drm-dumb: connector %u, crtc %u, mode %ux%u\n", conn_id, crtc_id,
	       mode.hdisplay, mode.vdisplay);
	for (unsigned long r = 0; r < rounds; r++) {
		for (i = optind; i < argc; i++) {
			struct dumb buf[2];
			unsigned int w, h;
			int scanout, n;

			if (sscanf(argv[i], "%ux%u", &w, &h) != 2 || w == 0 || h == 0) {
				fprintf(stderr, "drm-dumb: %s: not WxH\n", argv[i]);
				goto out;
			}
			if (dumb_create(&buf[0], w, h))
				goto out;
			if (dumb_create(&buf[1], w, h)) {
				dumb_destroy(&buf[0]);
				goto out;
			}
			scanout = w >= mode.hdisplay && h >= mode.vdisplay;
			for (n = 0; n < (int)flips; n++) {
				struct dumb *d = &buf[n & 1];

				if (dumb_draw(d, w, h, (uint32_t)n) ||
				    (scanout && set_crtc(crtc_id, conn_id, &mode, d->fb_id)))
					break;
			}
			printf("drm-dumb: round %lu %ux%u: 2 x %llu bytes, %s, %d frames\n", r, w, h,
			       (unsigned long long)buf[0].size_bytes, scanout ? "scanout" : "texture", n);
			dumb_destroy(&buf[1]);
			dumb_destroy(&buf[0]);
			if (n != (int)flips)
				goto out;
		}
	}
	status = 0;
out:
	close(drm_fd);
	return status;
usage:
	fprintf(stderr, "usage: drm-dumb [-r ROUNDS] [-f FLIPS] WxH...\n");
	return 1;
}
