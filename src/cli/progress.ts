import type { BuildProgress } from '../controlplane/build.ts';

export interface ProgressPrinter {
  step: (message: string) => void;
  build: (p: BuildProgress) => void;
  done: (message: string) => void;
}

/** Progress on stderr: one line per step, and a build counter that redraws at most twice a second. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): ProgressPrinter {
  const started = Date.now();
  let lastBuild = 0;
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  return {
    step: (message) => stream.write(`[${elapsed()}] ${message}\n`),
    build: (p) => {
      const now = Date.now();
      if (now - lastBuild < 500 && p.built < p.total) return;
      lastBuild = now;
      const line = `[${elapsed()}] Building control plane (${p.unit}): ${p.built}/${p.total} packages`;
      stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
    },
    done: (message) => stream.write(`${stream.isTTY ? '\n' : ''}[${elapsed()}] ${message}\n`),
  };
}
