import * as z from 'zod';

/**
 * The document `falco -V <file>... -o json_output=true` prints (Falco 0.39+), described once:
 * the engine renders it and parseFalcoValidationOutput reads it back from real Falco.
 */
export const FalcoPositionSchema = z.object({
  column: z.number(),
  line: z.number(),
  name: z.string(),
  offset: z.number(),
});

export const FalcoLocationSchema = z.object({
  item_name: z.string(),
  item_type: z.string(),
  position: FalcoPositionSchema,
});

export const FalcoLoadMessageSchema = z.object({
  code: z.string(),
  codedesc: z.string(),
  context: z.object({ locations: z.array(FalcoLocationSchema), snippet: z.string().optional() }),
  deprecated_field: z.string().optional(),
  message: z.string(),
});

export const FalcoLoadResultSchema = z.object({
  errors: z.array(FalcoLoadMessageSchema),
  name: z.string(),
  schema_valid: z.boolean().optional(),
  schema_warnings: z.array(z.string()).optional(),
  successful: z.boolean(),
  warnings: z.array(FalcoLoadMessageSchema),
});

export const FalcoLoadResultsDocumentSchema = z.object({
  falco_load_results: z.array(FalcoLoadResultSchema),
});

export type FalcoLocation = z.infer<typeof FalcoLocationSchema>;
export type FalcoLoadMessage = z.infer<typeof FalcoLoadMessageSchema>;
export type FalcoLoadResult = z.infer<typeof FalcoLoadResultSchema>;
