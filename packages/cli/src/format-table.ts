/**
 * Renders rows as an aligned text table with an upper-case header; an empty list renders as
 * `emptyText`. Cells are single-line: newlines in values become spaces.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  emptyText = '(none)',
): string {
  if (rows.length === 0) return `${emptyText}\n`;
  const clean = rows.map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, ' ')));
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...clean.map((row) => row[index]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [line(headers.map((header) => header.toUpperCase())), ...clean.map(line)].join('\n') + '\n';
}

/** A time for tables: `2026-11-25 21:30:05Z`, or `-` when absent. */
export function formatTime(value: Date | null | undefined): string {
  if (!value) return '-';
  return value
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}
