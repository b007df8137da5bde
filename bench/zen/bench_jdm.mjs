// ZEN's engine through its Node binding on JDM models, timed as bench/bench_jdm.cpp times ours:
// one decision after another (ns each, awaited), and 64 decisions in flight (per second).
//   node bench_jdm.mjs FIXTURES_DIR MANIFEST.json REPETITIONS SECONDS_EACH
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hrtime, argv, cwd } from 'node:process';

const require = createRequire(path.join(cwd(), 'package.json'));
const { ZenEngine } = require('@gorules/zen-engine');

const [fixtures, manifestFile, repsText, secondsText] = argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const reps = Number(repsText);
const seconds = Number(secondsText);
const engine = new ZenEngine();

async function sequentialNs(decision, input) {
  let done = 0;
  const start = hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    for (let i = 0; i < 64; i++) {
      await decision.evaluate(input);
    }
    done += 64;
    now = hrtime.bigint();
  }
  return Number(now - start) / done;
}

async function rate(decision, input, inFlight) {
  let done = 0;
  const start = hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  async function lane() {
    while (hrtime.bigint() < until) {
      await decision.evaluate(input);
      done++;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  return done / (Number(hrtime.bigint() - start) / 1e9);
}

const out = {};
for (const entry of manifest) {
  if (entry.kind !== 'graph') continue;
  const decision = engine.createDecision(readFileSync(path.join(fixtures, entry.file)));
  const row = (out[entry.name] = { sequential_ns: [], rate_64: [] });
  row.result = (await decision.evaluate(entry.input)).result;
  for (let r = 0; r < reps; r++) {
    row.sequential_ns.push(await sequentialNs(decision, entry.input));
    row.rate_64.push(await rate(decision, entry.input, 64));
  }
}
console.log(JSON.stringify(out));
engine.dispose?.();
