/**
 * The parts of ObjectMeta that Falconer reads from its own objects, and the naming rule both
 * kinds share. Names become label values (`falconer.dev/monitor`) and parts of child names,
 * hence DNS-1123 labels of at most 63 characters. A structural schema may restrict
 * metadata.name (and nothing else in metadata), so the rule is in the CRD too.
 */
import * as z from 'zod';
import { DNS_LABEL } from './common.ts';

export const MAX_OBJECT_NAME = 63;

export const objectNameSchema = z
  .string()
  .min(1)
  .max(MAX_OBJECT_NAME)
  .regex(DNS_LABEL)
  .describe('Name of the object: a DNS-1123 label of at most 63 characters, since it becomes a label value.');

/** What the CRD declares about metadata. */
/** What the CRD declares about metadata: no description either, the API server refuses one there. */
export const crdMetadataSchema = z.object({ name: objectNameSchema.optional() });

export const objectMetaSchema = z.looseObject({
  name: objectNameSchema,
  namespace: z.string().max(63).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  generation: z.int().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
});
export type ObjectMeta = z.infer<typeof objectMetaSchema>;
