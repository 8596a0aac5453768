/**
 * `verbatim review [CODE…]`: the automatic codings no researcher has decided
 * yet (`--list`, `--json`), and the decision on one (`--accept ADDR CODE`,
 * `--reject ADDR CODE`), written as a marker in the transcript
 * (engine/review.ts).
 */
import { createRedactor, maskDeep, type Redactor } from '../../core/redact.js';
import { didYouMean } from '../../core/suggest.js';
import { corpusRedactions, loadFrame, type ProjectFrame } from '../../engine/load-project.js';
import { collectDiagnostics } from '../../engine/diagnostics.js';
import { applyDecision, planDecision, reviewQueue, type ReviewItem, type Verdict } from '../../engine/review.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { reportProblems, transcriptIdsOf } from '../shared.js';

export interface ReviewOptions {
  list?: boolean;
  json?: boolean;
  accept?: string;
  reject?: string;
  transcript?: string[];
}

export async function review(codes: string[], options: ReviewOptions, ctx: Context): Promise<ExitCode> {
  if (options.accept !== undefined && options.reject !== undefined) throw new UsageError('Give --accept or --reject, not both: one decision at a time.');
  const frame = loadFrame(ctx.root, ctx.codebook ? { codebook: ctx.codebook } : {});
  const codebook = frame.codebook;
  // No codebook is the project's problem, said as check says it (exit 1), not a mistake on the command line.
  if (!codebook) {
    reportProblems(ctx, collectDiagnostics({ ...frame, transcripts: [] }));
    return EXIT.problems;
  }
  for (const code of codes) {
    if (!codebook.codes.has(code)) throw new UsageError(`Unknown code \`${code}\`${didYouMean(code, codebook.codes.keys())}.`.replace(/\?\.$/u, '?'));
  }
  const redactor = createRedactor([...frame.redact, ...corpusRedactions(frame)]);
  const address = options.accept ?? options.reject;
  if (address !== undefined) {
    const verdict: Verdict = options.accept !== undefined ? 'accept' : 'reject';
    if (codes.length !== 1) {
      // The example names a code of this project (the first given, or the codebook's first).
      const example = codes[0] ?? codebook.codes.keys().next().value ?? 'CODE';
      throw new UsageError(`--${verdict} decides one coding: give its address and one code (\`verbatim review --${verdict} T03:4 ${example}\`).`);
    }
    return decide(frame, address, codes[0] as string, verdict, redactor, ctx, options.json === true);
  }
  const filter = { codes, ...(options.transcript ? { transcripts: transcriptIdsOf(ctx, frame, options.transcript) } : {}) };
  if (!options.list && !options.json) {
    if (!ctx.io.keys) {
      throw new UsageError(
        '`verbatim review` asks one key per decision on a terminal, and this is none: `verbatim review --list` prints the automatic codings to review, and `verbatim review --accept ADDR CODE` / `--reject ADDR CODE` decides one (ADDR as the list gives it: `T03:4` or `corpus/T03.md:12`).',
      );
    }
    return (await import('./review-queue.js')).interactiveReview(frame, filter, redactor, ctx);
  }
  const items: ReviewItem[] = [];
  for (const item of reviewQueue(frame, filter)) {
    if (options.json) items.push(item);
    else ctx.io.stdout(redactor.mask(line(item)));
  }
  if (options.json) ctx.io.stdout(`${JSON.stringify(maskDeep(items, redactor), null, 2)}\n`);
  return EXIT.ok;
}

function decide(frame: ProjectFrame, address: string, code: string, verdict: Verdict, redactor: Redactor, ctx: Context, json: boolean): ExitCode {
  const decision = planDecision(frame, address, code, verdict);
  if (typeof decision === 'string') {
    ctx.io.stderr(`verbatim: ${redactor.mask(decision)}\n`);
    return EXIT.problems;
  }
  applyDecision(frame, decision);
  const { item } = decision;
  if (json) ctx.io.stdout(`${JSON.stringify(maskDeep({ verdict, ...item, file: decision.file, marker: decision.marker.trim() }, redactor), null, 2)}\n`);
  else ctx.io.stdout(redactor.mask(`${verdict === 'accept' ? 'accepted' : 'rejected'} ${item.code} at ${item.address} (${item.location}): wrote ${decision.marker.trim()} in ${decision.file}\n`));
  return EXIT.ok;
}

/** `T03:4  corpus/T03.md:12  freins.etat  « technostructure » ← technostructure`. */
function line(item: ReviewItem): string {
  const why = item.evidence.map((e) => `« ${e.text} » ← ${e.keyword}`).join('; ');
  return `${item.address.padEnd(9)} ${item.location}  ${item.code}  ${why}\n`;
}
