# stranded.gp - page_frag's stranded bytes over time (freed fragments it can neither
# reuse nor return), one line per workload.  data: "index,workload,t_s,stranded_kib,live_kib"
load "scripts/plot/common.gp"
set title "page-frag: stranded memory over time (kernel 6.1, no pressure)"
set xlabel "trace time (% of the trace)"
set xrange [0:100]
set ylabel "stranded (KiB)"
nb = int(system(sprintf("cut -d, -f1 %s | sort -u | wc -l", data)))
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
plot for [i=0:nb-1] data using ($1 == i ? $3 : NaN):4 with steps ls (i+1) title word(names, i+1)
