// The editor's SecretStorage as several windows see it: one store, and every window's
// onDidChange fires for a change made by any of them (VS Code broadcasts secret changes).
import { SecretStore, StateStore } from '../../../src/databricks/connection';

export interface Window {
  secrets: SecretStore;
  state: StateStore;
}

export function sharedSecretStorage(): { data: Map<string, string>; window(): Window } {
  const data = new Map<string, string>();
  const state = new Map<string, unknown>();
  const listeners = new Set<(e: { key: string }) => void>();
  const fire = (key: string): void => {
    // Asynchronously, as the editor delivers it.
    setImmediate(() => {
      for (const l of [...listeners]) l({ key });
    });
  };
  return {
    data,
    window: () => ({
      secrets: {
        get: async (k) => data.get(k),
        store: async (k, v) => {
          data.set(k, v);
          fire(k);
        },
        delete: async (k) => {
          data.delete(k);
          fire(k);
        },
        onDidChange: (listener: (e: { key: string }) => void) => {
          listeners.add(listener);
          return { dispose: () => void listeners.delete(listener) };
        },
      },
      state: { get: <T>(k: string) => state.get(k) as T | undefined, update: async (k, v) => void state.set(k, v) },
    }),
  };
}
