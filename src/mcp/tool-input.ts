import * as z from 'zod';

/**
 * A tool's input schema from its shape. Strict: an argument the tool does not know (a typo such
 * as `namepsace`, or one meant for another tool) is refused with its name, instead of being
 * dropped so that the call quietly runs with defaults.
 */
export function toolInput<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  return z.strictObject(shape);
}
