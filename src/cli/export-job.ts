/**
 * The work of `verbatim export`: read the front matters, stream the coded
 * corpus through the format's writer, check every piece for redacted strings
 * before it goes to the sink, and collect the project's diagnostics. It runs
 * in a worker thread (export-worker.ts), whose heap the command sizes, or in
 * the command's own thread (tests, which run the sources); either way the
 * pieces go to a {@link JobSink} that the command writes, in order, and what
 * the command prints comes back in the {@link JobResult}.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedactor } from '../core/redact.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { loadFrame, type ProjectFrame } from '../engine/load-project.js';
import { openScratchFile, WriteError } from '../engine/write.js';
import { codebookCsv, CodingsCsvWriter, MatrixCsvWriter } from '../exchange/csv.js';
import type { OriginFilter } from '../exchange/export-common.js';
import type { ExportFormat, ExportMeta, ExportTarget, ExportWriter, Scratch } from '../exchange/export-writer.js';
import type { OffsetUnit } from '../exchange/offsets.js';
import { IramuteqWriter } from '../exchange/iramuteq.js';
import { JsonWriter } from '../exchange/json-export.js';
import { LeakGuard, leakWindow } from '../exchange/leak-guard.js';
import { ExportError, QdpxWriter, buildQdc, zipFiles } from '../exchange/refi-export.js';
import { ZipLimitError } from '../exchange/zip-write.js';
import { CodedStream, CorpusChanged, surveyCorpus } from './stream-coded.js';


/** What the job is asked (plain data: it crosses to a worker). */
export interface ExportJob {
  root: string;
  codebook?: string;
  format: ExportFormat;
  origin: OriginFilter;
  matrix: boolean;
  /** With csv: the codebook, one row per code (Taguette's columns), instead of the codings. */
  codes?: boolean;
  /** With qdpx: the unit of the selections' offsets. */
  offsets?: OffsetUnit;
  generator: string;
  /** The output file, beside which scratch files go; none: stdout (scratch files go to the system's temporary folder). */
  output?: string;
  /** The output as messages name it. */
  shown?: string;
}

/** Where the job's output goes. */
export interface JobSink {
  /** The next piece of the output, checked already. */
  write(chunk: string | Uint8Array): void;
  /** Nothing more is wanted (a write failed): the job runs on, checking, without making bytes. */
  readonly stopped: boolean;
  /** How far the job is: `phase` 0 reads the front matters, 1 exports. */
  progress(phase: 0 | 1, done: number, total: number): void;
}

/** What the command reports once the job is over. */
export interface JobResult {
  /** Redacted strings the output would show (then the output must be discarded). */
  leaks: number;
  diagnostics: Diagnostic[];
  transcripts: number;
  codes: number;
  codings?: number;
  /** Why the export could not be made: printed after the diagnostics when `late`, else alone. */
  failure?: { message: string; late: boolean };
  /** A scratch file that could not be written (the output is then lost, as for a failed write). */
  scratchFailure?: WriteError;
}

/** The target the writers write to: the sink, behind the leak check and with scratch files. */
class JobTarget implements ExportTarget {
  leaked = false;
  scratchFailure: WriteError | undefined;

  constructor(
    private readonly sink: JobSink,
    private readonly guard: LeakGuard,
    private readonly near: string,
    private readonly target: string | undefined,
  ) {}

  get stopped(): boolean {
    return this.leaked || this.scratchFailure !== undefined || this.sink.stopped;
  }

  write(chunk: string | Uint8Array): void {
    if (!this.stopped) this.sink.write(chunk);
  }

  checker(kind: Parameters<ExportTarget['checker']>[0]): (text: string) => void {
    const check = this.guard.stream(kind);
    return (text) => {
      if (check(text) > 0) this.leaked = true;
    };
  }

  scratch(): Scratch {
    let file: ReturnType<typeof openScratchFile> | undefined;
    let size = 0;
    // A scratch file that cannot be written stops the output, as a failed write does (its bytes are lost).
    return {
      write: (chunk) => {
        if (this.scratchFailure) return;
        try {
          file ??= openScratchFile(this.near, this.target);
          file.write(chunk);
          size = file.size;
        } catch (error) {
          if (!(error instanceof WriteError)) throw error;
          this.scratchFailure = error;
        }
      },
      get size() {
        return size;
      },
      read: (offset, length) => (file && !this.scratchFailure ? file.read(offset, length) : new Uint8Array(0)),
      dispose: () => {
        file?.remove();
        file = undefined;
      },
    };
  }
}

/** The writer of a format (qdc and csv --codes have none: they are the codebook alone, built at the end). */
function writerFor(job: ExportJob, target: ExportTarget): ExportWriter | undefined {
  switch (job.format) {
    case 'qdc':
      return undefined;
    case 'qdpx':
      return new QdpxWriter(target, zipFiles(target), undefined, job.offsets ? { offsets: job.offsets } : {});
    case 'csv':
      if (job.codes) return undefined;
      return job.matrix ? new MatrixCsvWriter(target) : new CodingsCsvWriter(target);
    case 'iramuteq':
      return new IramuteqWriter(target);
    case 'json':
      return new JsonWriter(target);
  }
}

/** Runs the export (see the module comment); `frame` when the caller has loaded it already. */
export function runExportJob(job: ExportJob, sink: JobSink, frame: ProjectFrame = loadFrame(job.root, job.codebook ? { codebook: job.codebook } : {})): JobResult {
  const survey = surveyCorpus(frame, (d, t) => sink.progress(0, d, t));
  const redactor = createRedactor(survey.secrets);
  const guard = new LeakGuard(redactor, leakWindow(survey.secrets));
  const near = job.output ?? path.join(tmpdir(), 'verbatim-export');
  const target = new JobTarget(sink, guard, near, job.output);
  const writer = writerFor(job, target);
  const result: JobResult = { leaks: 0, diagnostics: [], transcripts: survey.transcripts, codes: frame.codebook?.codes.size ?? 0 };
  const meta: ExportMeta = {
    ...(frame.codebook ? { codebook: frame.codebook } : {}),
    ...(frame.panel ? { panel: frame.panel } : {}),
    redactor,
    attributes: survey.attributes,
    exportedAttributes: survey.exportedAttributes,
    shared: survey.shared,
    origin: job.origin,
    generator: job.generator,
  };
  const stream = new CodedStream(frame, survey);
  try {
    writer?.begin(meta);
    for (const { transcript, codings } of stream.items((d, t) => sink.progress(1, d, t))) writer?.add(transcript, codings);
    writer?.end();
  } catch (error) {
    if (error instanceof CorpusChanged) return { ...result, failure: { message: `${error.message}: nothing was written; run the export again.`, late: false } };
    if (error instanceof ZipLimitError) return { ...result, failure: { message: `cannot write ${job.shown ?? job.output ?? 'the archive'}: ${error.message}.`, late: false } };
    throw error;
  }
  result.diagnostics = stream.diagnostics();
  if (job.format === 'qdc') {
    try {
      const qdc = buildQdc(frame.codebook, { generator: job.generator, redactor });
      target.checker('xml')(qdc);
      target.write(qdc);
    } catch (error) {
      if (!(error instanceof ExportError)) throw error;
      result.failure = { message: error.message, late: true };
    }
  }
  if (job.format === 'csv' && job.codes) {
    const csv = codebookCsv(frame.codebook, redactor);
    target.checker('csv')(csv);
    target.write(csv);
  }
  // Counted for the formats whose rows or elements are codings.
  if (writer?.codings !== undefined && (job.format === 'qdpx' || (job.format === 'csv' && !job.matrix && !job.codes))) result.codings = writer.codings;
  result.leaks = guard.leaks;
  if (target.scratchFailure) result.scratchFailure = target.scratchFailure;
  return result;
}
