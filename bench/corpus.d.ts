export function generateCorpus(options: { dir: string; megabytes?: number; files?: number; seed?: number; codes?: number }): { files: number; bytes: number; codes: number };
export function writeBenchPlan(dir: string): string;
