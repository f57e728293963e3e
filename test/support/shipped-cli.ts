/**
 * The CLI as it ships: the esbuild bundle that `npm run build` writes to dist/cli/ (the npm
 * package's `bin` and the image's entry point). Tests that spawn `falconer` run this, not the
 * TypeScript sources, so that they cover what users run; `npm test` builds it before any test
 * starts (test/run.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR } from '../../src/build/bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of the bundled CLI's entry point; throws when it has not been built. */
export function shippedCli(): string {
  const main = `${ROOT}${BUNDLE_DIR}/main.js`;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (npm test does it first)`);
  return main;
}
