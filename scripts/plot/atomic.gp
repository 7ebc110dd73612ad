# atomic.gp - GFP_ATOMIC L2 allocation failure rate against free DMA32 memory.
# data: CSV "backend_index,backend,free_pages_above_min,failure_pct" (mean over seeds).
load "scripts/plot/common.gp"
set title sprintf("Atomic L2 allocation failures, free memory held by others (%s)%s", title, exists("note") && note ne "" ? "\n".note : "") noenhanced
set xlabel "free memory held, relative to the watermark GFP_ATOMIC sees (pages of 4 KiB)"
set ylabel "failed atomic allocations (%)"
set xrange [*:*]
set yrange [0:*]
nb = int(system(sprintf("cut -d, -f1 %s | sort -u | wc -l", data)))
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb "#888888" dt 3
# coinciding series stay visible: a dash type and a width of their own, widest first
do for [i=1:6] { set style line i dt i lw (3.5 - 0.4 * i) }
plot for [i=0:nb-1] data using ($1 == i ? $3 : NaN):4 with linespoints ls (i+1) pt (i+4) title word(names, i+1)
