# waste.gp - footprint / live at peak live, per workload, one bar per backend.
# data: CSV with a header "workload,<backend>,<backend>..." (mean over seeds).
load "scripts/plot/common.gp"
set title "Peak footprint / peak live (kernel 6.1, no pressure, mean of seeds; 1 = no waste)".(exists("note") && note ne "" ? "\n".note : "")
set ylabel "footprint / live bytes (ratio, log scale)"
set xlabel "workload"
set logscale y 2
set yrange [0.5:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -30 noenhanced
ncol = int(system(sprintf("head -1 %s | tr ',' '\\n' | wc -l", data)))
set datafile missing ""
plot for [c=2:ncol] data using c:xtic(1) title columnheader(c) ls (c-1)
