# fidelity-pressure.gp - model vs real kernel under pressure: each backend's GFP_ATOMIC
# failure rate (failures / attempts) for every trace and pressure of the sweep.
# data: CSV "backend_index,backend,model_rate,kernel_rate" (scripts/fidelity.py).
# On the solid line they agree; between the dashed ones they are within a factor of 2.
load "scripts/plot/common.gp"
set title "Model vs real 6.1 kernel under pressure: GFP_ATOMIC failure rate" noenhanced
set xlabel "model: failures / attempts"
set ylabel "kernel: failures / attempts"
set key outside right top vertical
set xrange [-0.02:1.02]
set yrange [-0.02:1.02]
set grid xtics ytics lc rgb "#dddddd"
set size ratio -1
nb = 5
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
plot x with lines ls 7 dt 1 lw 1 title "equal", \
     2 * x with lines ls 7 title "2x", \
     x / 2 with lines ls 7 notitle, \
     for [i=0:nb-1] data using ($1 == i ? $3 : NaN):4 with points ls bls(i) pt (i+5) ps 1.5 \
         title word(names, i+1)
