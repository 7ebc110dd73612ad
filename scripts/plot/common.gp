# common.gp - loaded by every plot: one look for all of them.
# The caller sets `term` ("svg" or "png") and `out` (the file to write).
if (term eq "svg") {
    set terminal svg size 900,520 dynamic font "Helvetica,13" background rgb "white"
} else {
    set terminal pngcairo size 1200,700 font "Helvetica,13" background rgb "white"
}
set output out
set termoption noenhanced
set datafile separator ","
set key outside right top vertical noreverse noenhanced
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set style line 1 lc rgb "#1b9e77" lw 2
set style line 2 lc rgb "#d95f02" lw 2
set style line 3 lc rgb "#7570b3" lw 2
set style line 4 lc rgb "#e7298a" lw 2
set style line 5 lc rgb "#66a61e" lw 2
set style line 6 lc rgb "#e6ab02" lw 2
set style line 7 lc rgb "#333333" lw 2 dt 2
# 8, 9: the seventh and eighth backend where 7 is the reference line (bls below)
set style line 8 lc rgb "#a6761d" lw 2
set style line 9 lc rgb "#1f78b4" lw 2
# the line style of backend index i (0-based), past 7
bls(i) = i < 6 ? i + 1 : i + 2
