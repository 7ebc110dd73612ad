# fidelity-pressure.gp - model vs real kernel under pressure: each backend's GFP_ATOMIC
# failure rate (failures / attempts) for every trace and pressure of the sweep.
# data: CSV "backend_index,backend,model_rate,kernel_rate" (scripts/fidelity.py), only the
# runs that say something: most runs fail nothing in both or everything in both, and
# would all sit on two points; `hidden` (a string) says how many were left out.
# Log scales: the rates that matter span 0.001 to 1.  A rate of 0 is drawn on the "0"
# line at the axis' foot, so a run where only one side failed stands out.
# On the solid line they agree; between the dashed ones they are within a factor of 2.
load "scripts/plot/common.gp"
set title sprintf("Model vs real 6.1 kernel under pressure: GFP_ATOMIC failure rate\n%s", hidden) noenhanced
set xlabel "model: failures / attempts"
set ylabel "kernel: failures / attempts"
set key inside left top vertical
floor = 1e-4
set logscale xy
set xrange [floor / 1.5:1.5]
set yrange [floor / 1.5:1.5]
set xtics ("0" floor, "0.001" 1e-3, "0.01" 1e-2, "0.1" 0.1, "1" 1)
set ytics ("0" floor, "0.001" 1e-3, "0.01" 1e-2, "0.1" 0.1, "1" 1)
set grid xtics ytics lc rgb "#dddddd"
set size ratio -1
set samples 200
z(r) = r > 0 ? r : floor
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
idx = system(sprintf("cut -d, -f1 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
nb = words(names)
plot [floor:1] x with lines ls 7 dt 1 lw 1 title "equal", \
     2 * x with lines ls 7 title "2x", \
     x / 2 with lines ls 7 notitle, \
     for [i=1:nb] data using ($1 == word(idx, i) + 0 ? z($3) : NaN):(z($4)) with points \
         ls bls(word(idx, i) + 0) pt (word(idx, i) + 5) ps 1.5 title word(names, i)
