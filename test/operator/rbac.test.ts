import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const files = ['operator-clusterrole.yaml', 'operator-leader-election.yaml'].map((f) => new URL(`../../deploy/rbac/${f}`, import.meta.url));

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const rules: Rule[] = files.flatMap((f) =>
  parseAllDocuments(readFileSync(f, 'utf8')).flatMap((d) => ((d.toJS() as { rules?: Rule[] }).rules ?? [])),
);

test('the operator role grants no wildcards and nothing on Secrets', () => {
  assert.ok(rules.length > 0);
  for (const r of rules) {
    for (const v of [...r.apiGroups, ...r.resources, ...r.verbs]) assert.notEqual(v, '*');
    assert.equal(r.resources.includes('secrets'), false);
  }
});

test('the operator may write its CRs only through the status subresource', () => {
  const crs = rules.filter((r) => r.apiGroups.includes('falconer.dev'));
  for (const r of crs) {
    const writes = r.verbs.filter((v) => !['get', 'list', 'watch'].includes(v));
    if (writes.length > 0) assert.ok(r.resources.every((res) => res.endsWith('/status')), JSON.stringify(r));
  }
});

test('the operator cannot create RBAC objects (no privilege escalation through Falco pods)', () => {
  assert.equal(rules.some((r) => r.apiGroups.includes('rbac.authorization.k8s.io')), false);
});

test("the operator may only GET through the pod proxy (Falco's /metrics), never write through it", () => {
  const proxy = rules.filter((r) => r.resources.includes('pods/proxy'));
  assert.equal(proxy.length, 1);
  assert.deepEqual(proxy[0]?.verbs, ['get']);
  assert.deepEqual(proxy[0]?.resources, ['pods/proxy'], 'pods/proxy has a rule of its own');
});
