/** The restitution report: re-exports only. */
export * from './render.js';
export * from './generated.js';
export * from './typography.js';
export * from './verbatims.js';
export * from './pages.js';
export * from './mermaid.js';
export * from './statement.js';
export * from './markdown.js';
export * from './tfidf.js';
export * from './quote-texts.js';
export * from './labels.js';
