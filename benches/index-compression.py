#!/usr/bin/env python3
"""The floor under writing the search index: the processor time zlib (C, one core) takes to
compress the index's parts at levels 1 and 2, as one stream, from a built site's
`search/` folder: `benches/index-compression.py OUTPUT_DIR`. The parts are read back from their
`.json.gz` files first, so this measures compression only."""

import glob
import gzip
import os
import sys
import time
import zlib

if len(sys.argv) != 2:
    sys.exit("usage: index-compression.py OUTPUT_DIR")
search = os.path.join(sys.argv[1], "search")
parts = sorted(glob.glob(os.path.join(search, "**", "*.json.gz"), recursive=True))
if not parts:
    sys.exit(f"no compressed index parts under {search}")
kinds = {
    "passages": b"".join(gzip.open(p).read() for p in parts if os.sep + "f" + os.sep in p),
    "all parts": b"".join(gzip.open(p).read() for p in parts),
}
for level in (1, 2):
    for name, data in kinds.items():
        start = time.process_time()
        packed = zlib.compress(data, level)
        took = time.process_time() - start
        print(f"level {level}, {name}: {len(data):,} bytes -> {len(packed):,} in {took:.2f} s")
