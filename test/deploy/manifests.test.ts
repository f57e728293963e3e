/**
 * What a cluster admin checks before installing an operator, checked on what we ship: least
 * privilege, a hardened pod, probes and resources, leader election for two replicas, flags the
 * CLI really has, and Argo CD Applications that point at folders that exist.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { ManifestObject } from '../../src/api/generate/kustomize.ts';
import { LAUNCHER } from '../../src/build/bundle.ts';
import { shippedCli } from '../support/shipped-cli.ts';
import { find, readManifests, repoPath } from './support/manifests.ts';

interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const install = readManifests('deploy/install.yaml');
const mcp = [...readManifests('deploy/overlays/mcp-http/mcp-deployment.yaml'), ...readManifests('deploy/overlays/mcp-http/mcp-rbac.yaml')];
const version = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;

function podSpec(deployment: ManifestObject): PodSpec {
  return (deployment['spec'] as { template: { spec: PodSpec } }).template.spec;
}

function cliHelp(command: string): string {
  return execFileSync(process.execPath, [shippedCli(), command, '--help'], { encoding: 'utf8' });
}

function rulesOf(objects: readonly ManifestObject[]): Rule[] {
  return objects.flatMap((o) => (o['rules'] as Rule[] | undefined) ?? []);
}

describe('deploy/install.yaml and the MCP overlay', () => {
  for (const [name, objects] of [['falconer-operator', install], ['falconer-mcp', mcp]] as const) {
    const spec = podSpec(find(objects, 'Deployment', name));
    const container = spec.containers[0];

    it(`${name}: runs non-root, read-only, seccomp RuntimeDefault, no privilege escalation, no capabilities`, () => {
      assert.equal(spec.containers.length, 1);
      assert.equal(spec.securityContext['runAsNonRoot'], true);
      assert.deepEqual(spec.securityContext['seccompProfile'], { type: 'RuntimeDefault' });
      assert.notEqual(spec.securityContext['runAsUser'], 0);
      assert.deepEqual(container?.securityContext, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    });

    it(`${name}: has probes, resource requests and limits, and the release's image`, () => {
      assert.ok(container?.livenessProbe?.httpGet && container.readinessProbe?.httpGet);
      for (const key of ['cpu', 'memory']) {
        assert.ok(container.resources.requests[key], `requests.${key}`);
        assert.ok(container.resources.limits[key], `limits.${key}`);
      }
      assert.equal(container.image, `ghcr.io/falconer-dev/falconer:${version}`);
    });

    it(`${name}: passes only flags that \`falconer ${container?.args[0] ?? ''}\` has`, () => {
      const help = cliHelp(container?.args[0] ?? '');
      for (const arg of container?.args.slice(1) ?? []) {
        const flag = arg.replace(/=.*$/, '');
        assert.match(help, new RegExp(`${flag}\\b`), `${flag} is not an option of falconer ${container?.args[0] ?? ''}`);
      }
    });
  }

  it('starts the operator through node with only flags node accepts, on the CLI the image installs', () => {
    const command = podSpec(find(install, 'Deployment', 'falconer-operator')).containers[0]?.command ?? [];
    assert.equal(command[0], 'node');
    const script = command[command.length - 1] ?? '';
    // The Dockerfile links `falconer` to the launcher beside this script, which runs it: the
    // command must name the bundle's main.js in that folder.
    assert.match(script, /\/main\.js$/);
    const launcher = `${script.replace(/\/main\.js$/, '')}/${LAUNCHER}`;
    assert.match(readFileSync(repoPath('Dockerfile'), 'utf8'), new RegExp(`ln -s ${launcher.replace(/[.]/g, '\\.')} /usr/local/bin/falconer`));
    const flags = command.slice(1, -1);
    assert.ok(flags.length > 0 && flags.every((f) => f.startsWith('--')));
    // Node refuses to start on a flag it does not know: run it with them.
    assert.equal(execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' }), 'ok');
  });

  it('runs two operator replicas that elect a leader, probed on /healthz and /readyz', () => {
    const deployment = find(install, 'Deployment', 'falconer-operator');
    assert.equal((deployment['spec'] as { replicas: number }).replicas, 2);
    const container = podSpec(deployment).containers[0];
    assert.ok(container?.args.includes('--leader-elect'));
    assert.equal(container?.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(container?.readinessProbe?.httpGet?.path, '/readyz');
    assert.equal(podSpec(deployment).serviceAccountName, 'falconer-operator');
    find(install, 'ServiceAccount', 'falconer-operator');
    find(install, 'Service', 'falconer-operator-metrics');
  });

  it('grants no wildcard verbs, resources or groups, and nothing on Secrets', () => {
    const rules = rulesOf([...install, ...mcp]);
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      for (const value of [...rule.apiGroups, ...rule.resources, ...rule.verbs]) assert.ok(!value.includes('*'), JSON.stringify(rule));
      assert.ok(!rule.resources.some((r) => r.startsWith('secrets')), JSON.stringify(rule));
    }
  });

  it('reads the MCP token from a Secret the user creates, and ships no Secret', () => {
    assert.ok(![...install, ...mcp].some((o) => o.kind === 'Secret'));
    const volumes = (podSpec(find(mcp, 'Deployment', 'falconer-mcp')) as PodSpec & { volumes: Array<{ secret?: { secretName: string } }> }).volumes;
    assert.ok(volumes.some((v) => v.secret?.secretName === 'falconer-mcp-token'));
    assert.match(readFileSync(repoPath('docs/install.md'), 'utf8'), /create secret generic falconer-mcp-token/);
  });
});

describe('the Argo CD Applications', () => {
  const dir = 'deploy/argocd/applications';
  const apps = readdirSync(repoPath(dir)).flatMap((f) => readManifests(`${dir}/${f}`));
  const wave = (name: string): number => Number((find(apps, 'Application', name).metadata['annotations'] as Record<string, string>)['argocd.argoproj.io/sync-wave']);

  it('apply server-side and sync the operator before the custom resources', () => {
    for (const app of [...apps, ...readManifests('deploy/argocd/app-of-apps.yaml')]) {
      const options = (app['spec'] as { syncPolicy: { syncOptions: string[] } }).syncPolicy.syncOptions;
      assert.ok(options.includes('ServerSideApply=true'), app.metadata.name);
    }
    assert.ok(wave('falconer') < wave('falconer-examples'));
  });

  it('point at folders of this repository, and the examples they pick exist', () => {
    for (const app of [...apps, ...readManifests('deploy/argocd/app-of-apps.yaml')]) {
      const source = (app['spec'] as { source: { path: string; directory?: { include: string } } }).source;
      assert.ok(existsSync(repoPath(source.path)), source.path);
      const include = source.directory?.include;
      if (include === undefined) continue;
      const patterns = include.replace(/^\{|\}$/g, '').split(',').map((p) => new RegExp(`^${p.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`));
      const picked = readdirSync(repoPath(source.path)).filter((f) => patterns.some((p) => p.test(f)));
      assert.ok(picked.length >= 2, `${include} picks ${picked.join(', ')}`);
      for (const file of picked) assert.ok(parse(readFileSync(repoPath(`${source.path}/${file}`), 'utf8')));
    }
  });
});

describe('the Dockerfile (not built in CI: no container engine)', () => {
  const dockerfile = readFileSync(repoPath('Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l));
  const allowed = readFileSync(repoPath('.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).replace(/\/\*\*$/, ''));

  it('builds on Node.js 24 and runs `falconer` as the uid the Deployments expect', () => {
    const bases = instructions.filter((l) => l.startsWith('FROM ')).map((l) => l.split(' ')[1]);
    assert.ok(bases.length >= 2 && bases.every((b) => b?.startsWith('node:24-')), bases.join(', '));
    assert.ok(instructions.includes('RUN npm ci --ignore-scripts'));
    assert.match(dockerfile, /RUN npm run build/);
    assert.equal(instructions.filter((l) => l.startsWith('USER ')).at(-1), 'USER 1000:1000');
    assert.equal(instructions.filter((l) => l.startsWith('ENTRYPOINT ')).at(-1), 'ENTRYPOINT ["falconer"]');
    for (const name of ['falconer-operator', 'falconer-mcp']) {
      const spec = podSpec(find([...install, ...mcp], 'Deployment', name));
      assert.equal(spec.securityContext['runAsUser'], 1000, name);
    }
  });

  it('copies only what .dockerignore lets into the build context', () => {
    const copied = instructions
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(' ').slice(1, -1));
    assert.ok(copied.length > 0);
    for (const path of copied) assert.ok(allowed.includes(path), `${path} is excluded by .dockerignore`);
  });
});
