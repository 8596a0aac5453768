/**
 * Where a command may write its output: the checks made before any work, so
 * that a refusal writes nothing and says what to do.
 */
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
