import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it holds, failing with `what` after the deadline. The deadline is a safety
 * net, not a performance assertion: generous by default, because a 2-core CI machine is slow.
 */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}
