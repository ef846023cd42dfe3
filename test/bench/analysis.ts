// Hand-written findings rendered into BENCHMARKS.md next to the generated tables (skipped in --quick runs).
// The tables are regenerated on every run; the numbers quoted here come from the investigation of
// 2026-11-22 (profiles with test/bench/profile.ts, head-to-head builds with test/bench/compare.ts) and are dated.
// Edit this file, then `node --import tsx test/bench/run.ts --from-json <saved run>` re-renders without measuring.

const summary = `
Measured on 2026-11-22 on a quiet 2-core VM (CPU 0–2 % busy before every section), building commit d19a274. Three targets are missed, and each one has a fix measured below.

Two later full runs on HEAD (after af360e1, see below) never found a quiet window: other test suites kept the machine 60–100 % busy. They agree with the tables:
instant-agent overhead 1.02–1.04 ms, idle RSS 80.2–80.7 MB, 1000-turn growth +36–37 %, all 200 parallel turns answered, and start-up 336–345 ms under that load.

- **The turn path is cheap.** With the instant fake agent the server adds **~1 ms** per consult over a direct ACP round trip (target ≤ 2 ms: met).
  With the real codex-acp it adds ~4 ms to a ~75 ms turn (1.05×). That is inside the turn-to-turn noise (p90 − median ≈ 9 ms).
- **Start-up is slow: 258 ms to answer \`initialize\`, target 150 ms.** The stdio path loads the whole HTTP transport (express, body-parser → iconv-lite,
  send → mime-db, @hono/node-server → undici), so V8 compiles a 1.7 MB bundle.
  Since this run, af360e1 loads the transport with \`await import()\`. Esbuild keeps it inside the same CJS file, so evaluation is deferred but compilation is not.
  Head to head in one run: d19a274 316 ms → af360e1 266 ms → transport in separate files 227 ms → plus a V8 code cache 147 ms.
  In an earlier, quieter comparison the last two measured 178 ms and 122 ms; 122 ms meets the target.
- **Memory misses both targets, and there is no leak.** The server idles at 86.7 MB VmRSS (target 60 MB) and grows 35 % over 1000 turns
  (target 10 %). Its live heap after a full GC grows only 1.1 MB over 1000 turns, and a heap-snapshot diff shows that growth is JIT code.
  The RSS growth is V8 heap sizing: the young generation doubles from 16 to 32 MB near turn 500, and old-space garbage piles up between major GCs.
  \`--max-semi-space-size=1\` brings growth to 11–13 %. The 60 MB idle figure is below what the MCP SDK alone costs on Node 20: an empty Node process that
  only \`require\`s \`@modelcontextprotocol/sdk/server/mcp.js\` has a 63 MB VmRSS. With all three fixes the server idles at 61.8 MB.
- **Cold first answer: 799 ms vs 484 ms for codex-acp driven directly.** The +315 ms is the server's own start-up (276 ms) plus ~40 ms on the
  first ask. Codex-acp is started only on the first ask, so its start (~280 ms to initialize, ~90 ms to open the session) is paid inside the user's first call.
- OpenAI's \`codex mcp-server\` is gone from codex 0.166, so §3 compares against \`codex app-server\` and \`codex exec\` instead. Fusion's follow-ups
  take 75 ms, vs 59 ms for the bare app-server and 227 ms for \`codex exec resume\`. Of the +16 ms over app-server, ~4 ms is this server and the rest is codex-acp.
- Parallel workspaces: all 200 of 200 turns were answered. CODEX_PATH saves 86 ms and 40 MB per agent start; the server now sets CODEX_PATH itself (\`server/agent/nativeCodex.ts\`).

### Recommendations (server changes, in order of value)

1. **Finish moving the HTTP transport off the start path.** af360e1 did half of it: \`await import("./transports/http")\` defers evaluation,
   but esbuild inlines the module, so \`dist/server.js\` is still 1.7 MB and V8 compiles all of it on every start.
   - In \`esbuild.mjs\`, build \`server/transports/http.ts\` and \`server/transports/attach.ts\` as extra entry points into \`dist/transports/\`.
     Mark \`"./transports/http.js"\` and \`"./transports/attach.js"\` \`external\` in the \`dist/server.js\` build.
   - In \`server/main.ts\`, load them with \`require("./transports/http.js") as typeof import("./transports/http")\`, and the same for \`attach\`.
   - Ship \`dist/transports/\` in the VSIX. Make \`ensureStableCopy\` (\`extension/claudeCode.ts\`) copy it next to \`codex-fusion-mcp.js\`:
     Claude Code's stdio launch needs \`attach.js\` to join the editor's server.

   \`node test/bench/build-variants.mjs\` builds exactly this variant.
   Measured against af360e1, interleaved: start-up 266 → 227 ms; idle RSS 80.4 → 73.1 MB; bundle 1726 → 836 KB; turn time unchanged.
   Against d19a274 in a quiet run: 266 → 178 ms, 86.6 → 72.9 MB.
2. **Add a V8 code cache.** Make \`dist/server.js\` a ~20-line launcher for the bundle:
   - On Node ≥ 22.1, call \`require("node:module").enableCompileCache?.(dir)\`.
   - On Node 20, compile the bundle with \`new vm.Script(Module.wrap(source), { filename, cachedData })\`.
     Key the cache file by \`process.version\` + \`process.execArgv\` + bundle size/version, because V8 rejects a cache made under other flags.
     Write \`script.createCachedData()\` on exit when the cache was missing or \`script.cachedDataRejected\`.
     Store it in \`<stateDir>/v8-cache/\` (or \`os.tmpdir()\`), never next to a read-only install.
   The launcher and the cache must travel with the stable copy too.
   Measured on top of 1: start-up 227 → 147 ms (quiet run: 178 → 122 ms); CPU to initialize 206 → 137 ms; idle RSS −6.5 to −7 MB.
3. **Cap the young generation for stdio launches too.** af360e1 already starts the editor's \`--http\` server with \`--max-semi-space-size=1\`.
   Stdio launches still run \`node <path>\` without it. Add the flag in these places:
   - \`mcpJsonEntry\` and the \`claude mcp add … -- node <path>\` args in \`extension/claudeCode.ts\`;
   - the README's \`claude mcp add\` line;
   - the bin's shebang: esbuild \`banner\`: \`#!/usr/bin/env -S node --max-semi-space-size=1\`.

   The flag must be on the command line, because \`v8.setFlagsFromString\` does not shrink the semi-space after start (measured).
   Measured on af360e1's build: 1000-turn growth +36 % → +13 %; idle 80.4 → 75.6 MB.
   On top of 1+2: +39 % → +11 %; idle 66 → 62 MB; start-up +14 to +24 ms; warm turn unchanged within noise.

   \`--optimize-for-size\` saves more memory (+5 % growth) but costs +63 ms of start-up.
4. **Start the agent ahead of the first ask.** After \`notifications/initialized\`, run \`ensureAgent()\` in the background
   (spawn, initialize, session/new, read-only, title), recording a failure in \`lastError\`/status rather than throwing.
   The first consult would then pay only the prompt: ~113 ms here instead of 522 ms.
   The cost is one codex process tree (~240 MB) per open MCP session, even if it is never consulted.
   Offer an opt-out (e.g. \`CODEX_FUSION_PRESTART=0\`) and consider stopping the agent after a long idle.
5. **Restate the memory target.** VmRSS counts ~42–48 MB of shared, file-backed \`node\` binary pages (RssFile).
   A target on private memory (RssAnon, 45 MB today) or PSS (58 MB idle) would track what the server itself costs.
   After 1–3, a target of "≤ 65 MB VmRSS idle, ≤ 75 MB after the agent started, ≤ 15 % growth per 1000 turns" is met: 61.8 MB, 71.2 MB and +11 % measured.
`;

const startupExperiment = `
**Investigation: where start-up time and memory go** (2026-11-22, idle machine).

A V8 CPU profile of spawn → \`initialize\` → exit, mapped through the bundle's source map, 5 runs:

\`\`\`sh
node --import tsx test/bench/profile.ts startup --runs 5
\`\`\`

This sampled ~300 ms of CPU:

| CPU | where it goes |
|---:|---|
| 71 ms | V8 compiling the 1.7 MB bundle (\`wrapSafe\`) |
| 67 ms | Node internals: built-in modules loaded, incl. ~10 ms for undici, pulled in by @hono/node-server |
| 53 ms | zod: the MCP SDK builds its protocol schemas at import time |
| 45 ms | bundle top-level code |
| 18 ms | GC |
| 7 ms | mime-types |
| 6 ms | ajv |

What the bundle is made of (esbuild metafile):

| size | package |
|---:|---|
| 501 KB | zod |
| 481 KB | iconv-lite (HTTP only) |
| 147 KB | mime-db (HTTP only) |
| 106 KB | @modelcontextprotocol/sdk |
| 103 KB | ajv |
| 76 KB | server code |
| 47 KB | @agentclientprotocol/sdk |

Head to head, interleaved in one run:

\`\`\`sh
node --import tsx test/bench/compare.ts --runs 20 <builds…>
\`\`\`

The variants are built from the current \`server/\` by \`test/bench/build-variants.mjs\`. This run, at 01:14, overlapped other work on the machine:
warm turns took 3.3–3.5 ms here vs 2.0 ms when quiet.

| build | start-up median (p90) | idle VmRSS | after agent start | after 1001 turns | growth | warm turn |
|---|---:|---:|---:|---:|---:|---:|
| d19a274: static imports (the build in the tables above) | 316 ms (367) | 87.0 MB | 93.7 MB | 127.2 MB | +35.7 % | 3.51 ms |
| af360e1: \`await import()\`, same bundle | 266 ms (291) | 80.4 MB | 88.5 MB | 120.7 MB | +36.4 % | 3.50 ms |
| af360e1, run with \`--max-semi-space-size=1\` | 296 ms (348) | 75.6 MB | 82.8 MB | 93.8 MB | +13.3 % | 3.53 ms |
| transports in separate files (rec. 1) | 227 ms (262) | 73.1 MB | 81.1 MB | 111.5 MB | +37.4 % | 3.29 ms |
| rec. 1 + V8 code cache launcher (rec. 2) | **147 ms** (185) | 66.1 MB | 76.4 MB | 106.2 MB | +39.1 % | 3.46 ms |
| rec. 1 + 2, run with \`--max-semi-space-size=1\` (rec. 3) | 171 ms (197) | 61.9 MB | 71.3 MB | 79.2 MB | +11.1 % | 3.31 ms |

The earlier comparison, at 01:06 on a quiet machine, used d19a274 as the baseline:

| build | start-up | idle | growth |
|---|---:|---:|---:|
| d19a274 | 266 ms | 86.6 MB | +36.0 % |
| separate files | 178 ms | 72.9 MB | — |
| + code cache | **122 ms** | 66.4 MB | — |
| + \`--max-semi-space-size=1\` | **136 ms** | 61.8 MB | +11.3 % |
| + \`--optimize-for-size\` instead | 157 ms | 58.7 MB | +14.1 % |
| d19a274 with \`--optimize-for-size\` | 329 ms | 81.1 MB | +5.1 % |

In that quiet run, **122 ms** and **136 ms** meet the start-up target.

The memory floor is set by the libraries. VmRSS of an otherwise empty Node 20 process after one \`require\`:

| what is loaded | VmRSS |
|---|---:|
| nothing | 40.5 MB (6.3 MB private) |
| zod | 52 MB |
| express | 56 MB |
| @agentclientprotocol/sdk | 59 MB |
| @modelcontextprotocol/sdk/server/mcp.js | 63 MB |
`;

const memoryNotes = `
**Why RSS grows** (2026-11-22).

- **The live heap barely grows.** After a forced full GC it goes from 15.3 MB (turn 1) to 16.4 MB (turn 1000).
  Heap snapshots of the instrumented server at turn 300 and turn 3000 differ by 0.86 MB, of which 0.79 MB is optimized JIT code and its deopt data.
  No application object type grows. This is not a leak.
- **V8 heap sizing accounts for the rest.** At turn 1 the young generation's capacity is 16 MB; it grows to 32 MB near turn 500, which is the 12 MB step in the table.
  Old-space garbage also accumulates, ~10 KB per turn, between major GCs.
- **Long runs.** With default settings a 5000-turn run levels off around 155 MB after ~4000 turns.
  \`--optimize-for-size\` holds it near 95 MB (2000 turns). \`--max-semi-space-size=1\` removes the 12 MB step and flattens the first 1000 turns, but old-space garbage
  still builds up at about the same ~10 KB per turn until V8 runs a major GC: 137 MB after 5000 turns. This is V8 choosing not to collect yet, not live memory.
`;

const turnNotes = `
**Where the ~1 ms goes.** A profile of 2000 warm consults (\`node --import tsx test/bench/profile.ts turns\`) shows ~1.4 ms of server CPU per turn:

- **Pipe writes: ~0.4 ms.** These are \`writeUtf8String\` for MCP stdout and \`writeBuffer\` for the agent's stdin.
- **zod: ~0.27 ms.** Most of it is the ACP SDK validating every incoming \`session/update\`.
  In isolation, a \`usage_update\` takes 51 µs to validate, against 9 µs for a text chunk.
  The MCP SDK's tool input and output validation costs ~10 µs (microbenchmark).
- **Node internals: ~0.2 ms.** This is stream machinery, including the \`Readable.toWeb\`/\`Writable.toWeb\` adapters around the agent's pipes.
- **Server code: ~0.14 ms.**

None of these is worth changing while the target is met.

**Progress notifications** (A′) add ~0.1–0.2 ms: two notifications per call (\`Starting Codex…\` and \`Codex finished.\`).
The 250 ms throttle timer never delays a result, because \`finish()\` flushes synchronously. The result payload is small (0.8 KB).
`;

export const ANALYSIS: { summary: string; sections: Record<number, string>; method: string } = {
  summary,
  sections: {
    1: `The server adds a few ms to a real Codex turn, about the size of the instant-agent overhead (§4) plus the cost of handling codex-acp's extra updates (more \`session/update\`s per turn, each validated).
Server-internal turn time vs the MCP round trip: the MCP layer and stdio hop account for ~2 ms of it. RSS of the server grows more with codex-acp than with the fake agent (104 MB after 45 turns), for the reasons in §6.`,
    2: `The whole cold gap is the server's own start-up (§5) plus ~40 ms on the first ask. The agent is started lazily, so its ~370 ms start (initialize plus session set-up, §2 B and §8) lands inside the first \`consult\`.
Recommendations 1–2 remove ~140 ms of the gap, and recommendation 4 (pre-start) removes the agent start from the first call.`,
    3: `\`codex app-server\` is the floor: it is what codex-acp adapts. The Fusion chain (MCP → server → codex-acp → app-server) costs ~16 ms per follow-up over it.
§1 shows only ~4 ms of that is this server; the rest is codex-acp. The first call is slower mostly because codex-acp (a Node program, ~280 ms to initialize) starts then.
\`codex exec\` pays a process start per call, so its follow-ups are 3× slower than Fusion's.`,
    4: turnNotes,
    5: startupExperiment,
    6: memoryNotes,
    7: `On 2 cores, 10 servers plus 10 agents plus the benchmark client are CPU-bound when the agent is instant, so parallel throughput barely beats one workspace (1.2×) and per-turn latency rises to ~18 ms.
With an agent that takes time (the default fake agent sleeps between chunks, like a model streaming), the workspaces overlap: 5.6× the throughput of one. No call failed or timed out: every one returned an answer with a VERDICT line.`,
    8: `This agrees with the comment in \`server/agent/nativeCodex.ts\` (~130 ms and ~40 MB). Since that change the server sets CODEX_PATH itself when the native codex sits next to codex-acp, so the "with" row is what users get.
codex-acp starts the app-server during \`initialize\`, so the tree already holds ~170 MB when \`initialize\` returns. Codex also starts a few \`bash\` processes (its shell snapshot).`,
  },
  method: `
- **How it was run.** The script was run as \`npm run build && node --import tsx test/bench/run.ts\`, which is the proposed \`npm run bench\`.
  Quick smoke run: \`npm run bench -- --quick\`, which writes to \`$TMPDIR/BENCHMARKS.quick.md\`.
  Raw samples: \`--json FILE\`. Other builds or V8 flags: \`--server PATH\` and \`--server-node-args '…'\`.
  Head-to-head builds: \`test/bench/compare.ts\`. CPU profiles: \`test/bench/profile.ts\`.
- **Clients.** Every contender is driven by the same small newline-delimited JSON-RPC client (\`test/bench/rpc.ts\`).
  MCP stdio, ACP and the app-server protocol are all framed that way, so no client SDK's cost is measured.
  Timings run from the request write to the response parse (\`performance.now()\`). Medians and p90s use linear interpolation.
- **Pairing.** A/B pairs are interleaved, and the order alternates or rotates each round. Where noted, "paired" is the median of per-round differences.
- **Shared model.** One fake Responses API (\`test/fixtures/fake-model.ts\`) serves every Codex process of the run. It runs inside the benchmark process.
  Each Codex contender has its own CODEX_HOME and workspace (a git repo with a README).
- **Processes.** Every process is spawned detached (its own process group) and recorded by pid and start time, so a reused pid is never signalled.
  A process tree is snapshotted before it is stopped, so orphans are still found. After each section, and on exit, SIGINT/SIGTERM or the hard time limit
  (420 s full, 240 s quick), everything left is sent SIGTERM, then SIGKILL. Each section has a time budget and stops early (saying so) rather than overrun.
- **Noise.** This is a 2-core VM shared with other work. The report records the load average and a CPU-busy sample before the run and each section;
  the final run started on a quiet machine. Sections 7 and 8 load the machine themselves.
  - **Between-run drift is large.** On an idle guest, back-to-back runs of §5 gave medians from 258 to 319 ms, and the bare-Node floor moved between 37 and 47 ms (host-side noise).
    Compare builds only within one run (\`compare.ts\` interleaves them), never across runs.
  - **Within-run comparisons hold up better.** Across six runs, from quiet to heavily loaded, §4's overhead stayed between 1.0 and 1.6 ms.
    §1's paired median stayed between 3 and 6 ms. Its per-round differences scatter by ±15 ms, because real Codex turns vary that much.
  - **The benchmark client shares the two cores** with the server and agent. On CPU-bound paths (§4, §7 instant) the direct path runs one process fewer, which is part of what "overhead" means here.
`,
};
