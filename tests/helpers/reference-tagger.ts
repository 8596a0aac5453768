/**
 * The plain reference of the auto-coding, written as simply as possible and
 * independently of src/coding: tokenize with the documented regular
 * expression, stem every token with natural, look every keyword up at every
 * position. The fast matcher must give the same codings.
 */
import porterEn from 'natural/lib/natural/stemmers/porter_stemmer.js';
import porterFr from 'natural/lib/natural/stemmers/porter_stemmer_fr.js';
import { unicodeBoundaries } from '../../src/coding/matcher.js';
import type { Codebook, Language } from '../../src/project/model.js';

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*/gu;
const ELISIONS = new Set(['l', 'd', 'j', 'n', 's', 'c', 'm', 't', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']);

export interface RefToken {
  text: string;
  start: number;
  end: number;
}

export function referenceTokens(text: string, language: Language): RefToken[] {
  const out: RefToken[] = [];
  for (const m of text.matchAll(WORD)) {
    const parts = m[0].split(/['’]/);
    if (language === 'en') {
      const t = parts.length === 2 && parts[1]!.toLowerCase() === 's' ? parts[0]! : m[0];
      out.push({ text: t, start: m.index, end: m.index + t.length });
      continue;
    }
    let i = 0;
    let offset = m.index;
    while (i < parts.length - 1 && ELISIONS.has(parts[i]!.toLowerCase())) {
      offset += parts[i]!.length + 1;
      i++;
    }
    const t = m[0].slice(offset - m.index);
    out.push({ text: t, start: offset, end: offset + t.length });
  }
  return out;
}

const foldRef = (w: string): string =>
  w.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

export function referenceStem(word: string, language: Language): string {
  const s = language === 'en' ? porterEn : porterFr;
  return foldRef(s.stem(word.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').normalize('NFC')));
}

type El = { kind: 'stem' | 'prefix' | 'exact'; value: string };

function compile(source: string, language: Language): El[] {
  return referenceTokens(source, language).map((t) =>
    source[t.start - 1] === '=' ? { kind: 'exact', value: foldRef(t.text) } : source[t.end] === '*' ? { kind: 'prefix', value: foldRef(t.text) } : { kind: 'stem', value: referenceStem(t.text, language) },
  );
}

/** For each code found in `text`: the sorted list of `start-end` spans of its keyword matches. */
export function referenceMatch(codebook: Codebook, language: Language, text: string): Map<string, string[]> {
  const tokens = referenceTokens(text, language);
  const stems = tokens.map((t) => referenceStem(t.text, language));
  const folded = tokens.map((t) => foldRef(t.text));
  const ok = (e: El, i: number): boolean => i < tokens.length && (e.kind === 'stem' ? stems[i] === e.value : e.kind === 'exact' ? folded[i] === e.value : folded[i]!.startsWith(e.value));
  const found = new Map<string, string[]>();
  const vetoed = new Set<string>();
  for (const code of codebook.codes.values()) {
    for (const [list, veto] of [
      [code.keywords, false],
      [code.unless, true],
    ] as const) {
      for (const source of list) {
        const els = compile(source, language);
        if (els.length === 0) continue;
        for (let i = 0; i < tokens.length; i++) {
          if (!els.every((e, j) => ok(e, i + j))) continue;
          if (veto) vetoed.add(code.id);
          else found.set(code.id, [...(found.get(code.id) ?? []), `${tokens[i]!.start}-${tokens[i + els.length - 1]!.end}`]);
        }
      }
    }
    for (const p of code.patterns) {
      for (const m of text.matchAll(new RegExp(unicodeBoundaries(p), 'giu'))) {
        if (m[0] !== '') found.set(code.id, [...(found.get(code.id) ?? []), `${m.index}-${m.index + m[0].length}`]);
      }
    }
  }
  for (const v of vetoed) found.delete(v);
  for (const [k, v] of found) found.set(k, [...v].sort());
  return found;
}
