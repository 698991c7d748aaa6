import { durablyProject } from '../../tooling/vitest/project.ts';

// The end-to-end test starts real processes (the app, the CLI): give it time on a busy machine.
export default durablyProject('sample', { testTimeout: 120_000 });
