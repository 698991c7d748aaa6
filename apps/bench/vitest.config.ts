import { durablyProject } from '../../tooling/vitest/project.ts';

export default durablyProject('bench', { testTimeout: 150_000 });
