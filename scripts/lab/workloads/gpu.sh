# scripts/lab/workloads/gpu.sh - guest workload: a display-like workload on
# virtio-gpu (iommu_platform=on; the only device behind the IOMMU): the
# driver's probe and fbdev console, then DRM dumb buffers from 256x256 to
# 1920x1080 XRGB8888 created, drawn, scanned out and freed (/drm-dumb,
# scripts/lab/drm-dumb.c).
# Recorded twice in the same run: /results/gpu.ftrace (tracefs) and
# /results/gpu.ptb (ptrec, started first and stopped last).
. /lab/lib.sh
lab_ptrec_start /results/gpu.ptb || exit 1
lab_trace_start 32768 || exit 1
# Loaded under the trace: the probe maps the virtqueues and the fbdev
# framebuffer through the IOMMU.
lab_modprobe virtio_gpu || exit 1
# fbcon's blinking cursor redraws the console through the virtqueue (60
# events a second when idle, measured): off, so the device is quiet outside
# the workload and every recorder's window sees the same events.
echo 0 >/sys/class/graphics/fbcon/cursor_blink || exit 1
/drm-dumb -r 12 -f 6 256x256 640x480 1024x768 1920x1080 || exit 1
# Closing the DRM device gives the CRTC back to fbdev, whose restore and
# damage worker keep the virtqueue busy a little longer (20 events, seen by
# ptrec after tracefs had stopped): let them finish inside both windows.
sleep 1
lab_trace_stop /results/gpu.ftrace || exit 1
lab_ptrec_stop /results/gpu.ptrec.log || exit 1
lab_iommu_report
