/** The matchers of a frame: compiled once per language and per frame (streams come in batches). */
import { compileMatcher, type Matcher } from '../coding/matcher.js';
import type { Language } from '../project/model.js';
import type { ProjectFrame } from './load-project.js';

const compiled = new WeakMap<ProjectFrame, Map<Language, Matcher>>();

/** The matchers compiled so far for a frame, by language. */
export function matchersOf(frame: ProjectFrame): Map<Language, Matcher> {
  let matchers = compiled.get(frame);
  if (!matchers) {
    matchers = new Map<Language, Matcher>();
    compiled.set(frame, matchers);
  }
  return matchers;
}

/** Compiles the matchers of a frame, once per language and per frame (streams come in batches). */
export function matcherCache(frame: ProjectFrame): (language: Language) => Matcher | undefined {
  const cache = matchersOf(frame);
  return (language) => {
    if (!frame.codebook) return undefined;
    let m = cache.get(language);
    if (!m) {
      m = compileMatcher(frame.codebook, language);
      cache.set(language, m);
    }
    return m;
  };
}
