// Regenerates the configuration table in README.md from core's option table, so the docs cannot
// drift from the validation code. Run: node --conditions=@durably/source --import tsx tooling/scripts/options-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describeOptions } from '../../packages/core/src/index.ts';

const escape = (text: string) => text.replace(/\|/g, '\\|');
const rows = describeOptions().map((o) => {
  const values = o.values ? ` (${o.values.map((v) => `\`${v}\``).join(', ')})` : '';
  return `| \`${o.key}\` | \`${o.env}\` | \`${escape(o.default)}\` | ${escape(o.description)}${values} |`;
});
const table = ['| option | environment variable | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');

const readme = readFileSync('README.md', 'utf8');
const start = '<!-- options-table:start -->';
const end = '<!-- options-table:end -->';
const next = readme.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`);
writeFileSync('README.md', next);
console.log(`wrote ${rows.length} options`);
