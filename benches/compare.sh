#!/usr/bin/env bash
# Times `lectern build` (search index included) against Hugo on the same synthetic course,
# alternating the two: a cold build into an empty folder, then the median of RUNS rebuilds over
# the previous output; prints the ratios, processor time of the rebuilds, peak memory (of all
# runs) and output size (apparent, as `du --apparent-size`).
#
#   benches/compare.sh                 # 1,000 and 10,000 items, 5 runs each
#   RUNS=3 benches/compare.sh 100 1000 # other sizes
#
# Needs Debian's `hugo` and GNU time (/usr/bin/time). Corpora and outputs go to $WORK
# (default: a temporary folder). The file system matters as much as either tool when tens of
# thousands of files are created: `WORK=/dev/shm/bench` measures on tmpfs, without it.
#
# Hugo builds no search index; a Hugo site gets one from a separate indexer, usually Pagefind.
# With PAGEFIND set to its binary (`npm install pagefind` puts it in node_modules/.bin/), a
# second table times Hugo plus Pagefind over Hugo's output, the same deliverable as lectern's
# (pages and a static search index), against lectern's warm build.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
WORK=${WORK:-$(mktemp -d)}
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
LECTERN=target/release/lectern
GEN=target/release/examples/gen_corpus

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf '%-7s %9s | %13s %13s %6s | %13s %13s %6s | %11s %10s | %11s %11s | %9s %9s\n' \
  items markdown "lectern cold" "hugo cold" ratio "lectern warm" "hugo warm" ratio \
  "lectern CPU" "hugo CPU" "lectern RSS" "hugo RSS" "lect. out" "hugo out"
for n in "${SIZES[@]}"; do
  src="$WORK/lectern-$n" hsrc="$WORK/hugo-$n"
  rm -rf "$src" "$hsrc" "$WORK/out-l-$n" "$WORK/.out-l-$n.lectern-spare" "$WORK/out-h-$n"
  "$GEN" "$n" "$src" --hugo "$hsrc" >/dev/null
  : >"$WORK/l-$n.txt"
  : >"$WORK/h-$n.txt"
  # Run 0 writes into an empty folder (cold); the others replace their previous output (warm),
  # as an author rebuilding the site does. Both tools alternate, so both see the same machine.
  for run in $(seq 0 "$RUNS"); do
    /usr/bin/time -f "$run %e %M %U %S" -a -o "$WORK/l-$n.txt" "$LECTERN" build --root "$src" --output "$WORK/out-l-$n" >/dev/null 2>&1
    (cd "$hsrc" && /usr/bin/time -f "$run %e %M %U %S" -a -o "$WORK/h-$n.txt" hugo --quiet -d "$WORK/out-h-$n" >/dev/null)
  done
  cold() { awk '$1 == 0 {print $2}' "$1"; }
  warm() { awk '$1 > 0 {print $2}' "$1" | median; }
  peak() { awk '{print $3}' "$1" | sort -n | tail -1; }
  # Processor time (user + system) of the warm runs: the work done, whatever the waiting.
  cpu() { awk '$1 > 0 {print $4 + $5}' "$1" | median; }
  size() { du -sh --apparent-size "$1" | cut -f1; }
  lc=$(cold "$WORK/l-$n.txt") hc=$(cold "$WORK/h-$n.txt")
  lw=$(warm "$WORK/l-$n.txt") hw=$(warm "$WORK/h-$n.txt")
  lm=$(peak "$WORK/l-$n.txt") hm=$(peak "$WORK/h-$n.txt")
  lu=$(cpu "$WORK/l-$n.txt") hu=$(cpu "$WORK/h-$n.txt")
  printf '%-7s %9s | %12.2fs %12.2fs %6.2f | %12.2fs %12.2fs %6.2f | %10.2fs %9.2fs | %8d MB %8d MB | %9s %9s\n' "$n" \
    "$(size "$src/content")" "$lc" "$hc" "$(echo "$lc / $hc" | bc -l)" \
    "$lw" "$hw" "$(echo "$lw / $hw" | bc -l)" "$lu" "$hu" $((lm / 1024)) $((hm / 1024)) \
    "$(size "$WORK/out-l-$n")" "$(size "$WORK/out-h-$n")"
done

[ -n "${PAGEFIND:-}" ] || exit 0
echo
printf '%-7s | %13s %13s %13s %6s | %11s %13s\n' \
  items "lectern warm" "hugo warm" "+ pagefind" ratio "lectern RSS" "pagefind RSS"
for n in "${SIZES[@]}"; do
  : >"$WORK/p-$n.txt"
  for run in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "$run %e %M" -a -o "$WORK/p-$n.txt" "$PAGEFIND" --site "$WORK/out-h-$n" >/dev/null 2>&1
  done
  lw=$(awk '$1 > 0 {print $2}' "$WORK/l-$n.txt" | median)
  hw=$(awk '$1 > 0 {print $2}' "$WORK/h-$n.txt" | median)
  pw=$(awk '{print $2}' "$WORK/p-$n.txt" | median)
  lm=$(awk '{print $3}' "$WORK/l-$n.txt" | sort -n | tail -1)
  pm=$(awk '{print $3}' "$WORK/p-$n.txt" | sort -n | tail -1)
  printf '%-7s | %12.2fs %12.2fs %12.2fs %6.2f | %8d MB %10d MB\n' "$n" "$lw" "$hw" \
    "$(echo "$hw + $pw" | bc -l)" "$(echo "$lw / ($hw + $pw)" | bc -l)" $((lm / 1024)) $((pm / 1024))
done
