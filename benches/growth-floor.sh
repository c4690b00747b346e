#!/usr/bin/env bash
# Sets the growth of `lectern build` beside the growth of its floor (examples/build_floor.rs: the
# steps any generator of the same site has to take, and nothing else), both timed in the same
# runs: for each of PAIRS rounds, each size is built warm by lectern, then by the floor, so a
# machine that slows down part-way slows both. Prints each step's median (in milliseconds;
# lectern's peak memory in KB) and how it grows from the first size to the last, then the least
# growth the floor leaves lectern: what lectern's would be if all it does beyond the floor's
# steps grew exactly as the course.
#
#   benches/growth-floor.sh                    # 10,000 and 100,000 items, 5 rounds
#   PAIRS=3 benches/growth-floor.sh 1000 10000
#
# Corpora and outputs go to $WORK (default: a temporary folder); a course already at
# $WORK/course-N is used as it is. SKIP_BUILD=1 uses the binaries already in target/release.
set -euo pipefail
cd "$(dirname "$0")/.."

PAIRS=${PAIRS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000)
[ ${#SIZES[@]} -ge 2 ] || { echo "give at least two sizes" >&2; exit 2; }
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)" >&2; exit 2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet
  cargo build --release --quiet --example gen_corpus --example build_floor
fi
LECTERN=target/release/lectern
GEN=target/release/examples/gen_corpus
FLOOR=target/release/examples/build_floor

# Each line of $WORK/floor-times.txt: size, program, step, milliseconds (KB for "memory").
times="$WORK/floor-times.txt"
: >"$times"
for n in "${SIZES[@]}"; do
  [ -d "$WORK/course-$n" ] || "$GEN" "$n" "$WORK/course-$n" >/dev/null
  # Untimed first builds, so that every timed one finds its previous output.
  "$LECTERN" build --root "$WORK/course-$n" --output "$WORK/out-$n" >/dev/null 2>&1
  "$FLOOR" "$WORK/course-$n" "$WORK/floor-$n" >/dev/null
done
for round in $(seq "$PAIRS"); do
  for n in "${SIZES[@]}"; do
    /usr/bin/time -f "%e %M" -o "$WORK/wall.txt" \
      "$LECTERN" build --root "$WORK/course-$n" --output "$WORK/out-$n" >/dev/null 2>&1
    awk -v n="$n" '{print n, "lectern", "build", $1 * 1000; print n, "lectern", "memory", $2}' \
      "$WORK/wall.txt" >>"$times"
    "$FLOOR" "$WORK/course-$n" "$WORK/floor-$n" | awk -v n="$n" '
      /^  [a-z]+ +[0-9.]+ ms$/ {print n, "floor", $1, $2}
      /: [0-9]+ ms$/ {print n, "floor", "total", $(NF - 1)}' >>"$times"
  done
  echo "round $round of $PAIRS done" >&2
done

first=${SIZES[0]} last=${SIZES[${#SIZES[@]} - 1]}
printf '%-8s %-9s %12s %12s %8s\n' program step "$first" "$last" growth
for row in floor:read floor:links floor:glossary floor:mentions floor:pages floor:words \
  floor:merge floor:stems floor:total lectern:build lectern:memory; do
  program=${row%%:*} step=${row#*:}
  median() {
    awk -v n="$1" -v p="$program" -v s="$step" '$1 == n && $2 == p && $3 == s {print $4}' \
      "$times" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
  }
  a=$(median "$first") b=$(median "$last")
  awk -v p="$program" -v s="$step" -v a="$a" -v b="$b" \
    'BEGIN {printf "%-8s %-9s %12.1f %12.1f %7.1fx\n", p, s, a, b, (a > 0 ? b / a : 0)}'
done
# If everything lectern does beyond the floor's steps grew exactly as the course does, and those
# steps grew as the floor's do, lectern's growth would be this: each round's own figures.
awk -v a="$first" -v b="$last" '
  $1 == a && $2 == "lectern" && $3 == "build" {la[++i] = $4}
  $1 == a && $3 == "total" {fa[++j] = $4}
  $1 == b && $3 == "total" {fb[++k] = $4}
  END {
    printf "least growth lectern could have, each round:"
    for (r = 1; r <= i; r++) printf " %.2fx", b / a + (fb[r] - b / a * fa[r]) / la[r]
    print ""
  }' "$times"
echo "each run: $times"
