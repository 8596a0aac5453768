#!/usr/bin/env python3
"""The yardstick of `npm run bench`: a hand-written, straightforward auto-coder
with PyStemmer (Snowball), the way one would write it in an afternoon.

    python3 bench/reference_tagger.py PROJECT_DIR

It reads the codebook (the one file in PROJECT_DIR/codebooks/) and every
transcript PROJECT_DIR/corpus/*.md in full, skips the YAML front matter, splits
the body into paragraphs at blank lines, drops the interviewer's paragraphs
(speaker label `**Q :**`; a paragraph without a label continues the previous
speaker, text before the first label is the respondent's), removes the coding
markers ({#code}, {!code}, {>code}, {<code}) and counts them, tokenizes words
with a regular expression (French elisions split off), lower-cases, stems every
token with PyStemmer's French stemmer, and looks up the codebook's single-word
keywords, phrases, prefixes (`word*`), exact forms (`=word`), vetoes (`unless`)
and patterns in each paragraph. It prints one JSON line of totals.

It does comparable work to `verbatim tag`, not the same work: its stemmer is
Snowball's, not natural's, and it folds no accents, so its counts differ a little.
"""
import json
import os
import re
import resource
import sys
import time

import Stemmer  # PyStemmer

# A word: letters or digits, with inner apostrophes (aujourd'hui); `_` is not a letter. French elisions
# (l', qu', jusqu'…) before a word are split off: the group is the word without them.
WORD = re.compile(r"(?:(?:l|d|j|n|s|c|m|t|qu|jusqu|lorsqu|puisqu|quoiqu)['’])*([^\W_]+(?:['’][^\W_]+)*)")
MARKER = re.compile(r"\{([#!<>])([^}]*)\}")
SPEAKER = re.compile(r"^(?:\*\*([^*:\n]{1,40}?) ?:\*\*|\*\*([^*:\n]{1,40}?)\*\* ?:|([A-Za-z][\w-]{0,20}) ?:(?= ))")
PARAGRAPHS = re.compile(r"\n[ \t]*\n")
SPEAKERS = {'Q': 'interviewer', 'R': 'respondent'}

stemmer = Stemmer.Stemmer('french')


def words(text):
    """Lower-cased tokens of `text`, elisions (l', qu'…) split off."""
    return WORD.findall(text.lower())


# --- the codebook ---------------------------------------------------------

def yaml_scalar_list(value):
    """A YAML flow sequence of the kind bench/corpus.js writes: ["a", "b"] or ['a'] ."""
    value = value.strip()
    if value.startswith('[') and "'" in value and '"' not in value:
        items = re.findall(r"'((?:[^']|'')*)'", value)
        return [s.replace("''", "'") for s in items]
    return json.loads(value)


def read_codebook_subset(text):
    """The block-style subset that bench/corpus.js writes, without a YAML library."""
    codes = []
    stack = []  # (indent of '- id:', id)
    current = None
    for line in text.split('\n'):
        stripped = line.lstrip(' ')
        indent = len(line) - len(stripped)
        if stripped.startswith('- id:'):
            while stack and stack[-1][0] >= indent:
                stack.pop()
            local = stripped[5:].strip().strip('"\'')
            full = '.'.join([s[1] for s in stack] + [local])
            stack.append((indent, local))
            current = {'id': full, 'keywords': [], 'unless': [], 'patterns': []}
            codes.append(current)
        elif current is not None:
            for key in ('keywords', 'unless', 'patterns'):
                if stripped.startswith(key + ':'):
                    current[key] = yaml_scalar_list(stripped[len(key) + 1:])
    return codes


def read_codebook_yaml(text):
    import yaml
    codes = []

    def walk(items, prefix):
        for c in items or []:
            full = prefix + str(c['id'])
            codes.append({'id': full, 'keywords': c.get('keywords') or [], 'unless': c.get('unless') or [], 'patterns': c.get('patterns') or []})
            walk(c.get('children'), full + '.')

    walk(yaml.safe_load(text).get('codes'), '')
    return codes


def read_codebook(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    try:
        import yaml  # noqa: F401
    except ImportError:
        return read_codebook_subset(text), 'subset parser'
    return read_codebook_yaml(text), 'PyYAML'


class Keywords:
    """Lookup tables: stem → codes, exact form → codes, prefix → codes, and first stem → the phrases and
    vetoes that start with it (checked in place)."""

    def __init__(self, codes):
        self.single = {}
        self.phrases = {}
        self.exact = {}
        self.prefixes = {}
        self.patterns = {}
        for code in codes:
            for source in code['keywords']:
                self.add(source, code['id'], False)
            for source in code['unless']:
                self.add(source, code['id'], True)
            for p in code['patterns']:
                self.patterns.setdefault(re.compile(p, re.IGNORECASE), set()).add(code['id'])
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})

    def add(self, source, code, veto):
        elements = []
        for m in WORD.finditer(source.lower()):
            w = m.group(1)
            start = m.start(1)
            if start > 0 and source[start - 1] == '=':
                elements.append(('exact', w))
            elif m.end() < len(source) and source[m.end()] == '*':
                elements.append(('prefix', w))
            else:
                elements.append(('stem', stemmer.stemWord(w)))
        if not elements:
            return
        if veto or len(elements) > 1:
            # (A phrase that starts with an exact form or a prefix is not looked up: bench/corpus.js writes none.)
            if elements[0][0] == 'stem':
                self.phrases.setdefault(elements[0][1], []).append((elements, code, veto))
            return
        kind, value = elements[0]
        table = {'stem': self.single, 'exact': self.exact, 'prefix': self.prefixes}[kind]
        table.setdefault(value, set()).add(code)

    def code(self, tokens, stems, text):
        """The set of codes the keywords give to a paragraph."""
        found = set()
        vetoed = set()
        stem_set = set(stems)
        token_set = set(tokens)
        for s in stem_set & self.single.keys():
            found |= self.single[s]
        for t in token_set & self.exact.keys():
            found |= self.exact[t]
        for k in self.prefix_lengths:
            for p in {t[:k] for t in token_set} & self.prefixes.keys():
                found |= self.prefixes[p]
        if stem_set & self.phrases.keys():
            phrases = self.phrases
            n = len(stems)
            for i, s in enumerate(stems):
                if s not in phrases:
                    continue
                for elements, code, veto in phrases[s]:
                    if i + len(elements) <= n and all(
                        (stems[i + j] == v) if kind == 'stem' else (tokens[i + j] == v) if kind == 'exact' else tokens[i + j].startswith(v) for j, (kind, v) in enumerate(elements)
                    ):
                        (vetoed if veto else found).add(code)
        for rx, ids in self.patterns.items():
            if rx.search(text):
                found |= ids
        return found - vetoed


# --- the corpus -------------------------------------------------------------

def body_of(text):
    """The text after the YAML front matter."""
    if text.startswith('---\n'):
        end = text.find('\n---\n', 3)
        if end >= 0:
            return text[end + 5:]
    return text


def stemmer_version():
    try:
        from importlib.metadata import version
        return version('PyStemmer')
    except Exception:
        return getattr(Stemmer, 'version', lambda: '?')() if callable(getattr(Stemmer, 'version', None)) else '?'


def main():
    project = sys.argv[1] if len(sys.argv) > 1 else '.'
    t0 = time.perf_counter()
    books = sorted(n for n in os.listdir(os.path.join(project, 'codebooks')) if n.endswith(('.yaml', '.yml')))
    codes, reader = read_codebook(os.path.join(project, 'codebooks', books[0]))
    keywords = Keywords(codes)
    corpus = os.path.join(project, 'corpus')
    files = sorted(n for n in os.listdir(corpus) if n.endswith('.md'))
    totals = {'files': 0, 'bytes': 0, 'paragraphs': 0, 'segments': 0, 'tokens': 0, 'codings': 0, 'auto': 0, 'manual': 0}
    for name in files:
        with open(os.path.join(corpus, name), 'rb') as f:
            data = f.read()
        totals['files'] += 1
        totals['bytes'] += len(data)
        body = body_of(data.decode('utf-8').replace('\r\n', '\n'))
        role = 'respondent'
        for paragraph in PARAGRAPHS.split(body):
            paragraph = paragraph.strip()
            if not paragraph or paragraph.startswith('#') or paragraph.startswith('<!--'):
                continue
            totals['paragraphs'] += 1
            m = SPEAKER.match(paragraph)
            if m:
                label = (m.group(1) or m.group(2) or m.group(3)).strip()
                if m.group(3) is None or label in SPEAKERS:
                    role = SPEAKERS.get(label, 'other')
                    paragraph = paragraph[m.end():]
            if role != 'respondent':
                continue
            totals['segments'] += 1
            manual = set()
            rejected = set()
            for kind, ids in MARKER.findall(paragraph):
                for code in ids.replace('#', ' ').split():
                    if kind == '#' or kind == '>':
                        manual.add(code)
                    elif kind == '!':
                        rejected.add(code)
            if '{' in paragraph:
                paragraph = MARKER.sub(' ', paragraph)
            tokens = words(paragraph)
            stems = stemmer.stemWords(tokens)
            totals['tokens'] += len(tokens)
            auto = keywords.code(tokens, stems, paragraph) - rejected - manual
            totals['auto'] += len(auto)
            totals['manual'] += len(manual)
            totals['codings'] += len(auto) + len(manual)
    totals['codebook'] = reader
    totals['codes'] = len(codes)
    totals['seconds'] = round(time.perf_counter() - t0, 3)
    totals['maxrss_kb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    totals['stemmer'] = 'PyStemmer ' + stemmer_version() + ' (french)'
    print(json.dumps(totals, ensure_ascii=False))


if __name__ == '__main__':
    main()
