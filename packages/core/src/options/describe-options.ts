import type { OptionPath } from './durably-options.js';
import { envNameOf, optionPaths, optionTable, referenceNameOf, type OptionKind } from './option-table.js';

/** One row of the configuration reference. */
export interface OptionDescription {
  /** Dotted path, e.g. `retention.runRetentionSeconds`. */
  readonly key: OptionPath;
  /** Environment variable, e.g. `DURABLY_RETENTION_RUN_RETENTION_SECONDS`. */
  readonly env: string;
  /** The reference's (DurableStack) name, also accepted in JSON files, e.g. `Retention.RunRetentionSeconds`. */
  readonly referenceName: string;
  readonly type: OptionKind;
  /** The default as text (`"5"`, `"5s"`, `"${hostname}-${pid}"`, `"(none)"`). */
  readonly default: string;
  /** Accepted values of an enum, in canonical kebab-case. */
  readonly values: readonly string[] | undefined;
  readonly description: string;
  /** The value is a secret (connection string, client secret): never print it. */
  readonly secret: boolean;
}

/**
 * The configuration reference: every option with its environment variable, default and
 * description, in a stable order. Generated from the same table that drives validation, so the
 * README and `durably --help` cannot drift from the code.
 *
 * @example
 * for (const o of describeOptions()) console.log(`${o.env.padEnd(50)} ${o.default.padEnd(12)} ${o.description}`);
 */
export function describeOptions(): readonly OptionDescription[] {
  return optionPaths.map((key) => {
    const spec = optionTable[key];
    return Object.freeze({
      key,
      env: envNameOf(key),
      referenceName: referenceNameOf(key),
      type: spec.kind,
      default: spec.defaultText ?? defaultText(spec.default),
      values: spec.values,
      description: spec.description,
      secret: spec.secret ?? false,
    });
  });
}

function defaultText(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return String(value);
}
