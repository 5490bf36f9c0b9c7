// The variables of each live session, for the Session view. Every run lists them at its end (the
// session code writes the listing into the run's spool and into a per-session file on the driver),
// so they arrive with the run's output at no extra cost; Refresh reads the per-session file
// through the cluster's reader session, which works even while a run holds the session's own
// context. Listing never evaluates a DataFrame's rows: a Spark DataFrame shows its schema only.
import { ReaderPool } from './reader';
import { SessionKey } from './sessions';
import { SessionVariable, SpoolDecoder } from './spool';

export interface SessionListing {
  variables: SessionVariable[];
  /** When the listing was made (ms since the epoch), by the driver's clock when it came from a file. */
  at: number;
}

function keyOf(k: SessionKey): string {
  return `${k.clusterId}\u0000${k.folder}`;
}

export class SessionVariables {
  private readonly latest = new Map<string, SessionListing>();
  private readonly listeners = new Set<(key: SessionKey) => void>();

  constructor(
    private readonly readers: ReaderPool,
    private readonly sessionIdOf: (key: SessionKey) => string,
  ) {}

  onDidChange(listener: (key: SessionKey) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(key: SessionKey): SessionListing | undefined {
    return this.latest.get(keyOf(key));
  }

  record(key: SessionKey, variables: SessionVariable[], at = Date.now()): void {
    this.latest.set(keyOf(key), { variables, at });
    for (const l of this.listeners) l(key);
  }

  /** Forgets a session's listing (it was restarted or lost). */
  clear(key: SessionKey): void {
    if (this.latest.delete(keyOf(key))) for (const l of this.listeners) l(key);
  }

  /** Reads the session's latest listing from the driver through the reader session. */
  async refresh(key: SessionKey, budget: number, signal?: AbortSignal): Promise<SessionListing | undefined> {
    const file = `vars-${this.sessionIdOf(key)}`;
    const decoder = new SpoolDecoder();
    let hint = 0;
    let found: { vars: SessionVariable[]; at: number } | undefined;
    for (let i = 0; i < 200; i++) {
      const slice = await this.readers.read(key.clusterId, file, decoder.offset, budget, hint, signal);
      if (slice.header.size < 0) return undefined;
      if (slice.header.c > 0) hint = slice.header.n / slice.header.c;
      for (const rec of decoder.push(slice.header.o, slice.data))
        if (rec.t === 'vars') found = { vars: rec.vars, at: ((rec as { at?: number }).at ?? Date.now() / 1000) * 1000 };
      if (decoder.offset >= slice.header.size || !slice.data) break;
    }
    if (!found) return undefined;
    this.record(key, found.vars, found.at);
    return this.get(key);
  }
}
