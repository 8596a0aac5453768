/** The files `verbatim init` writes: a small project that passes `verbatim check`. */

export const INIT_FILES_FR: Readonly<Record<string, string>> = {
  'verbatim.yaml': `# yaml-language-server: $schema=./schemas/config.schema.json
# Configuration facultative du projet Verbatim (toutes les clés ont une valeur par défaut).
language: fr
# rules:
#   unused-code: off
`,
  '.gitignore': `# Noms à masquer qui ne doivent même pas être écrits dans un fichier versionné
.verbatim/
`,
  'corpus/panel.yaml': `# yaml-language-server: $schema=../schemas/panel.schema.json
attributes:
  profil:
    label: Profil
    values:
      habitant: Habitants
      elu: Élus
  genre:
    label: Genre
    values:
      femme: Femmes
      homme: Hommes
`,
  'corpus/E01.md': `---
id: E01
label: Une habitante d'un quartier en rénovation
attributes:
  profil: habitant
  genre: femme
date: 2024-03-12
notes: Entretien d'exemple écrit par \`verbatim init\` ; remplacez-le par vos transcriptions.
---

**Q :** Comment avez-vous vécu les travaux dans le quartier ?

**R :** Au début, on n'était pas au courant de grand-chose. [On a appris le calendrier par les affiches dans le hall]{#information.manque}, personne n'est venu nous expliquer.

**Q :** Et aujourd'hui ?

**R :** C'est mieux, il y a une réunion publique chaque mois et on peut poser nos questions. Les voisins se parlent plus qu'avant.
`,
  'codebooks/codebook.yaml': `# yaml-language-server: $schema=../schemas/codebook.schema.json
id: exemple
title: Grille d'exemple
version: 0.1.0
language: fr
codes:
  - id: information
    label: L'information des habitants
    definition: Ce que les répondants disent de la manière dont ils sont informés.
    synthesis: |
      - L'information arrive tard et par hasard, puis s'améliore avec des réunions régulières.
    children:
      - id: manque
        label: Un manque d'information
        definition: Le répondant dit ne pas avoir été informé, ou trop tard.
        keywords: [pas au courant, personne n'est venu, "=expliqué"]
        synthesis: |
          - Les habitants disent avoir appris les travaux par hasard, sans explication.
      - id: concertation
        label: Des temps d'échange
        definition: Le répondant cite une réunion, une permanence, un lieu pour poser des questions.
        keywords: [réunion publique, poser nos questions, permanence]
        synthesis: |
          - Les temps d'échange réguliers sont appréciés quand ils existent.
  - id: lien-social
    label: Le lien entre voisins
    definition: Le répondant parle des relations entre habitants.
    keywords: [voisins, entraide]
    synthesis: |
      - Les travaux rapprochent les voisins.
`,
  'reports/rapport.plan.yaml': `# yaml-language-server: $schema=../schemas/plan.schema.json
title: Rapport d'exemple
period: Mars 2024
language: fr
sections:
  - kind: methodology
    title: Méthodologie
    by: profil
    text: |
      Entretiens semi-directifs auprès d'habitants et d'élus.
  - kind: themes
    title: Les enseignements
    codes: [information, lien-social]
`,
};

export const INIT_FILES_EN: Readonly<Record<string, string>> = {
  'verbatim.yaml': `# yaml-language-server: $schema=./schemas/config.schema.json
# Optional configuration of the Verbatim project (every key has a default).
language: en
`,
  '.gitignore': `# Names to mask that must not even be written in a committed file
.verbatim/
`,
  'corpus/panel.yaml': `# yaml-language-server: $schema=../schemas/panel.schema.json
attributes:
  role:
    label: Role
    values:
      resident: Residents
      councillor: Councillors
`,
  'corpus/I01.md': `---
id: I01
label: A resident of a neighbourhood under renovation
attributes:
  role: resident
date: 2024-03-12
notes: Example interview written by \`verbatim init\`; replace it with your transcripts.
---

**Q:** How did you experience the works in the neighbourhood?

**R:** At first we did not know much. [We learnt the schedule from posters in the hall]{#information.lack}, nobody came to explain.

**Q:** And today?

**R:** It is better: there is a public meeting every month where we can ask questions. Neighbours talk to each other more than before.
`,
  'codebooks/codebook.yaml': `# yaml-language-server: $schema=../schemas/codebook.schema.json
id: example
title: Example codebook
version: 0.1.0
language: en
codes:
  - id: information
    label: How residents are informed
    definition: What respondents say about how they get information.
    synthesis: |
      - Information comes late and by chance, then improves with regular meetings.
    children:
      - id: lack
        label: Lack of information
        definition: The respondent says they were not informed, or too late.
        keywords: [did not know, nobody came]
        synthesis: |
          - Residents learnt about the works by chance, with no explanation.
      - id: meetings
        label: Meetings and exchanges
        definition: The respondent mentions a meeting or a place to ask questions.
        keywords: [public meeting, ask questions]
        synthesis: |
          - Regular meetings are valued where they exist.
  - id: social-ties
    label: Ties between neighbours
    definition: The respondent talks about relations between residents.
    keywords: [neighbours, mutual aid]
    synthesis: |
      - The works bring neighbours closer.
`,
  'reports/report.plan.yaml': `# yaml-language-server: $schema=../schemas/plan.schema.json
title: Example report
period: March 2024
language: en
sections:
  - kind: methodology
    title: Method
    by: role
    text: |
      Semi-structured interviews with residents.
  - kind: themes
    title: Findings
    codes: [information, social-ties]
`,
};
