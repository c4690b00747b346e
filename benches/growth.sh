#!/usr/bin/env bash
# Measures how `lectern build` (search index included) grows with the size of a course: for each
# size, a synthetic course is built RUNS times, a cold build into an empty folder first, then
# rebuilds over the previous output; prints the median rebuild time, the cold time, peak memory
# (of all runs), output size (apparent, as `du --apparent-size`) and the number of files written,
# and appends the same as CSV rows for benches/plot-growth.py.
#
#   benches/growth.sh                  # 1,000, 10,000 and 100,000 items, 3 runs each
#   RUNS=5 benches/growth.sh 100 1000  # other sizes
#   benches/plot-growth.py "$WORK/growth.csv" docs/growth.svg
#   GEN_ARGS=--steady-vocabulary benches/growth.sh   # courses whose vocabulary does not grow
#
# Needs GNU time (/usr/bin/time). Corpora and outputs go to $WORK (default: a temporary folder)
# and each size's are deleted once measured: 100,000 items take several GB. Rows are appended
# to $OUT_CSV (default: $WORK/growth.csv), so runs on several machines or days can share a file.
# SKIP_BUILD=1 uses the binaries already in target/release instead of building them first.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)
WORK=${WORK:-$(mktemp -d)}
OUT_CSV=${OUT_CSV:-$WORK/growth.csv}
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)" >&2; exit 2; }
# A median of warm builds needs at least one after the cold one.
[ "$RUNS" -ge 2 ] || { echo "RUNS must be at least 2 (one cold build, then warm ones)" >&2; exit 2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet
  cargo build --release --quiet --example gen_corpus
fi
LECTERN=target/release/lectern
GEN=target/release/examples/gen_corpus
for bin in "$LECTERN" "$GEN"; do
  [ -x "$bin" ] || { echo "$bin is missing (run without SKIP_BUILD)" >&2; exit 2; }
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Each line of a timings file: run number (0 is cold), wall s, peak RSS KB, user s, system s.
cold() { awk '$1 == 0 {print $2}' "$1"; }
warm() { awk '$1 > 0 {print $2}' "$1" | median; }
# Processor time (user + system) of the warm runs: the work done, whatever the waiting.
cpu() { awk '$1 > 0 {print $4 + $5}' "$1" | median; }
peak_mb() { awk '{print $3}' "$1" | sort -n | tail -1 | awk '{printf "%.1f", $1 / 1024}'; }
size_mb() { du -s -B1 --apparent-size "$1" | awk '{printf "%.1f", $1 / 1048576}'; }
file_count() { find "$1" -type f | wc -l; }

# Removes a size's course and output, including the spare folder lectern keeps beside the output.
clean() { rm -rf "$WORK/course-$1" "$WORK/out-$1" "$WORK/.out-$1.lectern-spare"; }

# Builds the course of size $1 RUNS times, appending one timings line per run to $2.
time_builds() {
  local n=$1 timings=$2 run
  : >"$timings"
  for run in $(seq 0 $((RUNS - 1))); do
    /usr/bin/time -f "$run %e %M %U %S" -a -o "$timings" \
      "$LECTERN" build --root "$WORK/course-$n" --output "$WORK/out-$n" >/dev/null 2>&1
  done
}

[ -s "$OUT_CSV" ] || echo "items,cold_s,warm_s,cpu_s,rss_mb,output_mb,files" >"$OUT_CSV"
printf '%-7s %10s %10s %10s %11s %9s\n' items "warm (s)" "cold (s)" "RSS (MB)" "output (MB)" files
for n in "${SIZES[@]}"; do
  clean "$n"
  # shellcheck disable=SC2086 # GEN_ARGS holds options, split on spaces
  "$GEN" "$n" "$WORK/course-$n" ${GEN_ARGS:-} >/dev/null
  timings="$WORK/times-$n.txt"
  time_builds "$n" "$timings"
  c=$(cold "$timings") w=$(warm "$timings") u=$(cpu "$timings") m=$(peak_mb "$timings")
  o=$(size_mb "$WORK/out-$n") f=$(file_count "$WORK/out-$n")
  clean "$n"
  printf '%-7s %10.2f %10.2f %10s %11s %9s\n' "$n" "$w" "$c" "$m" "$o" "$f"
  echo "$n,$c,$w,$u,$m,$o,$f" >>"$OUT_CSV"
done
echo "rows appended to $OUT_CSV"
