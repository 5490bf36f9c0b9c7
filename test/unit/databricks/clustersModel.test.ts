// When the clusters view polls: quickly with backoff during a transition, slowly with backoff while
// visible and idle, never while hidden (unless a transition the user started is still settling).
import assert from 'node:assert/strict';
import { ClusterDetails, ClustersService } from '../../../src/databricks/clusters';
import { ClustersModel, Timers } from '../../../src/databricks/clustersModel';

class FakeTimers implements Timers {
  time = 0;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== h);
  }
  now(): number {
    return this.time;
  }
  get pending(): number {
    return this.queue.length;
  }
  /** Advances the clock, running due timers (and letting their promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.time = end;
  }
}

function fakeService(states: () => ClusterDetails[]): { service: ClustersService; calls: string[] } {
  const calls: string[] = [];
  const service = {
    list: async () => {
      calls.push('list');
      return states();
    },
    start: async (id: string) => void calls.push(`start ${id}`),
    stop: async (id: string) => void calls.push(`stop ${id}`),
    restart: async (id: string) => void calls.push(`restart ${id}`),
  } as unknown as ClustersService;
  return { service, calls };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('ClustersModel polling policy', () => {
  it('makes no requests while hidden and idle', async () => {
    const timers = new FakeTimers();
    const { service, calls } = fakeService(() => [{ cluster_id: 'a', state: 'RUNNING' }]);
    const model = new ClustersModel(async () => service, timers);
    model.setVisible(false);
    await timers.advance(60 * 60_000);
    assert.equal(calls.length, 0);
    assert.equal(timers.pending, 0);
  });

  it('polls while visible and idle at 30 s, backing off to 2 min, and stops when hidden', async () => {
    const timers = new FakeTimers();
    const { service, calls } = fakeService(() => [{ cluster_id: 'a', state: 'RUNNING' }]);
    const model = new ClustersModel(async () => service, timers);
    model.setVisible(true);
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(model.nextPollInMs, 30_000);
    await timers.advance(30_000);
    assert.equal(model.nextPollInMs, 60_000);
    await timers.advance(60_000);
    assert.equal(model.nextPollInMs, 120_000);
    await timers.advance(120_000);
    assert.equal(model.nextPollInMs, 120_000, 'the idle interval is capped at 2 min');
    const visibleCalls = calls.length;
    assert.equal(visibleCalls, 4);
    model.setVisible(false);
    await timers.advance(60 * 60_000);
    assert.equal(calls.length, visibleCalls, 'hidden: no more requests');
  });

  it('polls quickly with backoff during a transition the user started, even while hidden, then stops', async () => {
    const timers = new FakeTimers();
    let state: ClusterDetails['state'] = 'TERMINATED';
    const { service, calls } = fakeService(() => [{ cluster_id: 'a', state }]);
    const model = new ClustersModel(async () => service, timers);
    state = 'PENDING';
    await model.act('a', 'start');
    assert.deepEqual(calls.slice(0, 2), ['start a', 'list']);
    assert.equal(model.nextPollInMs, 1000);
    await timers.advance(1000);
    assert.equal(model.nextPollInMs, 1500);
    await timers.advance(1500);
    assert.equal(model.nextPollInMs, 2250);
    state = 'RUNNING';
    await timers.advance(2250);
    assert.equal(model.find('a')?.state, 'RUNNING');
    assert.equal(model.nextPollInMs, undefined, 'settled and hidden: polling stops');
    const n = calls.length;
    await timers.advance(60 * 60_000);
    assert.equal(calls.length, n);
  });

  it('caps the transition interval at 10 s', async () => {
    const timers = new FakeTimers();
    const { service } = fakeService(() => [{ cluster_id: 'a', state: 'PENDING' }]);
    const model = new ClustersModel(async () => service, timers);
    model.setVisible(true);
    await settle();
    for (let i = 0; i < 12; i++) await timers.advance(model.nextPollInMs ?? 0);
    assert.equal(model.nextPollInMs, 10_000);
  });

  it('stops polling after an error (no hammering with a bad token) until refreshed', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const service = {
      list: async () => {
        calls++;
        throw new Error('Invalid access token.');
      },
    } as unknown as ClustersService;
    const model = new ClustersModel(async () => service, timers);
    model.setVisible(true);
    await settle();
    assert.ok(model.error instanceof Error);
    await timers.advance(10 * 60_000);
    assert.equal(calls, 1);
  });

  it('shares one request between concurrent refreshes', async () => {
    const timers = new FakeTimers();
    const { service, calls } = fakeService(() => []);
    const model = new ClustersModel(async () => service, timers);
    await Promise.all([model.refresh(), model.refresh(), model.refresh()]);
    assert.equal(calls.length, 1);
  });
});
