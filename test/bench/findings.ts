// Benchmark: the findings parser's time as answers grow (doubling sizes of the review corpus). Linear work shows as a
// flat "µs per KB" column. Run: node --import tsx test/bench/findings.ts
import { parseAnswer } from "../../server/findings";
import { CORPUS, WORKSPACE } from "../fixtures/review-corpus";

const unit = CORPUS.map((c) => c.answer).join("\n\n");
const rows: string[] = ["| copies | lines | KB | median ms | µs per KB |", "|---:|---:|---:|---:|---:|"];
for (let copies = 1; copies <= 256; copies *= 4) {
  const text = Array.from({ length: copies }, () => unit).join("\n\n");
  const times: number[] = [];
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    parseAnswer(text, { workspace: WORKSPACE });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const ms = times[3]!;
  const kb = text.length / 1024;
  rows.push(`| ${copies} | ${text.split("\n").length} | ${kb.toFixed(0)} | ${ms.toFixed(1)} | ${((ms * 1000) / kb).toFixed(0)} |`);
}
console.log(rows.join("\n"));
