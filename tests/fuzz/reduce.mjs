/**
 * Shrinks a failing fuzz case to a small reproduction (a tool, not a test):
 *
 *   node tests/fuzz/reduce.mjs CASE_PROJECT OUT_DIR 'REGEX' ARGS… [-- ARGS…]
 *
 * runs `node bin/verbatim.js ARGS…` (then the next command after each `--`)
 * on copies of CASE_PROJECT and keeps the smallest project on which the
 * combined output of the last command, prefixed by `exit N`, still matches
 * REGEX (`TIMEOUT` matches a run killed after 10 s; `ANY_CHANGE` a file of the
 * project that a command changed). It drops files, then lines of each file
 * (delta debugging), then characters of the files left under 1 KB. It uses the
 * compiled program: run `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [source, out, pattern, ...rest] = process.argv.slice(2);
if (!source || !out || !pattern || rest.length === 0) {
  console.error('usage: node tests/fuzz/reduce.mjs CASE_PROJECT OUT_DIR REGEX ARGS… [-- ARGS…]');
  process.exit(2);
}
const commands = rest.join('\u0000').split('\u0000--\u0000').map((c) => c.split('\u0000'));
const bin = path.join(import.meta.dirname, '../../bin/verbatim.js');
const re = new RegExp(pattern, 'su');

/** Every file of a folder, by relative path. */
function tree(dir) {
  const files = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

let trials = 0;
/** Writes `files` under `dir`. */
function write(files, dir) {
  for (const [rel, bytes] of files) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
}

/** True when the project made of `files` still fails the same way. */
function fails(files) {
  trials++;
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-reduce-'));
  try {
    write(files, dir);
    let text = '';
    for (const argv of commands) {
      const r = spawnSync(process.execPath, [bin, '--project', dir, ...argv], { timeout: 10_000, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM') return pattern === 'TIMEOUT';
      text = `exit ${r.status}\n${r.stdout}${r.stderr}`;
    }
    if (pattern === 'ANY_CHANGE') {
      const after = tree(dir);
      return [...files].some(([rel, bytes]) => !after.get(rel)?.equals(bytes));
    }
    return re.test(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Delta debugging over a list: the smallest sublist (1-minimal) that `keep` accepts. */
function ddmin(items, keep) {
  let n = 2;
  while (items.length >= 2) {
    const size = Math.ceil(items.length / n);
    let reduced = false;
    for (let i = 0; i < items.length; i += size) {
      const complement = [...items.slice(0, i), ...items.slice(i + size)];
      if (keep(complement)) {
        items = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= items.length) break;
      n = Math.min(items.length, n * 2);
    }
  }
  if (items.length === 1 && keep([])) return [];
  return items;
}

const files = tree(source);
if (!fails(files)) {
  console.error('The case does not fail that way: nothing to reduce.');
  process.exit(1);
}
// 1. Files the failure does not need.
const names = ddmin([...files.keys()], (keep) => fails(new Map(keep.map((k) => [k, files.get(k)]))));
const current = new Map(names.map((k) => [k, files.get(k)]));
// 2. Lines, then characters, of each file.
for (const name of names) {
  const bytes = current.get(name);
  const lines = bytes.toString('latin1').match(/[^\n]*\n|[^\n]+$/gu) ?? [];
  const kept = ddmin(lines, (keep) => fails(new Map([...current, [name, Buffer.from(keep.join(''), 'latin1')]])));
  current.set(name, Buffer.from(kept.join(''), 'latin1'));
  if (current.get(name).length <= 1024) {
    const chars = [...current.get(name).toString('latin1')];
    const fewer = ddmin(chars, (keep) => fails(new Map([...current, [name, Buffer.from(keep.join(''), 'latin1')]])));
    current.set(name, Buffer.from(fewer.join(''), 'latin1'));
  }
}
rmSync(out, { recursive: true, force: true });
write(current, out);
console.log(`${trials} trials; kept ${current.size} file(s) in ${out}:`);
for (const [rel, bytes] of current) console.log(`  ${rel} (${bytes.length} bytes)`);
