# speed.gp - replay speed per backend (hyperfine, whole command incl. reading the trace).
# data: CSV "backend,mean_events_per_s,min,max" (over the workloads' traces).
load "scripts/plot/common.gp"
set title "Replay speed per backend, kernel 6.1 (bar: mean over the workloads; whiskers: slowest and fastest workload)"
set ylabel "events per second (millions)"
set xlabel "backend"
set style fill solid 0.85 border -1
set boxwidth 0.6
set yrange [0:*]
set xtics noenhanced
unset key
plot data using 0:($2/1e6):xtic(1) with boxes ls 1, \
     data using 0:($2/1e6):($3/1e6):($4/1e6) with yerrorbars ls 7
