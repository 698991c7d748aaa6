import type { MetricValue } from './compare-metrics.js';

/** Median of one figure for one system over the repeats, with every sample kept. */
export interface FigureResult extends MetricValue {
  system: string;
  samples: number[];
}

/** Median of the values (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Renders figures as a Markdown table: one row per figure, one column per system, then one
 * `Durably / peer` ratio column per peer. For jobs/s a ratio above 1 means Durably is faster; for
 * ms a ratio below 1 means Durably is faster.
 */
export function renderCompareTable(
  figures: readonly FigureResult[],
  systems: readonly { key: string; name: string }[],
): string {
  const names = [...new Set(figures.map((f) => f.figure))];
  const peers = systems.filter((s) => s.key !== 'durably');
  const hasDurably = systems.some((s) => s.key === 'durably');
  const header = [
    'metric',
    ...systems.map((s) => s.name),
    ...(hasDurably ? peers.map((p) => `Durably / ${p.name.split(' ')[0]}`) : []),
  ];
  const rows = names.map((figure) => {
    const of = (system: string) => figures.find((f) => f.figure === figure && f.system === system);
    const unit = figures.find((f) => f.figure === figure)!.unit;
    const durably = of('durably')?.value;
    return [
      `${figure} (${unit})`,
      ...systems.map((s) => formatValue(of(s.key)?.value)),
      ...(hasDurably ? peers.map((p) => formatRatio(durably, of(p.key)?.value)) : []),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function formatValue(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

function formatRatio(durably: number | undefined, peer: number | undefined): string {
  if (durably === undefined || peer === undefined || peer === 0) return '—';
  return `${(durably / peer).toFixed(2)}×`;
}
