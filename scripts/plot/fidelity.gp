# fidelity.gp - model vs real kernel: footprint over time per backend for one trace.
# data: CSV "backend_index,backend,t_s,model_kib,kernel_kib" (scripts/fidelity.py);
# title: the trace.  Solid lines: the real 6.1 kernel; dashed, same colour: the model.
load "scripts/plot/common.gp"
set title sprintf("Model vs real 6.1 kernel, footprint over time: %s", title) noenhanced
set xlabel "trace time (s)"
set ylabel "pages held by the L2 allocator (KiB)"
set key outside bottom center horizontal maxrows 3
set logscale y 2
set autoscale xfix
set format y "%.0f"
nb = int(system(sprintf("cut -d, -f1 %s | sort -u | wc -l", data)))
names = system(sprintf("cut -d, -f2 %s | awk '!s[$0]++' | tr '\\n' ' '", data))
plot for [i=0:nb-1] data using ($1 == i ? $3 : NaN):5 with steps ls bls(i) \
         title sprintf("%s kernel", word(names, i+1)), \
     for [i=0:nb-1] data using ($1 == i ? $3 : NaN):4 with steps ls bls(i) dt 2 lw 4 \
         title sprintf("%s model", word(names, i+1))
