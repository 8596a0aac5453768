/**
 * Where a command may write its output: the checks made before any work, so
 * that a refusal writes nothing and says what to do.
 */
import type { ProjectFrame } from '../engine/load-project.js';
import { projectInput } from '../engine/outputs.js';
import { inspectTarget, refusal, WriteError, type TargetInfo } from '../engine/write.js';

/**
 * What is at `target`, when a command with `--force` may write there; a
 * symbolic link is refused unless `force` (which replaces the link itself,
 * never the file it points at), a folder or a device always.
 *
 * @throws WriteError
 *   The refusal, printed as one line (exit 1).
 */
export function writableTarget(target: string, force: boolean): TargetInfo {
  const info = inspectTarget(target);
  const refused = refusal(target, info, { replaceLink: force });
  if (refused?.code === 'ELINK') throw new WriteError(target, `${refused.reason}: add --force to replace the link itself, or choose another -o`, 'ELINK');
  if (refused) throw refused;
  return info;
}

/**
 * {@link writableTarget} for a file generated from `project` (a report, an
 * export): a path that names a project input (a transcript, the panel, a
 * codebook, a plan, `verbatim.yaml`, `.verbatim/redact.txt`) is refused
 * first, even with `force`.
 *
 * @throws WriteError
 *   The refusal, printed as one line (exit 1).
 */
export function generatedTarget(project: ProjectFrame, target: string, force: boolean): TargetInfo {
  refuseInput(project, target);
  return writableTarget(target, force);
}

/**
 * Refuses a path that names a project input, for every file Verbatim
 * generates (`--force` does not change it).
 *
 * @throws WriteError
 *   The refusal, printed as one line (exit 1).
 */
export function refuseInput(project: ProjectFrame, target: string): void {
  const input = projectInput(project, target);
  if (input) throw new WriteError(target, `it names ${input}, and a generated file never takes the place of a project input: choose another -o`, 'EINPUT');
}
