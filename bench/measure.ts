/** Small statistics for noisy machines: medians and percentiles, never means. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const median = (values: number[]): number => percentile(values, 50);

/** How many times each timed figure is measured (BENCH_REPEATS): one sample is one noisy draw. */
export const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

export interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number | null;
  /** Min to max of the judged figure over the repeats (timed figures only: sizes and costs are measured once). */
  range?: string;
  target: string;
  /** True when the target is met (by the median of the repeats); null when there is no target or no figure. */
  pass: boolean | null;
  /** The repeats fell on both sides of the target. */
  unsteady?: boolean;
}

type Target = { max?: number; min?: number };
const meets = (target: Target, value: number) =>
  target.max !== undefined ? value <= target.max : target.min !== undefined ? value >= target.min : null;

/**
 * A figure, one value per repeat (a size has one): judged on the ratio to the baseline measured in the same
 * repeat or, without a baseline, on the value itself; the median of the repeats decides.
 */
export function row(figure: string, unit: string, target: Target, measured: number[], baseline?: number[]): Row {
  const judged = baseline ? measured.map((m, i) => m / baseline[i]!) : measured;
  const [min, max] = [Math.min(...judged), Math.max(...judged)];
  const fmt = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(2)} ${unit}`;
  const of = (v: number) => (baseline ? `${v}x` : fmt(v));
  return {
    figure,
    measured: fmt(median(measured)),
    baseline: baseline ? fmt(median(baseline)) : '',
    ratio: baseline ? Number(median(judged).toFixed(3)) : null,
    range: judged.length < 2 ? undefined : baseline ? `${min.toFixed(2)}-${max.toFixed(2)}x` : `${fmt(min)} - ${fmt(max)}`,
    target: target.max !== undefined ? `<= ${of(target.max)}` : target.min !== undefined ? `>= ${of(target.min)}` : '',
    pass: meets(target, median(judged)),
    unsteady: meets(target, min) !== meets(target, max),
  };
}

export function printTable(rows: Row[]): void {
  const verdict = (r: Row) => (r.pass === null ? '' : `${r.pass ? 'PASS' : 'MISS'}${r.unsteady ? ', unsteady' : ''}`);
  const cells = rows.map((r) => [
    r.figure,
    r.measured,
    r.baseline,
    r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`,
    r.range ?? '',
    r.target,
    verdict(r),
  ]);
  const header = ['figure', 'measured', 'baseline', 'ratio', `min-max of ${REPEATS}`, 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
}
