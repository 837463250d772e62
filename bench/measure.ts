/** Small statistics for noisy machines: medians and percentiles, never means. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const median = (values: number[]): number => percentile(values, 50);

export interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number | null;
  target: string;
  /** True when the target is met; null when there is no target or no figure. */
  pass: boolean | null;
}

export function row(figure: string, measured: number, baseline: number, unit: string, target: { max?: number; min?: number }): Row {
  const ratio = measured / baseline;
  const pass = target.max !== undefined ? ratio <= target.max : target.min !== undefined ? ratio >= target.min : null;
  const fmt = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(2)} ${unit}`;
  return {
    figure,
    measured: fmt(measured),
    baseline: fmt(baseline),
    ratio: Number(ratio.toFixed(3)),
    target: target.max !== undefined ? `<= ${target.max}x` : target.min !== undefined ? `>= ${target.min}x` : '',
    pass,
  };
}

export function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.figure, r.measured, r.baseline, r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`, r.target, r.pass === null ? '' : r.pass ? 'PASS' : 'MISS']);
  const header = ['figure', 'measured', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
}
