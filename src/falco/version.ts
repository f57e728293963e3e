import * as z from 'zod';
import { FalconerError } from '../core/errors.ts';

/** `falco --version -o json_output=true`: one JSON object on stdout (keys as Falco 0.42 prints them). */
export const falcoVersionSchema = z.object({
  falco_version: z.string(),
  libs_version: z.string(),
  engine_version_semver: z.string().optional(),
  engine_version: z.string().optional(),
  plugin_api_version: z.string().optional(),
  driver_api_version: z.string().optional(),
  driver_schema_version: z.string().optional(),
  default_driver_version: z.string().optional(),
  plugin_versions: z.record(z.string(), z.string()).optional(),
});

export type FalcoVersionJson = z.infer<typeof falcoVersionSchema>;

/** The same facts with names a TypeScript reader expects. */
export interface FalcoVersion {
  falco: string;
  libs: string;
  engine?: string;
  pluginApi?: string;
  driverApi?: string;
  driverSchema?: string;
  defaultDriver?: string;
}

export function parseFalcoVersion(stdout: string): FalcoVersion {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.trim());
  } catch (err) {
    throw new FalconerError('Falco printed no JSON for --version; is json_output supported by this Falco?', {
      cause: err,
    });
  }
  const v = falcoVersionSchema.parse(raw);
  const out: FalcoVersion = { falco: v.falco_version, libs: v.libs_version };
  const engine = v.engine_version_semver ?? v.engine_version;
  if (engine !== undefined) out.engine = engine;
  if (v.plugin_api_version !== undefined) out.pluginApi = v.plugin_api_version;
  if (v.driver_api_version !== undefined) out.driverApi = v.driver_api_version;
  if (v.driver_schema_version !== undefined) out.driverSchema = v.driver_schema_version;
  if (v.default_driver_version !== undefined) out.defaultDriver = v.default_driver_version;
  return out;
}
