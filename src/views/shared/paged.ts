// Paged children for every tree: one list of items that grows a page at a time with continuation
// tokens. A page in flight is shared (a double click on "Load more…" never fetches twice), and a
// reset starts a new generation, so a page that lands after a refresh is dropped instead of being
// mixed into the new listing. No editor API here: the tree nodes render what this holds.

export interface Page<T> {
  items: readonly T[];
  /** The token for the next page; absent on the last page. */
  nextToken?: string;
}

export type FetchPage<T> = (token: string | undefined) => Promise<Page<T>>;

/** A fetcher of nodes from a fetcher of items: trees keep node objects (and what they loaded) across redraws. */
export function mapPages<T, N>(fetch: FetchPage<T>, toNode: (item: T) => N): FetchPage<N> {
  return async (token) => {
    const page = await fetch(token);
    return { items: page.items.map(toNode), nextToken: page.nextToken };
  };
}

export interface PagedListOptions<T> {
  /** Items whose key is already loaded are dropped (a listing that shifted between two pages). */
  key?: (item: T) => string;
  /**
   * Some services answer a page with no items and a token (Unity Catalog filters by privilege
   * after paging); up to this many such pages in a row are followed at once, so the user does not
   * face an empty list that says "Load more…". Default 5.
   */
  followEmptyPages?: number;
}

export class PagedList<T> {
  private loadedItems: T[] = [];
  private keys = new Set<string>();
  private token: string | undefined;
  private failure: unknown;
  private hasFailed = false;
  private everLoaded = false;
  private inFlight: Promise<void> | undefined;
  private gen = 0;

  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly options: PagedListOptions<T> = {},
  ) {}

  get items(): readonly T[] {
    return this.loadedItems;
  }

  /** True when the service said there is more (a token), so the view offers "Load more…". */
  get hasMore(): boolean {
    return this.token !== undefined;
  }

  /** The failure of the last page request, if it failed. */
  get error(): unknown {
    return this.failure;
  }

  get failed(): boolean {
    return this.hasFailed;
  }

  /** True once the first page was asked for and answered (or failed). */
  get loaded(): boolean {
    return this.everLoaded;
  }

  get loading(): boolean {
    return this.inFlight !== undefined;
  }

  /** Changes on every reset; a "Load more…" node made before a reset does nothing after it. */
  get generation(): number {
    return this.gen;
  }

  /** Loads the first page unless it is loaded or loading. */
  ensureLoaded(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.everLoaded) return Promise.resolve();
    return this.fetchNext();
  }

  /**
   * Loads the next page. A call while a page is in flight joins that request; a call after the last
   * page, or from a node of an older generation, does nothing.
   */
  loadMore(generation = this.gen): Promise<void> {
    if (generation !== this.gen) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    if (this.everLoaded && this.token === undefined && !this.hasFailed) return Promise.resolve();
    return this.fetchNext();
  }

  /** Loads pages until `match` finds an item or the listing ends (or `maxPages` more were read). */
  async find(match: (item: T) => boolean, maxPages = Number.POSITIVE_INFINITY): Promise<T | undefined> {
    await this.ensureLoaded();
    for (let pages = 0; ; pages++) {
      const hit = this.loadedItems.find(match);
      if (hit !== undefined || !this.hasMore || this.hasFailed || pages >= maxPages) return hit;
      await this.loadMore();
    }
  }

  /** Adds an item the listing does not show (a bucket reached by name), unless it is there already. */
  add(item: T): void {
    const key = this.options.key?.(item);
    if (key !== undefined) {
      if (this.keys.has(key)) return;
      this.keys.add(key);
    }
    this.loadedItems.push(item);
  }

  /** Forgets every page; a page still in flight is dropped when it lands. */
  reset(): void {
    this.gen++;
    this.loadedItems = [];
    this.keys = new Set();
    this.token = undefined;
    this.failure = undefined;
    this.hasFailed = false;
    this.everLoaded = false;
    this.inFlight = undefined;
  }

  private fetchNext(): Promise<void> {
    const generation = this.gen;
    const follow = this.options.followEmptyPages ?? 5;
    const run = (async () => {
      try {
        let token = this.token;
        for (let empty = 0; ; empty++) {
          const page = await this.fetchPage(token);
          if (generation !== this.gen) return;
          for (const item of page.items) this.add(item);
          token = page.nextToken || undefined;
          this.token = token;
          if (page.items.length > 0 || token === undefined || empty >= follow) break;
        }
        this.failure = undefined;
        this.hasFailed = false;
      } catch (err) {
        if (generation !== this.gen) return;
        // The token stays: "Load more…" asks for the same page again.
        this.failure = err;
        this.hasFailed = true;
      } finally {
        if (generation === this.gen) {
          this.everLoaded = true;
          this.inFlight = undefined;
        }
      }
    })();
    this.inFlight = run;
    return run;
  }
}

/** How a tree turns a paged list into its children. */
export interface PagedShape<T, N> {
  item(item: T): N;
  /** The node for an empty listing ("No objects"). */
  empty(): N;
  /** The nodes for a failure (the message and a way forward). */
  failure(err: unknown): N[];
  /** The "Load more…" node. */
  more(): N;
}

/** Items so far, then a failure or an empty-state node, then "Load more…" while there is more. */
export function pagedNodes<T, N>(list: PagedList<T>, shape: PagedShape<T, N>): N[] {
  const out = list.items.map((i) => shape.item(i));
  if (list.failed) out.push(...shape.failure(list.error));
  else if (out.length === 0 && !list.hasMore) out.push(shape.empty());
  if (list.hasMore) out.push(shape.more());
  return out;
}
