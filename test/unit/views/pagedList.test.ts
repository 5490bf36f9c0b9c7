// The shared tree kit's paging: one request per page however often "Load more…" is clicked, a
// refresh that drops pages still in flight, empty pages that carry a token, duplicates across
// pages, and a failed page that can be asked for again.
import assert from 'node:assert/strict';
import { Page, PagedList, pagedNodes } from '../../../src/views/shared/paged';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake service whose pages are answered by the test, one deferred per request. */
class ScriptedPages {
  readonly calls: Array<string | undefined> = [];
  readonly pending: Array<Deferred<Page<string>>> = [];
  fetch = (token: string | undefined): Promise<Page<string>> => {
    this.calls.push(token);
    const d = deferred<Page<string>>();
    this.pending.push(d);
    return d.promise;
  };
  answer(i: number, page: Page<string>): void {
    this.pending[i].resolve(page);
  }
}

const shape = {
  item: (s: string) => `item:${s}`,
  empty: () => 'empty',
  failure: (err: unknown) => [`failure:${(err as Error).message}`],
  more: () => 'more',
};

describe('PagedList (tree kit paging)', () => {
  it('fetches a page once when "Load more…" is clicked twice while it is in flight', async () => {
    const svc = new ScriptedPages();
    const list = new PagedList(svc.fetch);
    const first = list.ensureLoaded();
    svc.answer(0, { items: ['a', 'b'], nextToken: 't1' });
    await first;
    const click1 = list.loadMore();
    const click2 = list.loadMore();
    assert.equal(svc.calls.length, 2, 'the second click joins the request in flight');
    svc.answer(1, { items: ['c'] });
    await Promise.all([click1, click2]);
    assert.deepEqual(svc.calls, [undefined, 't1']);
    assert.deepEqual(list.items, ['a', 'b', 'c']);
    await list.loadMore();
    assert.equal(svc.calls.length, 2, 'nothing is fetched after the last page');
    assert.deepEqual(pagedNodes(list, shape), ['item:a', 'item:b', 'item:c']);
  });

  it('drops a page that lands after a refresh, and a click on a Load more… node from before the refresh does nothing', async () => {
    const svc = new ScriptedPages();
    const list = new PagedList(svc.fetch);
    const first = list.ensureLoaded();
    svc.answer(0, { items: ['old-1'], nextToken: 'old-t' });
    await first;
    const staleGeneration = list.generation;
    const stale = list.loadMore(); // page 2 of the old listing, still in flight…
    list.reset(); // …when the user refreshes
    const fresh = list.ensureLoaded();
    assert.equal(svc.calls.length, 3, 'the refresh lists again at once');
    svc.answer(2, { items: ['new-1'], nextToken: 'new-t' });
    await fresh;
    svc.answer(1, { items: ['old-2'], nextToken: 'old-t2' });
    await stale;
    assert.deepEqual(list.items, ['new-1'], 'the stale page is not mixed in');
    assert.equal(list.hasMore, true);
    await list.loadMore(staleGeneration);
    assert.equal(svc.calls.length, 3, 'the old node fetched nothing');
    const next = list.loadMore(list.generation);
    assert.deepEqual(svc.calls[3], 'new-t', 'a current node continues the new listing');
    svc.answer(3, { items: ['new-2'] });
    await next;
    assert.deepEqual(list.items, ['new-1', 'new-2']);
  });

  it('follows empty pages that still carry a token, and only a missing token ends the listing', async () => {
    let n = 0;
    const pages: Array<Page<string>> = [{ items: [], nextToken: 'e1' }, { items: [], nextToken: 'e2' }, { items: ['x'], nextToken: 'e3' }, { items: [] }];
    const list = new PagedList(async () => pages[n++]);
    await list.ensureLoaded();
    assert.deepEqual(list.items, ['x']);
    assert.equal(n, 3, 'two empty pages were followed in one load');
    assert.deepEqual(pagedNodes(list, shape), ['item:x', 'more']);
    await list.loadMore();
    assert.equal(list.hasMore, false);
    assert.deepEqual(pagedNodes(list, shape), ['item:x']);
  });

  it('stops following empty pages after the limit and offers Load more… instead of "empty"', async () => {
    let calls = 0;
    const list = new PagedList(async () => ({ items: [] as string[], nextToken: `t${++calls}` }), { followEmptyPages: 2 });
    await list.ensureLoaded();
    assert.equal(calls, 3);
    assert.deepEqual(pagedNodes(list, shape), ['more']);
  });

  it('drops items a shifted listing repeats on the next page', async () => {
    const pages: Array<Page<{ id: number }>> = [{ items: [{ id: 1 }, { id: 2 }], nextToken: 't' }, { items: [{ id: 2 }, { id: 3 }] }];
    let n = 0;
    const list = new PagedList(async () => pages[n++], { key: (j) => String(j.id) });
    await list.ensureLoaded();
    await list.loadMore();
    assert.deepEqual(
      list.items.map((j) => j.id),
      [1, 2, 3],
    );
  });

  it('keeps the items and the token when a later page fails, so Load more… asks for that page again', async () => {
    const svc = new ScriptedPages();
    const list = new PagedList(svc.fetch);
    const first = list.ensureLoaded();
    svc.answer(0, { items: ['a'], nextToken: 't1' });
    await first;
    const failing = list.loadMore();
    svc.pending[1].reject(new Error('throttled'));
    await failing;
    assert.deepEqual(pagedNodes(list, shape), ['item:a', 'failure:throttled', 'more']);
    const retry = list.loadMore();
    assert.equal(svc.calls[2], 't1', 'the same page is asked for again');
    svc.answer(2, { items: ['b'] });
    await retry;
    assert.deepEqual(pagedNodes(list, shape), ['item:a', 'item:b']);
  });

  it('shows only the failure when the first page fails, and an empty-state node for an empty listing', async () => {
    const failing = new PagedList<string>(async () => {
      throw new Error('denied');
    });
    await failing.ensureLoaded();
    assert.deepEqual(pagedNodes(failing, shape), ['failure:denied']);
    const empty = new PagedList<string>(async () => ({ items: [] }));
    await empty.ensureLoaded();
    assert.deepEqual(pagedNodes(empty, shape), ['empty']);
  });

  it('find() reads pages until the item shows up, and no further', async () => {
    const calls: Array<string | undefined> = [];
    const pages: Record<string, Page<string>> = {
      start: { items: ['a', 'b'], nextToken: 'p2' },
      p2: { items: ['c', 'd'], nextToken: 'p3' },
      p3: { items: ['e'] },
    };
    const list = new PagedList<string>(async (t) => {
      calls.push(t);
      return pages[t ?? 'start'];
    });
    assert.equal(await list.find((s) => s === 'd'), 'd');
    assert.deepEqual(calls, [undefined, 'p2']);
    assert.equal(await list.find((s) => s === 'zz'), undefined);
    assert.deepEqual(calls, [undefined, 'p2', 'p3']);
  });
});
