import { durablyProject } from '../../tooling/vitest/project.ts';

export default durablyProject('cli');
