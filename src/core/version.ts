import packageJson from '../../package.json' with { type: 'json' };

/**
 * Falconer's release, from package.json (the bundle carries it in). Not `npm_package_version`:
 * npm sets that to the version of whichever package runs a script, which is the user's own
 * package when `falconer` runs in one of their npm scripts.
 */
export const FALCONER_VERSION: string = packageJson.version;
