/**
 * The shape every export has: a writer that is told about the project
 * ({@link ExportWriter.begin}), then given the transcripts one at a time with
 * their codings ({@link ExportWriter.add}), then finishes
 * ({@link ExportWriter.end}), and that writes as it goes, to an
 * {@link ExportTarget}: no output is ever built as one string or one buffer.
 * Where the transcripts come from is not its business: `verbatim export`
 * streams them from the corpus (`cli/stream-coded.ts`), and the in-memory
 * builders (`projectJson`, `codingsCsv`…) feed a loaded project through the
 * same writers ({@link writeInMemory}).
 *
 * A writer keeps what one transcript needs while it is added, plus small
 * facts about the others (counts, which codes and users occur, where each
 * part of a later section was put). The parts of the output that come after
 * the transcripts but are made while they pass (a JSON export's codings, a
 * `.qdpx`'s `project.qde`) go to {@link Scratch} storage, a temporary file
 * in the command, and are copied out at the end.
 *
 * Transcripts that share an id (a `check` error) are exported as before:
 * the first one is the transcript, and the codings of the others are put on
 * its text. {@link ExportMeta.shared} says how many share each such id, so
 * that a writer knows when the last one has come.
 */
import type { Coding } from '../coding/code-transcript.js';
import type { ViewKind } from '../core/escapes.js';
import { redactorOf, type Redactor } from '../core/redact.js';
import type { Codebook, Panel, Transcript } from '../project/model.js';
import { attributeIds, type ExportInput, type OriginFilter } from './export-common.js';

/** The formats of `verbatim export`. */
export const EXPORT_FORMATS = ['qdc', 'qdpx', 'csv', 'iramuteq', 'json'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a writer knows of the project before the first transcript. */
export interface ExportMeta {
  codebook?: Codebook;
  panel?: Panel;
  /** Masks every redacted string of the project (every transcript's lists included). */
  redactor: Redactor;
  /**
   * The attributes, in panel order, then those only found in transcripts in
   * order of first appearance, over every transcript (see `attributeIds`).
   */
  attributes: readonly string[];
  /** The attributes the exported transcripts (the first of each id) have, in order of first appearance. */
  exportedAttributes: readonly string[];
  /** Ids that several transcripts share, with how many share each. */
  shared: ReadonlyMap<string, number>;
  /** Which codings to carry. */
  origin: OriginFilter;
  /** `Verbatim 0.1.0`. */
  generator?: string;
}

/** Temporary storage for a part of the output that is written later. */
export interface Scratch {
  write(chunk: string | Uint8Array): void;
  /** Bytes written so far. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Uint8Array;
  /** Frees it. */
  dispose(): void;
}

/** Where a writer's output goes. */
export interface ExportTarget {
  /** Appends bytes of the output (a string as UTF-8). */
  write(chunk: string | Uint8Array): void;
  /**
   * A check for a stream of text of `kind`: the writer passes every text it
   * writes (or zips) through it first, in order; each continues the one
   * before. The command's check finds redacted strings (see `leak-guard.ts`).
   */
  checker(kind: ViewKind): (text: string) => void;
  /** New scratch storage. */
  scratch(): Scratch;
  /** True once nothing more will be written (a leak was found): a writer may skip work that only makes bytes. */
  readonly stopped: boolean;
}

/** An export format, written as the transcripts come. */
export interface ExportWriter {
  /** Writes what comes before the transcripts. */
  begin(meta: ExportMeta): void;
  /** One transcript (in project order) and its codings (all of them: the writer selects by origin). */
  add(transcript: Transcript, codings: readonly Coding[]): void;
  /** Writes the rest; scratch storage is freed. */
  end(): void;
  /** After `end`: how many codings the output carries, for formats that count them. */
  readonly codings?: number;
}

/** `write` of the target for texts: each checked first. */
export function textOut(target: ExportTarget, kind: ViewKind): (text: string) => void {
  const check = target.checker(kind);
  return (text) => {
    if (text === '') return;
    check(text);
    target.write(text);
  };
}

/** Blocks read back from scratch storage. */
const READ_BLOCK = 256 * 1024;

/**
 * The text of `scratch[from, to)` (UTF-8) in pieces of a quarter of a megabyte,
 * never cutting a character.
 */
export function* scratchText(scratch: Scratch, from = 0, to = scratch.size): Generator<string> {
  const decoder = new TextDecoder('utf-8');
  for (let at = from; at < to; at += READ_BLOCK) {
    const text = decoder.decode(scratch.read(at, Math.min(READ_BLOCK, to - at)), { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** Scratch storage in memory, for the in-memory builders and tests. */
export function memoryScratch(): Scratch {
  const parts: Uint8Array[] = [];
  let size = 0;
  let joined: Uint8Array | undefined;
  const encoder = new TextEncoder();
  return {
    write(chunk) {
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      parts.push(bytes);
      size += bytes.length;
      joined = undefined;
    },
    get size() {
      return size;
    },
    read(offset, length) {
      if (!joined) {
        joined = new Uint8Array(size);
        let at = 0;
        for (const p of parts) {
          joined.set(p, at);
          at += p.length;
        }
        parts.splice(0, parts.length, joined);
      }
      return joined.subarray(offset, Math.min(size, offset + length));
    },
    dispose() {
      parts.length = 0;
      joined = undefined;
    },
  };
}

/** What {@link Groups.next} says of a transcript. */
export interface Occurrence<S> {
  /** The first transcript of its id: the one that is exported. */
  first: boolean;
  /** No other transcript of its id comes after it. */
  last: boolean;
  /** The writer's data for the id, made with the first transcript. */
  state: S;
}

/**
 * Follows transcripts that share an id: a writer keeps its data for an id
 * from the first transcript to the last (only ids in {@link ExportMeta.shared}
 * are kept past one transcript).
 */
export class Groups<S> {
  private readonly open = new Map<string, { state: S; left: number }>();

  constructor(
    private readonly shared: ReadonlyMap<string, number>,
    private readonly make: (t: Transcript) => S,
  ) {}

  next(t: Transcript): Occurrence<S> {
    const group = this.open.get(t.id);
    if (group) {
      group.left--;
      if (group.left <= 0) this.open.delete(t.id);
      return { first: false, last: group.left <= 0, state: group.state };
    }
    const state = this.make(t);
    const count = this.shared.get(t.id) ?? 1;
    if (count > 1) this.open.set(t.id, { state, left: count - 1 });
    return { first: true, last: count <= 1, state };
  }
}

/**
 * Parts that must come out in the order their places were taken
 * ({@link reserve}), whatever the order they are finished in ({@link fill}):
 * a part whose turn has come goes straight out, and one that is early waits
 * in scratch storage (not in memory) until the parts before it are out.
 */
export class OrderedParts {
  private next = 0;
  private taken = 0;
  private waiting: Scratch | undefined;
  /** Where each early part is in the scratch storage, by place. */
  private readonly early = new Map<number, [number, number]>();

  constructor(
    private readonly out: (text: string) => void,
    private readonly scratch: () => Scratch,
  ) {}

  /** Takes the next place. */
  reserve(): number {
    return this.taken++;
  }

  /** The part for place `slot`. */
  fill(slot: number, text: string): void {
    if (slot !== this.next) {
      this.waiting ??= this.scratch();
      const at = this.waiting.size;
      this.waiting.write(text);
      this.early.set(slot, [at, this.waiting.size - at]);
      return;
    }
    this.out(text);
    this.next++;
    for (let r = this.early.get(this.next); r; r = this.early.get(this.next)) {
      this.early.delete(this.next);
      for (const piece of scratchText(this.waiting as Scratch, r[0], r[0] + r[1])) this.out(piece);
      this.next++;
    }
  }

  /** Frees the scratch storage (every place must have been filled). */
  dispose(): void {
    this.waiting?.dispose();
  }
}

/** The part of the project an in-memory export reads. */
export interface InMemoryOptions {
  origin?: OriginFilter;
  generator?: string;
}

/** {@link ExportMeta} of a loaded project. */
export function metaOf(input: ExportInput, options: InMemoryOptions = {}): ExportMeta {
  const counts = new Map<string, number>();
  for (const t of input.transcripts) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
  const shared = new Map([...counts].filter(([, n]) => n > 1));
  const seen = new Set<string>();
  const exportedAttributes: string[] = [];
  const firsts = new Set<string>();
  for (const t of input.transcripts) {
    if (firsts.has(t.id)) continue;
    firsts.add(t.id);
    for (const k of Object.keys(t.attributes)) {
      if (seen.has(k)) continue;
      seen.add(k);
      exportedAttributes.push(k);
    }
  }
  return {
    ...(input.codebook ? { codebook: input.codebook } : {}),
    ...(input.panel ? { panel: input.panel } : {}),
    redactor: redactorOf(input),
    attributes: attributeIds(input),
    exportedAttributes,
    shared,
    origin: options.origin ?? 'all',
    ...(options.generator ? { generator: options.generator } : {}),
  };
}

/**
 * Feeds a loaded project to a writer, each transcript with its codings: the
 * codings of a project come transcript after transcript, so each run of
 * codings of one id belongs to the next transcript of that id.
 */
export function feedProject(input: ExportInput, writer: ExportWriter): void {
  const transcripts = input.transcripts;
  let next = 0;
  const codings = input.codings;
  let i = 0;
  while (i < codings.length) {
    const id = (codings[i] as Coding).transcript;
    let j = i;
    while (j < codings.length && (codings[j] as Coding).transcript === id) j++;
    let k = next;
    while (k < transcripts.length && (transcripts[k] as Transcript).id !== id) k++;
    if (k === transcripts.length) {
      // Codings of no transcript at or after this point (not in project order): on the first transcript of their id.
      const first = transcripts.findIndex((t) => t.id === id);
      if (first < 0) {
        i = j;
        continue;
      }
      k = first;
      if (k < next) {
        writer.add(transcripts[k] as Transcript, codings.slice(i, j));
        i = j;
        continue;
      }
    }
    for (; next < k; next++) writer.add(transcripts[next] as Transcript, []);
    writer.add(transcripts[k] as Transcript, codings.slice(i, j));
    next = k + 1;
    i = j;
  }
  for (; next < transcripts.length; next++) writer.add(transcripts[next] as Transcript, []);
}

/** A target in memory: the output's chunks, no check. */
export function memoryTarget(): ExportTarget & { chunks: (string | Uint8Array)[] } {
  const chunks: (string | Uint8Array)[] = [];
  return { chunks, write: (c) => void chunks.push(c), checker: () => () => undefined, scratch: memoryScratch, stopped: false };
}

/** Writes a loaded project in memory with the writer `make` makes; returns the writer and the output's chunks. */
export function writeInMemory<W extends ExportWriter>(input: ExportInput, make: (target: ExportTarget) => W, options: InMemoryOptions = {}): { writer: W; chunks: (string | Uint8Array)[] } {
  const target = memoryTarget();
  const writer = make(target);
  writer.begin(metaOf(input, options));
  feedProject(input, writer);
  writer.end();
  return { writer, chunks: target.chunks };
}

/** The chunks of a text export joined (for the in-memory builders). */
export function joinText(chunks: readonly (string | Uint8Array)[]): string {
  return chunks.map((c) => (typeof c === 'string' ? c : new TextDecoder().decode(c))).join('');
}
