// ZEN's own engine through its Node binding (@gorules/zen-engine): ns per evaluateExpressionSync
// (or evaluateUnaryExpressionSync) call on the cases of expressions.json, REPETITIONS
// repetitions of about MIN_TIME seconds each, printed as JSON {name: [ns, ...]}.
//   node bench_expressions.mjs EXPRESSIONS_JSON [REPETITIONS] [MIN_TIME]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.cwd() + "/");
const zen = require("@gorules/zen-engine");

const [file, repetitionsArg, minTimeArg] = process.argv.slice(2);
const repetitions = Number(repetitionsArg ?? 5);
const minTime = Number(minTimeArg ?? 0.3);
const cases = JSON.parse(readFileSync(file, "utf8"));

const out = {};
for (const c of cases) {
  const call = c.unary
    ? () => zen.evaluateUnaryExpressionSync(c.expression, c.input)
    : () => zen.evaluateExpressionSync(c.expression, c.input);
  call();  // a wrong case fails here, before any timing
  // Calibrate a batch to about a tenth of the time, then time whole batches.
  let batch = 1;
  for (let t0 = process.hrtime.bigint(); ; batch *= 2) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) call();
    if (Number(process.hrtime.bigint() - start) > minTime * 1e8 || batch > 1 << 24) break;
    if (Number(process.hrtime.bigint() - t0) > minTime * 1e9) break;
  }
  out[c.name] = [];
  for (let r = 0; r < repetitions; r++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < minTime * 1e9) {
      for (let i = 0; i < batch; i++) call();
      calls += batch;
      elapsed = Number(process.hrtime.bigint() - start);
    }
    out[c.name].push(elapsed / calls);
  }
}
console.log(JSON.stringify(out));
