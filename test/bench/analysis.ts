// Hand-written findings rendered into BENCHMARKS.md next to the generated tables (skipped in --quick runs).
// The tables are regenerated on every run; the numbers quoted here come from the investigation of
// 2026-11-22 (profiles with test/bench/profile.ts, head-to-head builds with test/bench/compare.ts) and are dated.
// Edit this file, then `node --import tsx test/bench/run.ts --from-json <saved run>` re-renders without measuring.

const summary = `
- **Issue 17, the turn path as a client sees it (§10, and by hand against the original fusion server below).** With the
  MCP SDK's own client over stdio against the ACP SDK's own client, this server adds **0.8–1.9 ms** per warm consult
  across runs, 1.5–1.6 ms in the last head-to-head runs (before issue 17: 2.1–2.3 ms). **The issue's target is missed
  on a quiet machine**: there the original fusion server (Bun) adds 1.40–1.61 ms, so this server is ~1.1× the
  original, not ≤ 0.5×; only on the loaded machine of the first hand runs did the order flip (0.44–0.52×). A bare
  MCP SDK → ACP SDK forwarder on Node (§10's floor) already adds 0.5–1.1 ms, 0.7× the original's in the same runs, so
  the target cannot be met on this stack. Server CPU per warm consult fell ~10–13 % (/proc utime + stime, interleaved
  with the previous build). A 50,000-chunk answer costs the server **~1.1–1.5 s of CPU** (§12, target < 2 s). **RSS
  is not below the original's**: ~95 MB after the run against Bun's ~77 MB (~84 MB with \`--max-semi-space-size=1\`,
  which the editor and the README's Claude Code command use; the floor alone holds 82–84 MB). Idle, before the first
  ask, it is now ~69 MB (§6; was 87 MB): the ACP SDK is loaded on the first ask, and the bundle is ASCII. Parallel
  asks (§11): a quick consult beside a 4 s turn answers in ~8–18 ms (~9 ms alone; the difference is the fork).

The tables are from the last full run (the machine section has its load); the investigation below is dated 2026-11-22. Between-run drift on this
2-core VM is large (±20 % on §5), so compare builds within one run, as the head-to-head tables do. Three numeric targets are missed; why, and what was
done about each, follows.

- **The turn path is cheap (met).** With the instant fake agent the server adds **~1 ms** per consult over a direct ACP round trip (target ≤ 2 ms).
  With the real codex-acp it adds ~4–6 ms to a ~75 ms turn (1.05–1.11× across runs; target ≤ 5 %), inside the turn-to-turn noise (the paired
  differences scatter by ±15 ms). The server's own CPU per turn is ~1.4 ms: pipe writes, and the ACP SDK validating each \`session/update\`.
- **Start-up misses 150 ms (≈ 280–300 ms to answer \`initialize\` on Node 20 now; 200–260 ms on 2026-11-22, before issues 12–17 grew the server).** V8 compiles the 1.7 MB bundle (~70 ms) and zod builds the MCP
  SDK's schemas at import (~50 ms). The HTTP stack (express, iconv-lite, mime-db) is now loaded only for \`--http\` and attach
  (\`await import()\`: 316 → 266 ms head to head), and so is the ACP SDK, whose schemas only the first ask needs (344 → 296 ms on 2026-12-01), but esbuild keeps it in the same file, so it is still compiled. The remaining fixes were measured
  (transport in separate files: 227 ms; plus a V8 code cache: 147 ms, 122 ms when quiet) but **not adopted**: both turn \`dist/server.js\` into
  several files, and the server is specified as one self-contained bundle that \`node dist/server.js\` and the Claude Code stable copy run as is.
  What users run is covered differently: the editor's server gets \`NODE_COMPILE_CACHE\` (Node ≥ 22, which VS Code's runtime is) in global storage,
  and VS Code never waits for it — activation itself takes under 10 ms (§9). Claude Code waits up to \`MCP_TIMEOUT\` (30 s) for
  \`initialize\`, and the agent is spawned lazily, so \`initialize\` never waits for Codex.
- **Memory: no leak; the targets are below the stack's floor.** Idle VmRSS is ~69 MB (target 60 MB; ~80–87 MB before the ACP SDK was loaded lazily); an empty Node 20 process that only
  \`require\`s \`@modelcontextprotocol/sdk/server/mcp.js\` already has 63 MB, and ~45 MB of any Node process is shared binary pages. Over 1000
  turns the live heap after a full GC grows 1.1 MB (JIT code); the +36 % RSS growth in §6 is V8 heap sizing (the young generation doubles near
  turn 500). \`--max-semi-space-size=1\` cuts the growth to +11–13 %: the editor starts its server with it, and the README's Claude Code command
  includes it. §6 measures the plain \`node dist/server.js\` launch, so it shows the flagless figure.
- **Cold first answer** is the server's start plus the lazily started agent (~280 ms to initialize codex-acp, ~90 ms to open the session).
  Starting the agent ahead of the first ask would hide that, at the cost of a ~240 MB process tree per client that may never ask; not adopted.
- **Peers.** \`codex mcp-server\` does not exist in codex 0.166, so §3 compares against \`codex app-server\` (what codex-acp wraps) and
  \`codex exec\`: Fusion's follow-ups cost ~16–24 ms over the bare app-server (mostly codex-acp) and are ~3× faster than \`codex exec resume\`.
- **Parallel workspaces:** every turn of 10 × 20 was answered. **CODEX_PATH** saves 70–90 ms and ~40 MB per agent start; the server sets it
  itself when the native codex sits next to codex-acp (\`server/agent/acp/nativeCodex.ts\`).
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
| transports in separate files | 227 ms (262) | 73.1 MB | 81.1 MB | 111.5 MB | +37.4 % | 3.29 ms |
| separate files + V8 code cache launcher | **147 ms** (185) | 66.1 MB | 76.4 MB | 106.2 MB | +39.1 % | 3.46 ms |
| separate files + code cache, run with \`--max-semi-space-size=1\` | 171 ms (197) | 61.9 MB | 71.3 MB | 79.2 MB | +11.1 % | 3.31 ms |

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

const clientViewNotes = `
**Against the original fusion server, measured by hand** (2026-12-01, 23:42–23:45 UTC, quiet machine: load average
0.0 before the runs). The original server is \`codex-fusion-mcp\` at commit f6d1ab7 (its last release before it became
magi-council-mcp), run as \`bun src/index.ts\` with Bun 1.4.5 from the npm registry and its locked dependencies
(\`bun install --frozen-lockfile\`), fetched into an ignored scratch folder and never committed. Same harness, one run,
contenders interleaved (rotating order), 10 warm-up rounds, then 5 rounds of warm consults, all against the instant
fake agent (peer paths must be absolute: peers run in the scratch workspace):

\`\`\`sh
node --import tsx test/bench/clientView.ts --rounds 5 --per-round 60 \\
  --peer '<bun> <original>/src/index.ts' --peer-label 'original' \\
  --peer "$(command -v node) --max-semi-space-size=1 $PWD/dist/server.js" --peer-label 'this server, semi-space 1'
\`\`\`

| run | this server | this server, \`--max-semi-space-size=1\` | original (Bun) | floor (§10) | VmRSS after: this / flag / original / floor |
|---|---:|---:|---:|---:|---:|
| 17a88d4, 5 × 40 | 1.90 ms | 1.84 ms | 1.61 ms | — | 97.5 / 85.9 / 76.7 / — MB |
| 17a88d4, 5 × 60 | 1.78 ms | 2.06 ms | 1.46 ms | — | 98.9 / 85.8 / 77.4 / — MB |
| 17a88d4, 5 × 60 | 1.82 ms | 1.72 ms | 1.59 ms | — | 98.6 / 86.6 / 77.2 / — MB |
| b333632 (00:24), 5 × 60 | 1.52 ms | 1.69 ms | 1.40 ms | 1.00 ms | 95.4 / 83.9 / 77.1 / 84.0 MB |
| b333632 (00:25), 5 × 60 | 1.57 ms | 1.64 ms | 1.42 ms | 1.06 ms | 97.9 / 83.9 / 76.8 / 82.2 MB |

(Added latency over direct ACP, median of rounds; the last two rows add \`--peer "node $PWD/out/bench-floor-server.js"\`.) Earlier the same evening, with the machine at load ~4.5–5 from other
work, the original added 2.2–3.3 ms and this server 1.5–2.1 ms (0.44× with the flag in the most careful of those runs);
the load penalised Bun's process more than this one, and that result does not hold on a quiet machine. **The target
(at most half the original's added latency) is missed**, and so is RSS below the original's.

**Why the target is out of reach on this stack.** §10 now runs a floor beside this server: a bare forwarder on the MCP
SDK's McpServer and the ACP SDK's client that passes the question through and returns the answer's text
(test/bench/floorServer.ts). In the same quiet hour it added **0.56–1.16 ms** (median of four runs ~0.8 ms) at 82–84 MB,
i.e. as much as half the original's 1.46–1.61 ms, and more RSS than Bun's whole process, before any work of this server.
Taking out the findings parser or the structured result (\`structuredContent\` + \`outputSchema\`) one at a time saved
~0.1–0.4 ms each; both together landed on the floor (1.20–1.28 ms against the floor's 0.77–1.16 ms in those runs). Both
are features the issues ask for (findings with file and line, results a model can act on), so they stay.

Where this server's time goes (a CPU profile of the quiet run, unminified build, ~2.2 ms of server CPU per consult): the
ACP SDK validating each \`session/update\` with zod, ~0.43 ms (direct ACP pays it too); the two pipe writes, ~0.2 ms each
(the agent's stdin, also paid by direct ACP, and the result on stdout); garbage collection ~0.2 ms; the MCP SDK's zod
checks (the request envelope, arguments, the result and its \`structuredContent\` against the tool's \`outputSchema\`)
~0.2 ms; this server's own code ~0.3 ms, of which the findings parser is ~0.14 ms. Two of the original's savings are
not open to us: Bun's runtime, and no \`structuredContent\`/\`outputSchema\` (so neither its server nor the client
validates a result schema; issue 14 requires the structured result).

RSS, tried and not adopted: \`--optimize-for-size\` 83 MB, \`MALLOC_ARENA_MAX=1\` 80 MB, \`--v8-pool-size=1\` 81 MB (each
with \`--max-semi-space-size=1\`, against 84–86 MB); all of them together reach 76.4 MB, level with Bun, but add ~0.9 ms
per consult. About 45 MB of any Node process is the \`node\` binary's file-backed pages.

**What changed on the turn path** (issue 17): the agent's stdio is one ndjson \`data\` handler instead of
\`Readable.toWeb\` → the SDK's \`ndJsonStream\` → a \`TransformStream\` tap (three web-stream stages and their promise
hops per incoming message); each \`session/update\` is validated once (the ACP SDK's session-update router validated it,
then the typed handler parsed it again); the MCP stdio transport checks only the JSON-RPC envelope (the SDK's
\`deserializeMessage\` parsed the whole message, arguments included, before the protocol layer and the handler did
again); progress lines are computed only when a notification goes out; the footer formats numbers without Intl. The
warm prompt itself shrank: the role preamble and debate frame now live in the session (system prompt), not in every
ask (this consult's prompt went from 1,230 to 567 characters).

Profiles on a loaded machine are unreliable (V8's sampler charges time the process spent descheduled to the frame
that was running, so pipe writes looked like 1.2 ms); the per-build CPU comparison comes from /proc, the breakdown from the quiet run.
`;

export const ANALYSIS: { summary: string; sections: Record<number, string>; method: string } = {
  summary,
  sections: {
    1: `The server adds a few ms to a real Codex turn, about the size of the instant-agent overhead (§4) plus the cost of handling codex-acp's extra updates (more \`session/update\`s per turn, each validated).
Server-internal turn time vs the MCP round trip: the MCP layer and stdio hop account for ~2 ms of it. RSS of the server grows more with codex-acp than with the fake agent (104 MB after 45 turns), for the reasons in §6.`,
    2: `The whole cold gap is the server's own start-up (§5) plus ~40 ms on the first ask. The agent is started lazily, so its ~370 ms start (initialize plus session set-up, §2 B and §8) lands inside the first \`consult\`.
Splitting the bundle and a V8 code cache would remove ~140 ms of the gap; starting the agent early would remove its start from the first call (see the summary for why neither is adopted).`,
    3: `\`codex app-server\` is the floor: it is what codex-acp adapts. The Fusion chain (MCP → server → codex-acp → app-server) costs ~16 ms per follow-up over it.
§1 shows only ~4 ms of that is this server; the rest is codex-acp. The first call is slower mostly because codex-acp (a Node program, ~280 ms to initialize) starts then.
\`codex exec\` pays a process start per call, so its follow-ups are 3× slower than Fusion's.`,
    4: turnNotes,
    5: startupExperiment,
    6: memoryNotes,
    7: `On 2 cores, 10 servers plus 10 agents plus the benchmark client are CPU-bound when the agent is instant, so parallel throughput barely beats one workspace and per-turn latency rises several-fold.
With an agent that takes time (the default fake agent sleeps between chunks, like a model streaming), the workspaces overlap: several times the throughput of one. No call failed or timed out: every one returned an answer with a VERDICT line.`,
    10: clientViewNotes,
    11: `Each parallel turn runs on its own Codex session, so the quick consult pays only for the fork (\`session/fork\`, the read-only mode, a title): a few ms with the fake agent. With the queue (\`CODEX_FUSION_MAX_PARALLEL_TURNS=1\`, or an agent without \`session/fork\`) it would have answered after the 4 s turn.`,
    12: `The per-update path is linear: the answer is kept as chunks (joined once), the idle clock is re-armed only when it fires, progress lines are computed only when sent. With a progressToken the MCP progress notifications (at most four a second, each with the answer's tail) add ~0.4–0.8 s of CPU over 50,000 updates.`,
    9: `Activation registers commands, views and the MCP provider and starts the server child without waiting for it; the first start of the server includes Node's compile of the bundle, later ones reuse the compile cache.`,
    8: `This agrees with the comment in \`server/agent/acp/nativeCodex.ts\` (~130 ms and ~40 MB). Since that change the server sets CODEX_PATH itself when the native codex sits next to codex-acp, so the "with" row is what users get.
codex-acp starts the app-server during \`initialize\`, so the tree already holds ~170 MB when \`initialize\` returns. Codex also starts a few \`bash\` processes (its shell snapshot).`,
  },
  method: `
- **How it was run.** \`npm run bench\` (\`npm run package && node --import tsx test/bench/run.ts\`).
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
