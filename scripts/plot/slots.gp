# slots.gp - pages held by each backend by number of free 1 KiB slots (0..4), at peak.
# data: CSV with a header "backend,0 free,1 free,2 free,3 free,4 free".
load "scripts/plot/common.gp"
set title sprintf("4 KiB pages held at peak live, by free 1 KiB slots (%s)", title) noenhanced
set ylabel "pages"
set xlabel "backend"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set xtics noenhanced
set logscale y 2
set yrange [0.5:*]
plot for [c=2:6] data using c:xtic(1) title columnheader(c) ls (c-1)
