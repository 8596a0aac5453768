import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { docxText } from '../../src/exchange/docx.js';
import { parseCaptions, speakersFromPrefixes, timestamp, turns } from '../../src/exchange/subtitles.js';
import { importCaptions, importPlainTranscript } from '../../src/exchange/transcript-import.js';
import { parseTranscript } from '../../src/project/transcript.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/exchange/${name}`, import.meta.url)), 'utf8');
const options = { id: 'T1', corpus: 'corpus', source: 'x' };

function parsed(content: string) {
  const file = new SourceFile('corpus/T1.md', content);
  const t = parseTranscript(file, { language: 'fr', speakers: { Q: 'interviewer', R: 'respondent' }, codeInterviewer: false })!;
  return { t, rules: file.messages.map((m) => m.ruleId) };
}

describe('captions', () => {
  it('reads WebVTT voices, merges a speaker’s cues and keeps the first time of each turn (Teams)', () => {
    const r = importCaptions(fixture('teams.vtt'), { ...options, interviewers: ['claire martin'] });
    expect(r.files[0]!.path).toBe('corpus/T1.md');
    expect(r.files[0]!.content).toBe(
      [
        '---',
        'id: T1',
        'attributes: {}',
        'speakers:',
        '  Claire Martin: interviewer',
        '  Paul Durand: respondent',
        'redact:',
        '  - Claire Martin',
        '  - Paul Durand',
        '  - Claire',
        '  - Martin',
        '  - Paul',
        '  - Durand',
        '# label: a pseudonymous description of the respondent, shown in reports',
        '---',
        '',
        "**Claire Martin:** [00:00:01] Bonjour, merci d'être là. Pouvez-vous vous présenter ?",
        '',
        "**Paul Durand:** [00:00:06] Oui. Je suis maire depuis 2014 & fier de l'être. Et j'aime mon \\{#travail}.",
        '',
      ].join('\n'),
    );
    const { t, rules } = parsed(r.files[0]!.content);
    expect(t.paragraphs.map((p) => [p.role, p.speaker, p.timestamp])).toEqual([
      ['interviewer', 'Claire Martin', 1],
      ['respondent', 'Paul Durand', 6],
    ]);
    expect(t.codings).toEqual([]);
    expect(rules).toEqual(['missing-respondent-label']);
  });

  it('takes `Name:` prefixes as speakers (Zoom), and says when no interviewer is named', () => {
    const r = importCaptions(fixture('zoom.vtt'), options);
    expect(r.files[0]!.content.split('---\n\n')[1]).toBe("**Claire Martin:** [00:00:00] Bonjour.\n\n**Paul Durand:** [00:00:02] Bonjour, ravi d'être là. Note: je suis en retard.\n");
    expect(r.notes.map((n) => n.kind)).toEqual(['roles']);
    expect(parsed(r.files[0]!.content).t.segments).toHaveLength(2);
  });

  it('makes paragraphs at pauses when no speaker is named (Whisper, SRT)', () => {
    const r = importCaptions(fixture('whisper.srt'), options);
    expect(r.files[0]!.content).toBe("---\nid: T1\nattributes: {}\nspeakers: {}\n# label: a pseudonymous description of the respondent, shown in reports\n---\n\n[00:00:00] Alors, on commence. C'est parti.\n\n[00:00:08] Après une pause.\n");
    expect(r.notes.map((n) => n.kind)).toEqual(['no-speakers']);
    expect(parsed(r.files[0]!.content).t.segments.map((s) => s.text)).toEqual(["Alors, on commence. C'est parti.", 'Après une pause.']);
  });

  it('gives a short label to a name that cannot be one, and reports an unknown interviewer', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v [SPEAKER_00]>Hello.\n\n00:00:03.000 --> 00:00:04.000\n<v Dr. Who: the Doctor>Hi.\n';
    const r = importCaptions(vtt, { ...options, interviewers: ['Nobody'] });
    expect(r.files[0]!.content).toContain('speakers:\n  S1: respondent\n  S2: respondent\nredact:\n  - "Dr. Who: the Doctor"\n  - Who\n  - Doctor\n# label');
    expect(r.files[0]!.content).toContain('\n**S1:** [00:00:01] Hello.\n\n**S2:** [00:00:03] Hi.\n');
    expect(r.notes.map((n) => n.kind)).toEqual(['unknown-interviewer']);
  });

  it('parses timings and turns', () => {
    const cues = parseCaptions('WEBVTT\n\n01:02:03.450 --> 01:02:04.000\n<v A>x <c.y>y</c></v>\n\n1:02.5 --> 1:03.0\nz');
    expect(cues).toEqual([
      { start: 3723.45, end: 3724, speaker: 'A', text: 'x y' },
      { start: 62.5, end: 63, text: 'z' },
    ]);
    expect(turns(speakersFromPrefixes([{ start: 0, end: 1, text: 'Note: once' }, { start: 5, end: 6, text: 'plain' }]))).toEqual([
      { start: 0, text: 'Note: once' },
      { start: 5, text: 'plain' },
    ]);
    expect(timestamp(3723.9)).toBe('[01:02:03]');
  });
});

describe('plain-text transcripts', () => {
  it('declares `Name :` prefixes as speakers and keeps the text as it is', () => {
    const r = importPlainTranscript(fixture('interview.txt'), { ...options, interviewers: ['Enquêteur'], attributes: [{ id: 'actor', label: 'Actor', values: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], range: [0, 0] }] });
    const content = r.files[0]!.content;
    expect(content).toContain('speakers:\n  Enquêteur: interviewer\n  Marie: respondent\nredact:\n  - Marie\n');
    expect(content).toContain('# attributes declared in the panel (fill in under `attributes`):\n#   actor: a | b\n');
    expect(content.endsWith('---\n\nEnquêteur : Bonjour, merci de me recevoir.\n\nMarie : Avec plaisir.\n\nEnquêteur : Que faites-vous ?\n\nMarie : Je suis [inaudible] infirmière.\n')).toBe(true);
    const { t } = parsed(content);
    expect(t.segments.map((s) => s.text)).toEqual(['Avec plaisir.', 'Je suis [inaudible] infirmière.']);
  });

  it('reads a Word document paragraph by paragraph', async () => {
    const p = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
    const docx = zipSync({
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
      '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
      'word/document.xml': strToU8(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${p('Q : Une question ?')}${p('R : Une réponse.')}${p('Q : Une autre ?')}${p('R : Oui.')}</w:body></w:document>`),
    });
    const read = await docxText(docx);
    if (!read.ok) throw new Error(read.message);
    const text = read.text;
    expect(text).toBe('Q : Une question ?\n\nR : Une réponse.\n\nQ : Une autre ?\n\nR : Oui.\n\n');
    const r = importPlainTranscript(text, { ...options, interviewers: ['Q'] });
    expect(r.files[0]!.content).toContain('speakers:\n  Q: interviewer\n  R: respondent\n# label');
    expect(parsed(r.files[0]!.content).t.segments.map((s) => s.text)).toEqual(['Une réponse.', 'Oui.']);
  });

  it('leaves a text without prefixes to the respondent', () => {
    const r = importPlainTranscript('Just one voice.\n\nAnother paragraph.\n', options);
    expect(r.notes.map((n) => n.kind)).toEqual(['no-speakers']);
    expect(parsed(r.files[0]!.content).t.segments.map((s) => s.text)).toEqual(['Just one voice.', 'Another paragraph.']);
  });
});
