import { ConfigurationError } from '@durably/core';
import { describe, expect, it } from 'vitest';
import { resolvePoolSize } from './resolve-pool-size.js';

describe('resolvePoolSize', () => {
  it('defaults to 10 and keeps an integer >= 1', () => {
    expect(resolvePoolSize(undefined, 'maxConnections')).toBe(10);
    expect(resolvePoolSize(1, 'maxConnections')).toBe(1);
    expect(resolvePoolSize(40, 'maxConnections')).toBe(40);
  });

  it('refuses 0, fractions and NaN with a ConfigurationError naming the option', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      expect(() => resolvePoolSize(bad, 'maxConnections')).toThrow(ConfigurationError);
    }
    expect(() => resolvePoolSize(0, 'maxConnections')).toThrow(/maxConnections/);
  });
});
