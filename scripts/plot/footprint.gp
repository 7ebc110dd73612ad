# footprint.gp - footprint over time per backend, with the live-table lower bound.
# data: CSV "backend_index,backend,t_s,min_kib,mean_kib,max_kib" (downsampled by plots.py),
# bound: CSV "t_s,lower_bound_kib"; title: the run.
load "scripts/plot/common.gp"
set title sprintf("Page-table memory over time: %s%s", title, exists("note") && note ne "" ? "\n".note : "") noenhanced
set xlabel "trace time (s)"
set ylabel "footprint (KiB)"
set key outside bottom center horizontal maxrows 2
set logscale y 2
set autoscale xfix
set format y "%.0f"
nb = int(system(sprintf("cut -d, -f1 %s | sort -u | wc -l", data)))
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
# series that coincide (slab-dma and slab-dma32 on 6.1) stay visible: a dash type and a
# width of their own, widest first
do for [i=1:6] { set style line i dt i lw (3.5 - 0.4 * i) }
plot for [i=0:nb-1] data using ($1 == i ? $3 : NaN):5 with steps ls (i+1) title word(names, i+1), \
     bound using 1:2 with steps ls 7 title "lower bound: ceil(live / 4 KiB) pages"
