// Scaffolds a package folder with the files every @durably package shares.
// Usage: node tooling/scripts/new-package.mjs <name> "<description>" [dep@version ...] [--dev dep@version ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, description, ...rest] = process.argv.slice(2);
if (!name || !description) throw new Error('usage: new-package.mjs <name> "<description>" [deps] [--dev deps]');
const dir = join('packages', name);
if (existsSync(join(dir, 'package.json'))) throw new Error(`${dir} already exists`);

const dependencies = {};
const devDependencies = {};
let target = dependencies;
for (const arg of rest) {
  if (arg === '--dev') { target = devDependencies; continue; }
  const at = arg.lastIndexOf('@');
  const [dep, version] = at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, 'workspace:*'];
  target[dep] = version;
}

const pkg = {
  name: `@durably/${name}`,
  version: '0.0.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19' },
  exports: {
    '.': { '@durably/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
  },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist', 'src', '!src/**/*.test.ts', 'README.md'],
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'eslint src',
    test: 'vitest run',
  },
  dependencies,
  devDependencies,
};
mkdirSync(join(dir, 'src'), { recursive: true });
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsconfig.build.json'),
  JSON.stringify(
    {
      extends: './tsconfig.json',
      // Build against the other packages' emitted declarations, not their sources.
      compilerOptions: { customConditions: [], rootDir: 'src', outDir: 'dist' },
      exclude: ['src/**/*.test.ts', 'src/**/test-support/**'],
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  `import { durablyProject } from '../../tooling/vitest/project.ts';\n\nexport default durablyProject('${name}');\n`,
);
writeFileSync(join(dir, 'README.md'), `# @durably/${name}\n\n${description}\n`);
writeFileSync(join(dir, 'src', 'index.ts'), `export {};\n`);
console.log(`created ${dir}`);
