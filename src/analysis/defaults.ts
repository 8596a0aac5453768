/** Defaults of the analyses that the CLI shows in its help, in a module of their own so that `--help` loads no analysis. */

/** Interviews in a row without a new code that make saturation. */
export const DEFAULT_SATURATION_K = 3;
