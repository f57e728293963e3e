import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeTransport } from '../../src/kube/transport.ts';
import { watch } from '../../src/kube/watch.ts';
import { standInKubeConfig } from '../support/stand-in-kubeconfig.ts';

async function standIn(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ transport: KubeTransport; urls: string[]; close(): void }> {
  const urls: string[] = [];
  const server = createServer((req, res) => {
    urls.push(req.url ?? '');
    answer(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = standInKubeConfig(server);
  return {
    transport: new KubeTransport(kc),
    urls,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Runs one watch to its end: the events it delivered and what `done` was called with (once). */
async function watchToEnd(transport: KubeTransport, inactivityMs?: number): Promise<{ events: Array<[string, unknown]>; ends: Array<Error | null> }> {
  const events: Array<[string, unknown]> = [];
  const ends: Array<Error | null> = [];
  await new Promise<void>((resolve) => {
    void watch(
      transport,
      '/api/v1/namespaces/ns/configmaps',
      { resourceVersion: '7', labelSelector: 'a=b' },
      (type, object) => events.push([type, object]),
      (err) => {
        ends.push(err);
        resolve();
      },
      inactivityMs === undefined ? {} : { inactivityMs },
    );
  });
  // Anything after the first `done` would show here.
  await new Promise((r) => setTimeout(r, 50));
  return { events, ends };
}

test('a watch delivers each line as an event, however the stream is cut, and ends cleanly', async () => {
  const one = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '8' }, data: { text: 'x'.repeat(200_000) } } });
  const two = JSON.stringify({ type: 'DELETED', object: { metadata: { name: 'b', resourceVersion: '9' } } });
  const api = await standIn((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    // One event in three writes, then the end of one and a whole second event in one write.
    res.write(one.slice(0, 10));
    res.write(one.slice(10, 150_000));
    setTimeout(() => {
      res.write(`${one.slice(150_000)}\nnot json at all\n\n${two}`);
      res.end('\n');
    }, 20);
  });
  try {
    const { events, ends } = await watchToEnd(api.transport);
    assert.deepEqual(api.urls, ['/api/v1/namespaces/ns/configmaps?resourceVersion=7&labelSelector=a%3Db&watch=true']);
    assert.deepEqual(events, [
      ['ADDED', JSON.parse(one).object],
      ['DELETED', JSON.parse(two).object],
    ]);
    assert.deepEqual(ends, [null]);
  } finally {
    api.close();
  }
});

test('a refused watch ends with the HTTP status (410: the resourceVersion is too old)', async () => {
  const api = await standIn((_req, res) => res.writeHead(410, { 'content-type': 'application/json' }).end('{"kind":"Status","code":410}'));
  try {
    const { events, ends } = await watchToEnd(api.transport);
    assert.deepEqual(events, []);
    assert.equal(ends.length, 1);
    assert.equal((ends[0] as Error & { statusCode?: number }).statusCode, 410);
    assert.match(String(ends[0]?.message), /Gone \(HTTP 410\) watching \/api\/v1\/namespaces\/ns\/configmaps/);
  } finally {
    api.close();
  }
});

test('a watch that goes silent ends with a TimeoutError; one aborted by its caller ends once', async () => {
  const api = await standIn((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } })}\n`);
  });
  try {
    const silent = await watchToEnd(api.transport, 150);
    assert.equal(silent.events.length, 1);
    assert.equal(silent.ends.length, 1);
    assert.equal(silent.ends[0]?.name, 'TimeoutError');

    const ends: Array<Error | null> = [];
    const controller = await watch(api.transport, '/api/v1/pods', {}, () => undefined, (err) => ends.push(err));
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ends.length, 1);
    assert.notEqual(ends[0]?.name, 'TimeoutError');
  } finally {
    api.close();
  }
});
