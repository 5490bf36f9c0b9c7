// In-memory stand-ins for the editor's SecretStorage and globalState, for ConnectionManager tests.
import { SecretStore, StateStore } from '../../../src/databricks/connection';

export function memoryStores(): { secrets: SecretStore & { data: Map<string, string> }; state: StateStore & { data: Map<string, unknown> } } {
  const s = new Map<string, string>();
  const g = new Map<string, unknown>();
  return {
    secrets: { data: s, get: async (k) => s.get(k), store: async (k, v) => void s.set(k, v), delete: async (k) => void s.delete(k) },
    state: { data: g, get: <T>(k: string) => g.get(k) as T | undefined, update: async (k, v) => void g.set(k, v) },
  };
}
