import * as z from 'zod';

/** What the state file records about a running real node, so `cluster down` and the reaper can undo it. */
export const RealNodeRecordSchema = z.object({
  name: z.string(),
  nodeIp: z.string(),
  podCidr: z.string(),
  /** The node's own folder (configs, containerd and kubelet state, logs), inside the cluster folder. */
  dir: z.string(),
  binDir: z.string(),
  components: z.array(z.object({ name: z.string(), pid: z.number().int(), logFile: z.string() })),
});
export type RealNodeRecord = z.infer<typeof RealNodeRecordSchema>;
