#!/usr/bin/env bash
# Times `lectern build` (search index included) against Hugo on the same synthetic course,
# alternating the two, and prints medians, the ratio, peak memory and output size.
#
#   benches/compare.sh                 # 1,000 and 10,000 items, 5 runs each
#   RUNS=3 benches/compare.sh 100 1000 # other sizes
#
# Needs Debian's `hugo` and GNU time (/usr/bin/time). Corpora and outputs go to $WORK
# (default: a temporary folder).
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

printf '%-7s %10s %8s %8s %7s %12s %12s %11s %11s\n' items markdown lectern hugo ratio "lectern RSS" "hugo RSS" "lectern out" "hugo out"
for n in "${SIZES[@]}"; do
  src="$WORK/lectern-$n" hsrc="$WORK/hugo-$n"
  rm -rf "$src" "$hsrc"
  "$GEN" "$n" "$src" --hugo "$hsrc" >/dev/null
  : >"$WORK/l-$n.txt"
  : >"$WORK/h-$n.txt"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -a -o "$WORK/l-$n.txt" "$LECTERN" build --root "$src" --output "$WORK/out-l-$n" 2>/dev/null
    (cd "$hsrc" && /usr/bin/time -f "%e %M" -a -o "$WORK/h-$n.txt" hugo --quiet -d "$WORK/out-h-$n" >/dev/null)
  done
  lt=$(cut -d' ' -f1 "$WORK/l-$n.txt" | median)
  ht=$(cut -d' ' -f1 "$WORK/h-$n.txt" | median)
  lm=$(cut -d' ' -f2 "$WORK/l-$n.txt" | sort -n | tail -1)
  hm=$(cut -d' ' -f2 "$WORK/h-$n.txt" | sort -n | tail -1)
  printf '%-7s %10s %7.2fs %7.2fs %7.2f %9d MB %9d MB %11s %11s\n' "$n" \
    "$(du -sh "$src/content" | cut -f1)" "$lt" "$ht" "$(echo "$lt / $ht" | bc -l)" \
    $((lm / 1024)) $((hm / 1024)) "$(du -sh "$WORK/out-l-$n" | cut -f1)" "$(du -sh "$WORK/out-h-$n" | cut -f1)"
done
