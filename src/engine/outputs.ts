/**
 * Where generated files may go. A generated file (a report, an export) never
 * replaces a file the project reads (a transcript, the panel, a codebook, a
 * plan, `verbatim.yaml`, `.verbatim/redact.txt`), and a plan's `output` stays
 * inside the project. Paths are compared by where a write would land: real
 * paths, so that `..` and symbolically linked folders are seen through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { reportPathOf } from '../core/quote-source.js';
import { imageInfo, MAX_LOGO_BYTES, type ImageInfo } from '../core/image.js';
import type { Plan } from '../project/model.js';
import { NOT_TRANSCRIPTS, type ProjectFrame } from './load-project.js';

/** The real path of `p`, or undefined when it does not exist (or cannot be resolved). */
function real(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Where a write to `file` lands: the real path of its folder (the nearest
 * existing one, for folders still to be made) joined with the rest. A link
 * at the end of the path stays itself: the writer replaces a link, it never
 * writes through one.
 */
export function landingPath(file: string): string {
  const rest: string[] = [path.basename(file)];
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const r = real(dir);
    if (r !== undefined) return path.join(r, ...rest);
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(file);
    rest.unshift(path.basename(dir));
    dir = up;
  }
}

/** True when `landing` is inside `root` (both real paths), and not the root itself. */
function isInside(root: string, landing: string): boolean {
  const rel = path.relative(root, landing);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * What the project would read at `relative` (a `/`-separated path from the
 * root), in words for messages, or undefined: the files Verbatim loads, by
 * the same rules as the loader, whether they exist yet or not (a report
 * written as `corpus/summary.md` would be read as a transcript next time).
 */
export function inputKind(frame: Pick<ProjectFrame, 'config' | 'codebook'>, relative: string): string | undefined {
  const p = path.posix.normalize(relative);
  const norm = (f: string): string => path.posix.normalize(f);
  const under = (folder: string): string | undefined => {
    const f = norm(folder);
    if (f === '.') return p;
    return p.startsWith(`${f}/`) ? p.slice(f.length + 1) : undefined;
  };
  const { config } = frame;
  if (p === 'verbatim.yaml') return 'the project settings (`verbatim.yaml`)';
  if (p === '.verbatim/redact.txt') return 'the local list of names to mask (`.verbatim/redact.txt`)';
  const panels = config.panel ? [config.panel] : ['panel.yaml', 'panel.yml', 'panel.csv'].map((n) => `${config.corpus}/${n}`);
  if (panels.some((x) => norm(x) === p)) return 'the panel';
  const codebooks = [config.codebook, frame.codebook?.file].filter((x): x is string => x !== undefined);
  if (codebooks.some((x) => norm(x) === p) || /^codebooks\/[^/]+\.ya?ml$/u.test(p)) return 'a codebook';
  const inReports = under(config.reports);
  if (inReports !== undefined && /^[^/]+\.plan\.ya?ml$/u.test(inReports)) return 'a report plan';
  const inCorpus = under(config.corpus);
  if (inCorpus !== undefined && inCorpus.endsWith('.md') && !NOT_TRANSCRIPTS.test(inCorpus)) return `a transcript (every \`.md\` file of \`${config.corpus}/\` is one)`;
  return undefined;
}

/**
 * The project input a write to `target` would replace, in words, or
 * undefined. Also finds an input reached through another path (a linked
 * folder, `../project/corpus/…` from elsewhere) by comparing real paths.
 */
export function projectInput(frame: ProjectFrame, target: string): string | undefined {
  const root = real(frame.root) ?? path.resolve(frame.root);
  const landing = landingPath(target);
  if (isInside(root, landing)) {
    const kind = inputKind(frame, path.relative(root, landing).split(path.sep).join('/'));
    if (kind) return kind;
  }
  if (real(landing) === undefined) return undefined;
  for (const p of [...frame.files.map((f) => f.path).filter((f) => !f.endsWith('/')), ...frame.transcriptPaths]) {
    if (real(path.resolve(frame.root, p)) === landing) return inputKind(frame, p) ?? 'a file the project reads';
  }
  return undefined;
}

/** What is wrong with a plan's `output`, as the end of a sentence, or undefined. */
function outputProblem(frame: ProjectFrame, output: string): string | undefined {
  if (output.trim() === '') return 'is empty';
  if (path.posix.isAbsolute(output) || path.win32.isAbsolute(output)) return 'is an absolute path';
  const root = path.resolve(frame.root);
  const target = path.resolve(root, reportPathOf(output));
  if (!isInside(root, target)) return 'leads outside the project';
  if (!isInside(real(root) ?? root, landingPath(target))) return 'leads outside the project through a symbolic link';
  const input = projectInput(frame, target);
  if (input) return fs.existsSync(target) ? `names ${input}, which the report would replace` : `names ${input}: the project would read the report as its input`;
  try {
    if (fs.statSync(target).isDirectory()) return 'names a folder';
  } catch {
    // Nothing there yet: fine.
  }
  return undefined;
}

/**
 * Reports `invalid-output` on each plan whose `output` is absolute, leads
 * outside the project (by `..` or through a linked folder), names a project
 * input or a folder. It is an error: `report` writes nothing until it is fixed.
 */
export function checkPlanOutputs(frame: ProjectFrame): void {
  for (const plan of frame.plans) {
    checkLogo(frame, plan);
    if (plan.output === undefined) continue;
    const problem = outputProblem(frame, plan.output);
    if (problem === undefined) continue;
    frame.files.find((f) => f.path === plan.file)?.report('invalid-output', `\`output\` ${problem}; a plan's report goes inside the project, into a file the project does not read: give a path such as \`${defaultOutput(frame, plan)}\` (for a file elsewhere, \`verbatim report ${plan.name} -o PATH\`).`, plan.outputRange);
  }
}

/** The bytes and header of a plan's `theme.logo`, or what is wrong with it (a sentence). */
export function readLogo(frame: Pick<ProjectFrame, 'root'>, logo: string): { bytes: Uint8Array; info: ImageInfo } | { problem: string; rule: 'missing-file' | 'invalid-value' } {
  const root = path.resolve(frame.root);
  const file = path.resolve(root, logo);
  if (path.posix.isAbsolute(logo) || path.win32.isAbsolute(logo) || !isInside(root, file) || !isInside(real(root) ?? root, landingPath(file))) {
    return { rule: 'invalid-value', problem: `The logo \`${logo}\` is not inside the project: copy it into the project (say \`reports/logo.png\`) and give its path from the project's folder.` };
  }
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { rule: 'invalid-value', problem: `The logo \`${logo}\` is not a file.` };
    if (stat.size > MAX_LOGO_BYTES) return { rule: 'invalid-value', problem: `The logo \`${logo}\` weighs ${Math.ceil(stat.size / 1024 / 1024)} MB, more than the ${MAX_LOGO_BYTES / 1024 / 1024} MB a logo may: give a smaller image.` };
    bytes = fs.readFileSync(file);
  } catch {
    return { rule: 'missing-file', problem: `The logo \`${logo}\` does not exist: fix the path (it is relative to the project's folder).` };
  }
  const info = imageInfo(bytes);
  if (info === undefined) return { rule: 'invalid-value', problem: `The logo \`${logo}\` is not a PNG or JPEG image: export it as PNG.` };
  return { bytes, info };
}

/** Reports a plan's `theme.logo` that does not exist, leads outside the project, or is not a PNG or JPEG. */
function checkLogo(frame: ProjectFrame, plan: Plan): void {
  const logo = plan.theme?.logo;
  if (logo === undefined) return;
  const read = readLogo(frame, logo);
  if ('problem' in read) frame.files.find((f) => f.path === plan.file)?.report(read.rule, read.problem, plan.logoRange);
}

/** Where a plan's report goes when it has no `output`: `reports/<name>.md`. */
export function defaultOutput(frame: Pick<ProjectFrame, 'config'>, plan: Pick<Plan, 'name'>): string {
  return `${frame.config.reports}/${plan.name}.md`;
}
