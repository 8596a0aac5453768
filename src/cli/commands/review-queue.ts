/**
 * `verbatim review` on a terminal: the queue of unreviewed automatic codings,
 * one at a time, one key per decision, as `git add -p` asks (see HELP). Each
 * decision is written at once (engine/review.ts); a file that changed since
 * the queue was read is never written: the queue is read again.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Chalk } from 'chalk';
import type { Redactor } from '../../core/redact.js';
import type { ProjectFrame } from '../../engine/load-project.js';
import { applyDecision, planDecision, reviewQueue, undoDecision, type Decision, type ReviewFilter, type ReviewItem } from '../../engine/review.js';
import { EXIT, type Context, type ExitCode } from '../context.js';

const HELP = `y - accept: write {#code} at the end of the paragraph
n - reject: write {!code} there
s - skip: decide later
u - undo the last decision (its marker is removed)
e - open $EDITOR at the paragraph's line (the queue is read again afterwards)
q - quit (decisions made are written already)
? - this help
`;

/** The fingerprint of a file's bytes, to tell that it changed since the queue was read. */
function fingerprint(root: string, relative: string): string {
  try {
    return createHash('sha256').update(readFileSync(path.join(root, relative))).digest('hex');
  } catch {
    return '';
  }
}

/** The file of an item, from its location (`corpus/T03.md:12`). */
const fileOf = (item: ReviewItem): string => item.location.replace(/:\d+$/u, '');

export async function interactiveReview(frame: ProjectFrame, filter: ReviewFilter, redactor: Redactor, ctx: Context): Promise<ExitCode> {
  const keys = ctx.io.keys?.();
  if (!keys) return EXIT.usage;
  const chalk = new Chalk({ level: ctx.color ? 1 : 0 });
  const width = Math.max(20, Math.min(ctx.io.columns ?? 80, 100));
  const say = (text: string): void => ctx.io.stdout(redactor.mask(text));
  let items: ReviewItem[] = [];
  let prints = new Map<string, string>();
  const load = (): void => {
    items = [...reviewQueue(frame, filter)];
    prints = new Map([...new Set(items.map(fileOf))].map((f) => [f, fingerprint(frame.root, f)]));
  };
  load();
  const total = items.length;
  const done: { decision: Decision; index: number }[] = [];
  let accepted = 0;
  let rejected = 0;
  let index = 0;
  try {
    if (items.length === 0) {
      say('Nothing to review: every automatic coding is accepted or rejected.\n');
      return EXIT.ok;
    }
    for (;;) {
      const item = items[index];
      if (!item) {
        say(`\nThe end of the queue${items.length > 0 ? ` (${items.length} skipped)` : ''}.\n`);
        break;
      }
      say(show(item, index + 1, items.length, frame, chalk, width, redactor));
      const key = await keys.next();
      if (key === undefined || key === 'q' || key === '\u0003' || key === '\u0004') break;
      if (key === 'y' || key === 'n') {
        const verdict = key === 'y' ? 'accept' : 'reject';
        const file = fileOf(item);
        if (fingerprint(frame.root, file) !== prints.get(file)) {
          say(`\n${file} changed since the queue was read: nothing written; the queue is read again.\n`);
          load();
          index = 0;
          continue;
        }
        // By its file and line: only that file is read again (an id may be anywhere in the corpus).
        const decision = planDecision(frame, item.location, item.code, verdict);
        if (typeof decision === 'string') {
          say(`\n${decision} The queue is read again.\n`);
          load();
          index = 0;
          continue;
        }
        applyDecision(frame, decision);
        prints.set(file, fingerprint(frame.root, file));
        done.push({ decision, index });
        if (verdict === 'accept') accepted++;
        else rejected++;
        say(`${verdict === 'accept' ? chalk.green('accepted') : chalk.red('rejected')}: wrote ${decision.marker.trim()} in ${decision.file}\n`);
        // The decided item leaves the queue; the next one takes its place.
        items.splice(index, 1);
        continue;
      }
      if (key === 's') {
        index++;
        continue;
      }
      if (key === 'u') {
        const last = done.pop();
        if (!last) {
          say('\nNothing to undo.\n');
          continue;
        }
        const problem = undoDecision(frame, last.decision);
        if (problem) {
          say(`\n${problem}\n`);
          continue;
        }
        if (last.decision.verdict === 'accept') accepted--;
        else rejected--;
        say(`undone: removed ${last.decision.marker.trim()} from ${last.decision.file}\n`);
        load();
        const back = items.findIndex((x) => x.address === last.decision.item.address && x.code === last.decision.item.code);
        index = back >= 0 ? back : 0;
        continue;
      }
      if (key === 'e') {
        const editor = ctx.io.env.VISUAL || ctx.io.env.EDITOR;
        if (!editor) {
          say('\nSet $EDITOR (or $VISUAL) to open the file from here.\n');
          continue;
        }
        keys.done();
        const line = item.location.slice(fileOf(item).length + 1);
        // `EDITOR="nvim"`, `EDITOR="emacs -nw"`: the command and its own arguments, then +LINE FILE (as vi, Emacs, nano and micro take them).
        const [command, ...args] = editor.trim().split(/\s+/u) as [string, ...string[]];
        const opened = spawnSync(command, [...args, `+${line}`, path.join(frame.root, fileOf(item))], { stdio: 'inherit', shell: false });
        if (opened.error) ctx.io.stderr(`verbatim: could not start \`${command}\` ($EDITOR): ${opened.error.message}\n`);
        return await interactiveAgain(frame, filter, redactor, ctx, { accepted, rejected });
      }
      if (key === '?') {
        say(`\n${HELP}`);
        continue;
      }
      say(`\n${chalk.dim('? for help')}\n`);
    }
  } finally {
    keys.done();
  }
  say(`${accepted} accepted, ${rejected} rejected of ${total}; ${Math.max(0, total - accepted - rejected)} left to review.\n`);
  return EXIT.ok;
}

/** After the editor: the queue read again, with a new terminal session. */
async function interactiveAgain(frame: ProjectFrame, filter: ReviewFilter, redactor: Redactor, ctx: Context, before: { accepted: number; rejected: number }): Promise<ExitCode> {
  ctx.io.stdout(`(${before.accepted} accepted, ${before.rejected} rejected so far; the queue is read again)\n`);
  return interactiveReview(frame, filter, redactor, ctx);
}

/** One item as the terminal shows it: progress and addresses, the code, the paragraph with the words that fired it. */
function show(item: ReviewItem, n: number, count: number, frame: ProjectFrame, chalk: InstanceType<typeof Chalk>, width: number, redactor: Redactor): string {
  const code = frame.codebook?.codes.get(item.code);
  const head = `── ${n} of ${count} · ${item.address} · ${item.location} `;
  // (On a narrow terminal every line is wrapped, the heading too.)
  const lines = head.length <= width ? [chalk.bold(head + '─'.repeat(Math.max(0, width - head.length)))] : wrap(head.trim(), width).map((l) => chalk.bold(l));
  for (const l of wrap(`${chalk.bold(item.code)} — ${code?.label ?? ''}`, width)) lines.push(l);
  if (code?.definition) for (const l of wrap(code.definition.replace(/\s+/gu, ' ').trim(), width - 2)) lines.push(chalk.dim(`  ${l}`));
  lines.push('');
  // The paragraph, the words that fired the code marked: bold where colour is on, [in brackets] where it is not.
  // (Cut from the masked text before the marks go in: a mark inside a name would hide it from the mask.)
  const cut = redactor.slicer(item.text);
  let marked = '';
  let at = 0;
  for (const e of [...item.evidence].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue;
    marked += cut(at, e.start) + (chalk.level > 0 ? chalk.bold.yellow(cut(e.start, e.end)) : `[${cut(e.start, e.end)}]`);
    at = e.end;
  }
  marked += cut(at, item.text.length);
  for (const l of wrap(marked.replace(/\s+/gu, ' ').trim(), width - 2)) lines.push(`  ${l}`);
  lines.push('');
  for (const l of wrap(`fired by: ${item.evidence.map((e) => e.keyword).join(', ')}`, width)) lines.push(chalk.dim(l));
  return `\n${lines.join('\n')}\nAccept ${item.code} here [y,n,s,u,e,q,?]? `;
}

/** A colour escape (ESC [ … m). */
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'gu');

/** Words to lines of at most `width` visible characters (colour escapes not counted). */
function wrap(text: string, width: number): string[] {
  const visible = (s: string): number => s.replace(ESCAPE, '').length;
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && visible(line) + 1 + visible(word) > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}
