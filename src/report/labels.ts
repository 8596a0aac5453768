/** The words a report writes on its own, in French and in English. */
import type { Language } from '../project/model.js';

/** Fixed labels and small phrase builders of a report. */
export interface Labels {
  toc: string;
  continued: string;
  interviews: string;
  period: string;
  panel: string;
  panelBy: (attribute: string) => string;
  none: string;
  code: string;
  total: string;
  breakdown: (attribute: string) => string;
  shareAxis: string;
  segmentShareAxis: string;
  /** `k sur n` / `k of n`. */
  of: (k: string, n: string) => string;
  groupN: (label: string, n: string) => string;
  /** The review of the automatic codings, for the method: `accepted` of `total` (`pct`); `allReviewed` when the verbatims quote reviewed codings only. */
  reviewed: (accepted: string, total: string, pct: string, quotesReviewed: boolean) => string;
  expressedBy: (phrase: string, count: string) => string;
  expressedByNone: (count: string) => string;
  /** Below {@link PLAIN_BELOW} respondents, the counts said plainly: `Exprimé par 2 interviewés sur 4`. */
  expressedByCount: (k: number, kText: string, nText: string) => string;
  especially: (group: string, count: string) => string;
  coocHead: [string, string, string, string];
  coocNone: string;
  coocNote: (unit: 'respondents' | 'segments') => string;
  saturationHead: [string, string, string, string];
  saturationAxis: string;
  profilesTitle: (attribute: string) => string;
  profileNone: string;
  profileLine: (label: string, k: string, pct: string, restK: string, restPct: string) => string;
  matrixNote: (unit: 'respondents' | 'segments') => string;
}

const fr: Labels = {
  toc: 'Plan de la restitution',
  continued: '(suite)',
  interviews: "Nombre d'entretiens",
  period: 'Période',
  panel: 'Constitution du panel',
  panelBy: (a) => `Constitution du panel, par ${a}`,
  none: 'Non renseigné',
  code: 'Thème',
  total: 'Ensemble',
  breakdown: (a) => `Répartition par ${a}`,
  shareAxis: '% des interviewés',
  segmentShareAxis: '% des segments',
  of: (k, n) => `${k} sur ${n}`,
  groupN: (label, n) => `${label} (n = ${n})`,
  reviewed: (accepted, total, pct, quotesReviewed) =>
    `**Relecture du codage :** ${accepted} des ${total} codages proposés par les mots-clés validés par un chercheur (${pct}) ; ${quotesReviewed ? 'les verbatims ne citent que des passages codés ou validés par un chercheur' : 'les autres sont comptés tels que les mots-clés les ont proposés'}.`,
  expressedBy: (phrase, count) => `Exprimé par ${phrase} (${count})`,
  expressedByNone: (count) => `Aucun interviewé ne l'exprime (${count})`,
  expressedByCount: (k, kText, nText) => `Exprimé par ${kText} interviewé${k > 1 ? 's' : ''} sur ${nText}`,
  especially: (group, count) => `, en particulier dans le groupe « ${group} » (${count})`,
  coocHead: ['Thème', 'Thème associé', 'Ensemble', 'Coefficient c'],
  coocNone: "Aucun de ces thèmes n'est évoqué avec un autre.",
  coocNote: (u) =>
    `Deux thèmes vont ensemble quand ${u === 'respondents' ? 'les mêmes interviewés les évoquent' : 'les mêmes paragraphes les portent'} ; le coefficient c (de 0 à 1) rapporte les ${u === 'respondents' ? 'interviewés' : 'paragraphes'} qui portent les deux à ceux qui portent l'un ou l'autre.`,
  saturationHead: ['Entretien', 'Date', 'Codes nouveaux', 'Codes cumulés'],
  saturationAxis: 'Codes',
  profilesTitle: (a) => `Ce qui distingue chaque groupe : ${a}`,
  profileNone: 'Aucun thème ne distingue ce groupe.',
  profileLine: (label, k, pct, restK, restPct) => `${label} : ${k} (${pct}), contre ${restK} (${restPct}) parmi les autres`,
  matrixNote: (u) =>
    `Chaque case compte les ${u === 'respondents' ? 'interviewés' : 'paragraphes de réponse'} qui évoquent le thème ou l'un de ses sous-thèmes ; les pourcentages sont ceux de chaque colonne.`,
};

const en: Labels = {
  toc: 'Report outline',
  continued: '(continued)',
  interviews: 'Number of interviews',
  period: 'Period',
  panel: 'Panel',
  panelBy: (a) => `Panel, by ${a}`,
  none: 'Not specified',
  code: 'Theme',
  total: 'All',
  breakdown: (a) => `Breakdown by ${a}`,
  shareAxis: '% of interviewees',
  segmentShareAxis: '% of segments',
  of: (k, n) => `${k} of ${n}`,
  groupN: (label, n) => `${label} (n = ${n})`,
  reviewed: (accepted, total, pct, quotesReviewed) =>
    `**Coding review:** ${accepted} of the ${total} codings the keywords proposed accepted by a researcher (${pct}); ${quotesReviewed ? 'the verbatims quote only passages a researcher coded or accepted' : 'the others are counted as the keywords proposed them'}.`,
  expressedBy: (phrase, count) => `Expressed by ${phrase} (${count})`,
  expressedByNone: (count) => `No interviewee expresses it (${count})`,
  expressedByCount: (_k, kText, nText) => `Expressed by ${kText} of the ${nText} interviewees`,
  especially: (group, count) => `, especially in the group “${group}” (${count})`,
  coocHead: ['Theme', 'Related theme', 'Together', 'Coefficient c'],
  coocNone: 'None of these themes comes up with another.',
  coocNote: (u) =>
    `Two themes go together when ${u === 'respondents' ? 'the same interviewees raise them' : 'the same paragraphs carry them'}; the coefficient c (from 0 to 1) divides the ${u === 'respondents' ? 'interviewees' : 'paragraphs'} carrying both by those carrying either.`,
  saturationHead: ['Interview', 'Date', 'New codes', 'Codes so far'],
  saturationAxis: 'Codes',
  profilesTitle: (a) => `What sets each group apart: ${a}`,
  profileNone: 'No theme sets this group apart.',
  profileLine: (label, k, pct, restK, restPct) => `${label}: ${k} (${pct}), against ${restK} (${restPct}) among the others`,
  matrixNote: (u) => `Each cell counts the ${u === 'respondents' ? 'interviewees' : 'answer paragraphs'} raising the theme or one of its sub-themes; percentages are of each column.`,
};

/** The labels of a language. */
export function labelsFor(language: Language): Labels {
  return language === 'fr' ? fr : en;
}
