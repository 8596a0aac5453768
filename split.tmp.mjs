import { loadProject } from './dist/engine/load-project.js';
import { codeProject } from './dist/engine/pipeline.js';
import { checkProject } from './dist/check/check-project.js';
import { codingsCsv } from './dist/exchange/csv.js';
import { tokenize } from './dist/coding/tokenize.js';
const t0 = performance.now();
const p = loadProject('/tmp/bench100');
const t1 = performance.now();
const c = codeProject(p);
const t2 = performance.now();
// broad keywords cost alone
const m = c.matchers.get('fr');
let n = 0, segs = 0; const forms = new Set();
for (const t of c.transcripts) for (const s of t.segments) { segs++; for (const tok of tokenize(s.text, 'fr')) { m.stem(tok.text); n++; if (forms.size < 5e6) forms.add(tok.text); } }
const t3 = performance.now();
checkProject(c);
const t4 = performance.now();
const csv = codingsCsv(c);
const t5 = performance.now();
console.log({ load: t1 - t0, code: t2 - t1, broadTokStem: t3 - t2, check: t4 - t3, csv: t5 - t4, tokens: n, segs, forms: forms.size, codings: c.codings.length, transcripts: c.transcripts.length });
