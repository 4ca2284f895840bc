/** One line of `npm run bench`: our figure beside a baseline measured in the same run. */
export interface BenchRow {
  measure: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
}
