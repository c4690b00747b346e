#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 660), one core at a time, keeping
# what each finds in fuzz/corpus/<target>/ and any crash in fuzz/artifacts/<target>/.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${SECONDS_PER_TARGET:-660}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(front_matter wikilinks autolink heading_id render serve_path)
fi
cargo +nightly fuzz build -O
for t in "${targets[@]}"; do
  echo "== $t for ${seconds}s"
  cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -n 25 || echo "== $t stopped: see fuzz/artifacts/$t/"
done
