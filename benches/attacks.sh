#!/usr/bin/env bash
# Times `lectern check` on inputs that once made a build grow with the square of their size:
# one essay of many headings, many links, many broken links on one line, many links to a
# missing heading, and front matter nested deep. Each at 10,000, 20,000 and 40,000 repeats
# (and the sizes first reported: 40,000 headings, 100,000 links), with the size of what it
# printed. Linear cost shows as time doubling with the size.
#
#   benches/attacks.sh            # all cases
#   SIZES="10000 20000" benches/attacks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
LECTERN="$PWD/target/release/lectern"
WORK="${WORK:-$(mktemp -d)}"
SIZES=${SIZES:-"10000 20000 40000 100000"}

site() {
  local dir="$1"
  rm -rf "$dir"
  mkdir -p "$dir/content/essays" "$dir/content/glossary"
  printf 'title = "Attack"\n' >"$dir/site.toml"
  printf -- '---\ntitle: Home\n---\n' >"$dir/content/_index.md"
  printf -- '---\nterm: Trust\nsummary: Counting on someone.\n---\n' >"$dir/content/glossary/trust.md"
}

body() {
  local case="$1" n="$2"
  case "$case" in
    headings) python3 -c "import sys; sys.stdout.write('---\ntitle: A\n---\n' + '## Heading\n\ntext\n\n' * $n)" ;;
    links) python3 -c "import sys; sys.stdout.write('---\ntitle: A\n---\n' + '[[trust]]\n\n' * $n)" ;;
    broken-one-line) python3 -c "import sys; sys.stdout.write('---\ntitle: A\n---\n' + '[[nope]] ' * $n + '\n')" ;;
    missing-heading) python3 -c "import sys; sys.stdout.write('---\ntitle: A\n---\n' + '[[trust#nope]]\n' * $n)" ;;
    deep-yaml) python3 -c "import sys; sys.stdout.write('---\ntitle: A\ntags: ' + '[' * $n + '\n---\n')" ;;
  esac
}

printf '%-16s %8s %9s %10s %12s\n' case repeats seconds "max RSS" "printed"
for case in headings links broken-one-line missing-heading deep-yaml; do
  for n in $SIZES; do
    dir="$WORK/$case-$n"
    site "$dir"
    body "$case" "$n" >"$dir/content/essays/a.md"
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$LECTERN" check --root "$dir" >/dev/null 2>"$WORK/err" || true
    read -r secs rss < <(tail -n 1 "$WORK/time")
    printf '%-16s %8s %8ss %7s MB %9s B\n' "$case" "$n" "$secs" "$((rss / 1024))" "$(wc -c <"$WORK/err")"
  done
done
