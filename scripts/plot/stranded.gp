# stranded.gp - page_frag's stranded bytes over time (freed fragments it can neither
# reuse nor return), one line per workload.  data: "index,workload,t_s,stranded_kib,live_kib"
load "scripts/plot/common.gp"
set title "page-frag: stranded memory over time (kernel 6.1, no pressure, seed 1)".(exists("note") && note ne "" ? "\n".note : "")
set xlabel "trace time (% of the trace)"
set xrange [0:100]
set ylabel "stranded (KiB, log scale)"
set logscale y 2
set format y "%.0f"
nb = int(system(sprintf("cut -d, -f1 %s | sort -u | wc -l", data)))
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
# up to twelve workloads: six colours solid, then the same six dashed
colors = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02"
do for [j=0:11] { d = j / 6 + 1; set style line (11 + j) lc rgb word(colors, j % 6 + 1) dt d lw 2 }
plot for [i=0:nb-1] data using ($1 == i ? $3 : NaN):4 with steps ls (11 + i) title word(names, i+1)
