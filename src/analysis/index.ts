/** Cross-analysis of codings by respondent profile: re-exports only. */
export * from './dataset.js';
export * from './crosstab.js';
export * from './cooccurrence.js';
export * from './saturation.js';
export * from './distinctive.js';
export * from './quantifier.js';
export * from './stats.js';
