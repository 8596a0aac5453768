/**
 * What git knows about a project's files. Verbatim needs git for one question
 * only (is the private redaction list committed?), asked with a time limit;
 * without git, outside a repository, or when git fails, the answer is no.
 */
import { execFileSync } from 'node:child_process';

/** How long git may take to answer (a repository on a slow network drive). */
const GIT_TIMEOUT_MS = 5000;

/** True when git tracks `relative` (a `/`-separated path) in the repository that holds `root`. */
export function isTrackedByGit(root: string, relative: string): boolean {
  try {
    // `--error-unmatch`: exit 1 when the path is not in the index (untracked, ignored).
    execFileSync('git', ['ls-files', '--error-unmatch', '--', relative], { cwd: root, stdio: 'ignore', timeout: GIT_TIMEOUT_MS, windowsHide: true });
    return true;
  } catch {
    return false;
  }
}
