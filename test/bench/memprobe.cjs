// Preloaded (`node --expose-gc -r test/bench/memprobe.cjs dist/server.js`) into a SECOND, diagnostic server in
// section 6 only: on SIGUSR2 it forces a full GC and writes one JSON line with the heap figures to stderr, so the
// benchmark can tell live-heap growth (a leak) from V8 simply not having collected yet. The server under test
// proper runs without it.
"use strict";
const v8 = require("node:v8");
process.on("SIGUSR2", () => {
  if (typeof global.gc === "function") global.gc();
  const mu = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
  if (process.env.MEMPROBE_SNAPSHOT_DIR) {
    // Diagnostics only: a heap snapshot per probe, to diff object counts between two moments.
    const file = require("node:path").join(process.env.MEMPROBE_SNAPSHOT_DIR, `heap-${Date.now()}.heapsnapshot`);
    v8.writeHeapSnapshot(file);
  }
  process.stderr.write(`MEMPROBE ${JSON.stringify({ rss: mu.rss, heapTotal: mu.heapTotal, heapUsed: mu.heapUsed, external: mu.external, arrayBuffers: mu.arrayBuffers, spaces })}\n`);
});
