// node scripts/bundle-cli.mjs: bundles the CLI that bin/tsdb-backup.js runs (run after tsc, from dist/).
// Start-up CPU (issue 12): node resolves, reads, compiles and links each ES module on its own, and the CLI was
// ~175 of them (dist/ and commander's 8 CommonJS files). The bundle is a few files:
//
//   dist/bundle/cli.js        what every command needs first: run-cli, the command table, commander
//   dist/bundle/commands-*.js every command and what it uses, loaded at the first import() of any of them,
//                             so --version and --help do not compile the commands
//   dist/bundle/chunk-*.js    code both of those share (esbuild's splitting)
//   dist/bundle/<name>-*.js   what imports a heavy or native library and stays lazy as in dist/: the S3 storage
//                             (the AWS SDK costs ~0.45 CPU-s), a config file's schedules (cron-parser)
//
// One group for all the commands, not one per command: esbuild gives every combination of commands that shares
// a module its own chunk (~70 files), and the no-op incremental then loaded ~30 of them, which cost more than
// compiling the other commands' code (measured with npm run bench:startup).
// The packages that are external here (a native addon, and what the code already imports lazily) are loaded
// from node_modules as before. The library entry (dist/index.js) is tsc's output, untouched.
// Stack traces name the bundle's files with the functions' own names (keepNames; the code is not minified);
// `node --enable-source-maps bin/tsdb-backup.js ...` maps them back to src/ through the .map files.

import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not import.meta.dirname: that needs Node 20.11, and package.json says >= 20.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'bundle');

/** Packages loaded from node_modules at run time. */
const EXTERNAL = ['zstd-napi', '@aws-sdk/*', 'undici', 'ora', 'cron-parser'];
/** Packages a module may load only when it is needed: a module that imports one statically stays its own lazy chunk. */
const HEAVY = /^(@aws-sdk\/|undici$|ora$|cron-parser$)/;

const LAZY_GROUP = 'tsdb-backup:commands';

/** The specifiers a tsc-emitted module imports statically (`import ... from '...'`, `export ... from '...'`, `import '...'`). */
function staticImports(file) {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]);
}

const heavyMemo = new Map();
/** Whether a module loads a HEAVY package through its static imports, directly or not. */
function importsHeavy(file, visiting = new Set()) {
  if (heavyMemo.has(file)) return heavyMemo.get(file);
  if (visiting.has(file)) return false;
  visiting.add(file);
  const heavy = staticImports(file).some((s) => (s.startsWith('.') ? importsHeavy(path.resolve(path.dirname(file), s), visiting) : HEAVY.test(s)));
  visiting.delete(file);
  heavyMemo.set(file, heavy);
  return heavy;
}

const DYNAMIC_IMPORT = /\bimport\(\s*'(\.[^']+)'\s*\)/g;

/** Every module of dist/ that some module imports with import('./...') and that does not import a HEAVY package. */
function lazyGroupMembers(files) {
  const members = new Set();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(DYNAMIC_IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1]);
      if (!importsHeavy(target)) members.add(target);
    }
  }
  return [...members].sort();
}

/**
 * import('./commands/init.js') in dist/ becomes import('tsdb-backup:commands').then((g) => g.m3): one lazy entry that
 * re-exports every member's namespace, so esbuild emits one chunk for all of them.
 */
function lazyGroupPlugin(members) {
  const index = new Map(members.map((m, i) => [m, i]));
  return {
    name: 'lazy-group',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${LAZY_GROUP}$`) }, () => ({ path: 'commands', namespace: 'lazy-group' }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-group' }, () => ({
        contents: members.map((m, i) => `export * as m${i} from ${JSON.stringify(m)};`).join('\n'),
        resolveDir: dist,
        loader: 'js',
      }));
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(dist + path.sep)) return undefined;
        let src = readFileSync(args.path, 'utf8');
        src = src.replace(DYNAMIC_IMPORT, (whole, spec) => {
          const i = index.get(path.resolve(path.dirname(args.path), spec));
          return i === undefined ? whole : `import(${JSON.stringify(LAZY_GROUP)}).then((g) => g.m${i})`;
        });
        // The tool's name and version (src/version.ts reads ../package.json next to dist/): written in, since the
        // bundle's files are one folder deeper.
        if (args.path === path.join(dist, 'version.js')) {
          const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
          src = src.replace(/createRequire\(import\.meta\.url\)\('\.\.\/package\.json'\)/, () => JSON.stringify({ name: pkg.name, version: pkg.version }));
          if (!src.includes(JSON.stringify(pkg.version)))
            throw new Error('scripts/bundle-cli.mjs: dist/version.js no longer reads ../package.json as expected');
        }
        return { contents: src, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

function jsFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.js') && !f.startsWith(`bundle${path.sep}`))
    .map((f) => path.join(dir, f));
}

await rm(outdir, { recursive: true, force: true });
const members = lazyGroupMembers(jsFiles(dist));
await build({
  absWorkingDir: root,
  entryPoints: { cli: path.join(dist, 'cli/launcher-entry.js') },
  outdir,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [lazyGroupPlugin(members)],
  // commander is CommonJS: its require('node:...') calls need a require in the ES module chunks.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);" },
});
