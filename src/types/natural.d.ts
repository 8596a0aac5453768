// natural's index loads database drivers, prints dotenv banners and reads `.env`;
// Verbatim imports only the modules it uses, which need these declarations.
declare module 'natural/lib/natural/stemmers/porter_stemmer_fr.js' {
  const stemmer: { stem(word: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const stemmer: { stem(word: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/distance/levenshtein_distance.js' {
  export function DamerauLevenshteinDistance(
    a: string,
    b: string,
    options?: { search?: boolean; restricted?: boolean },
  ): number;
  export function LevenshteinDistance(a: string, b: string): number;
}
declare module 'natural/lib/natural/util/stopwords_fr.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
