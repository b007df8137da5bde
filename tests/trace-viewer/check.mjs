// node check.mjs TRACE.json
//
// Loads a Chrome trace-event file into Chrome DevTools' trace engine (the parser behind its
// Performance panel) and checks that the viewer keeps every complete slice: DevTools builds a
// tree of slices per thread track and silently drops a slice that starts inside another and
// ends after it. Prints what it found as one JSON line; exits 1 when a slice was dropped or the
// file does not parse, 2 for bad arguments.
import fs from 'node:fs';
import * as Trace from '@paulirish/trace_engine/models/trace/trace.js';

// DevTools' renderer code uses DOMRect; Node has none.
globalThis.DOMRect ??= class DOMRect {
  constructor(x = 0, y = 0, width = 0, height = 0) {
    Object.assign(this, {x, y, width, height});
  }
};

const file = process.argv[2];
if (!file) {
  console.error('usage: node check.mjs TRACE.json');
  process.exit(2);
}
const json = JSON.parse(fs.readFileSync(file, 'utf8'));
const events = json.traceEvents ?? json;
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(events);
const parsed = model.parsedTrace();
const renderer = (parsed.data ?? parsed).Renderer;
const kept = renderer.entryToNode;

const slices = events.filter((e) => e.ph === 'X');
let placed = 0;
const dropped = [];
for (const [, process] of renderer.processes) {
  for (const [, thread] of process.threads) {
    for (const entry of thread.entries) {
      if (entry.ph !== 'X') {
        continue;
      }
      if (kept.has(entry)) {
        ++placed;
      } else if (dropped.length < 5) {
        dropped.push(`${entry.name} at ${entry.ts} us on track ${entry.tid}`);
      }
    }
  }
}
const result = {slices: slices.length, placed, dropped: slices.length - placed, examples: dropped};
console.log(JSON.stringify(result));
process.exit(result.dropped === 0 && result.slices > 0 ? 0 : 1);
