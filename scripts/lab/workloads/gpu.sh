# scripts/lab/workloads/gpu.sh - guest workload: a display-like workload on
# virtio-gpu (iommu_platform=on; the only device behind the IOMMU): the
# driver's probe and fbdev console, then DRM dumb buffers from 256x256 to
# 1920x1080 XRGB8888 created, drawn, scanned out and freed (/drm-dumb,
# scripts/lab/drm-dumb.c).  Writes /results/gpu.ftrace (tracefs).
. /lab/lib.sh
lab_trace_start 32768 || exit 1
# Loaded under the trace: the probe maps the virtqueues and the fbdev
# framebuffer through the IOMMU.
lab_modprobe virtio_gpu || exit 1
/drm-dumb -r 12 -f 6 256x256 640x480 1024x768 1920x1080 || exit 1
lab_trace_stop /results/gpu.ftrace || exit 1
lab_iommu_report
