/** The systems the comparison knows, Durably first (ratios are Durably / each other one). */
export const SYSTEMS = ['durably', 'graphile-worker', 'pg-boss', 'bullmq'] as const;
export type SystemName = (typeof SYSTEMS)[number];
