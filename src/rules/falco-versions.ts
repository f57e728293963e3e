import type { Version } from './loader/semver.ts';

/**
 * What differs between the Falco releases the engine models, as data. Everything that reads a
 * rules file takes one profile; `falcoProfile(version)` picks it from a Falco version (or an image
 * tag, see `falcoVersionOfImageTag`).
 */
export interface FalcoProfile {
  /** The Falco version asked for (as given, or the default). */
  readonly falcoVersion: string;
  /** The version whose behaviour is modelled; undefined when none matches `falcoVersion`. */
  readonly modelled: ModelledFalcoVersion | undefined;
  /** The rules engine version `required_engine_version` is checked against. */
  readonly engineVersion: Version;
  /** Plugins the stock image loads (`required_plugin_versions` is checked against them). */
  readonly plugins: ReadonlyArray<{ readonly name: string; readonly version: string }>;
  /** Exceptions accept the two-word comparison operators (`startswith oneof`, …). */
  readonly oneofComparisons: boolean;
  /** Unknown keys of rules items get a LOAD_UNKNOWN_KEY warning. */
  readonly unknownKeyWarnings: boolean;
  /** The JSON schema lets `override` name `capture`, `capture_duration`, `warn_evttypes`, … */
  readonly wideOverrideSchema: boolean;
  /** Text the container plugin appends to syscall rule outputs before they are compiled. */
  readonly syscallOutputSuffix: string;
  /** The one message this release gives for any output format error (undefined: libs' own). */
  readonly outputErrorMessage: string | undefined;
  /** Transformer names the condition parser lists in its messages. */
  readonly transformerNames: readonly string[];
}

const CONTAINER_OUTPUT_042 =
  ' container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository' +
  ' container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name';

export const MODELLED_FALCO_VERSIONS = ['0.42.1', '0.44.1'] as const;
export type ModelledFalcoVersion = (typeof MODELLED_FALCO_VERSIONS)[number];

/** The default image's Falco (src/api/monitor-image.ts DEFAULT_FALCO_TAG). */
export const DEFAULT_FALCO_VERSION: ModelledFalcoVersion = '0.44.1';

const PROFILES: Record<ModelledFalcoVersion, Omit<FalcoProfile, 'falcoVersion'>> = {
  '0.42.1': {
    modelled: '0.42.1',
    engineVersion: { major: 0, minor: 57, patch: 0 },
    plugins: [{ name: 'container', version: '0.4.1' }],
    oneofComparisons: false,
    unknownKeyWarnings: false,
    wideOverrideSchema: false,
    syscallOutputSuffix: CONTAINER_OUTPUT_042,
    outputErrorMessage: undefined,
    transformerNames: ['val', 'tolower', 'toupper', 'b64', 'basename', 'len'],
  },
  '0.44.1': {
    modelled: '0.44.1',
    engineVersion: { major: 0, minor: 62, patch: 0 },
    plugins: [{ name: 'container', version: '0.7.1' }],
    oneofComparisons: true,
    unknownKeyWarnings: true,
    wideOverrideSchema: true,
    // measured: every output format error reads the same (libs 0.25's formatter)
    syscallOutputSuffix: '',
    outputErrorMessage: "unknown filter: unexpected token after '",
    transformerNames: ['val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'],
  },
};

const isModelled = (v: string): v is ModelledFalcoVersion => (MODELLED_FALCO_VERSIONS as readonly string[]).includes(v);

/**
 * The profile of a Falco version. For a version neither model covers, the newest model is used
 * and `modelled` is undefined: callers must then treat version-dependent findings as warnings
 * (the monitor's own verification Job decides).
 */
export function falcoProfile(version: string = DEFAULT_FALCO_VERSION): FalcoProfile {
  const known = isModelled(version) ? version : undefined;
  return { ...PROFILES[known ?? DEFAULT_FALCO_VERSION], modelled: known, falcoVersion: version };
}

/**
 * The Falco version of a monitor image tag: `0.44.1`, `0.44.1-debian`, `v0.44.1` name it; a
 * digest or `latest` does not (undefined).
 */
export function falcoVersionOfImageTag(tag: string): string | undefined {
  const m = /^v?(\d+\.\d+\.\d+)(?:[-+].*)?$/.exec(tag.trim());
  return m?.[1];
}

/**
 * The Falco release to model for a monitor's image: the one its tag names (`defaultTag` when
 * the image gives none), or `unknown (<tag or digest>)` for a digest or a tag naming no release,
 * which `falcoProfile` models as none (version-dependent findings stay warnings).
 */
export function falcoVersionOfImage(image: { readonly tag?: string | undefined; readonly digest?: string | undefined }, defaultTag: string): string {
  const tag = image.digest === undefined ? (image.tag ?? defaultTag) : undefined;
  return (tag === undefined ? undefined : falcoVersionOfImageTag(tag)) ?? `unknown (${tag ?? image.digest ?? ''})`;
}
