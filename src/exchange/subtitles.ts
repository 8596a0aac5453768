/**
 * WebVTT and SRT captions (Teams, Zoom, Whisper) → speaker turns: voices
 * (`<v Name>`) or `Name:` prefixes give the speaker, consecutive cues of the
 * same speaker are merged, and each turn keeps the time of its first cue.
 */
import { leadingLabel } from './speakers.js';

/** A caption cue. */
export interface Cue {
  /** Seconds from the start. */
  start: number;
  end: number;
  speaker?: string;
  text: string;
}

/** A speaker turn (or, without speakers, a stretch of speech). */
export interface Turn {
  start: number;
  speaker?: string;
  text: string;
}

/**
 * A cue timing, padded (`00:00:01.000`) or not (`0:0:1.5`, as MS Teams writes
 * them), the fraction optional.
 */
const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,9})?)\s*-->\s*((?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,9})?)(?=\s|$)/;

function seconds(stamp: string): number {
  const [clock, fraction = '0'] = stamp.replace(',', '.').split('.');
  const parts = (clock as string).split(':').map(Number);
  return parts.reduce((acc, n) => acc * 60 + n, 0) + Number(`0.${fraction}`);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '', rlm: '' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Splits a cue payload by voice spans; text outside voices keeps the previous voice. */
function voices(payload: string): { speaker?: string; text: string }[] {
  const out: { speaker?: string; text: string }[] = [];
  const re = /<v(?:\.[^\s>]*)?\s+([^>]*)>/gi;
  let last = 0;
  let speaker: string | undefined;
  for (let m = re.exec(payload); m; m = re.exec(payload)) {
    if (m.index > last) out.push({ ...(speaker ? { speaker } : {}), text: payload.slice(last, m.index) });
    speaker = (m[1] as string).trim() || undefined;
    last = m.index + m[0].length;
  }
  out.push({ ...(speaker ? { speaker } : {}), text: payload.slice(last) });
  return out
    .map((p) => ({ ...p, text: decodeEntities(p.text.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim() }))
    .filter((p) => p.text !== '');
}

/** Reads the cues of a WebVTT or SRT file. */
export function parseCaptions(text: string): Cue[] {
  const blocks = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  const cues: Cue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (/^(NOTE|STYLE|REGION)\b/.test(lines[0] ?? '')) continue;
    // Every timing line starts a cue, even without a blank line before it (youtube-dl captions);
    // a number just before it is that cue's SRT index, not text.
    let timing: RegExpExecArray | undefined;
    let payload: string[] = [];
    const flush = (): void => {
      if (!timing) return;
      for (const v of voices(payload.join('\n'))) cues.push({ start: seconds(timing[1] as string), end: seconds(timing[2] as string), ...(v.speaker ? { speaker: v.speaker } : {}), text: v.text });
    };
    lines.forEach((line, i) => {
      const m = TIMING.exec(line);
      if (m) {
        flush();
        timing = m;
        payload = [];
      } else if (!(timing && /^\s*\d+\s*$/.test(line) && TIMING.test(lines[i + 1] ?? ''))) payload.push(line);
    });
    flush();
  }
  return cues;
}

/**
 * Takes `Name:` prefixes as speakers when cues have no voices and the same
 * prefixes open many cues (Zoom writes them; a sentence like "Note: …" once is not a speaker).
 */
export function speakersFromPrefixes(cues: Cue[]): Cue[] {
  if (cues.some((c) => c.speaker)) return cues;
  const labels = cues.map((c) => {
    const l = /^([^:\n]{1,40}):[ \t]+\S/.exec(c.text)?.[1]?.trim();
    return l && (leadingLabel(c.text) === l || /^\[/.test(l)) ? l : undefined;
  });
  const counts = new Map<string, number>();
  for (const l of labels) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
  const covered = [...counts.values()].filter((n) => n >= 2).reduce((a, b) => a + b, 0);
  if (covered * 2 < cues.length || counts.size === 0) return cues;
  return cues.map((c, i) => {
    const l = labels[i];
    return l ? { ...c, speaker: l, text: c.text.slice(c.text.indexOf(':') + 1).trim() } : c;
  });
}

/**
 * Merges cues into turns: one turn per run of cues of the same speaker; without
 * speakers, a new paragraph after a pause of 2 s or more, or past 1,200 characters at the end of a sentence.
 */
export function turns(cues: readonly Cue[]): Turn[] {
  const out: Turn[] = [];
  let previousEnd = -Infinity;
  for (const c of cues) {
    const last = out[out.length - 1];
    const sameSpeaker = last !== undefined && last.speaker === c.speaker;
    const continues = sameSpeaker && (c.speaker !== undefined || (c.start - previousEnd < 2 && !(last.text.length > 1200 && /[.!?…]$/.test(last.text))));
    if (last && continues) last.text = `${last.text} ${c.text}`;
    else out.push({ start: c.start, ...(c.speaker ? { speaker: c.speaker } : {}), text: c.text });
    previousEnd = c.end;
  }
  return out;
}

/** `[hh:mm:ss]` for a time in seconds. */
export function timestamp(s: number): string {
  const t = Math.floor(s);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `[${pad(Math.floor(t / 3600))}:${pad(Math.floor((t % 3600) / 60))}:${pad(t % 60)}]`;
}
