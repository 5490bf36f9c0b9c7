// The local stand-ins the editor tests run against. Each service area adds its stand-in here.
export interface StandIns {
  /** User settings that point Ferry at the stand-ins. */
  settings: Record<string, unknown>;
  /** Environment for the editor (credential files written for the test run, never the user's). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStandIns(_root: string): Promise<StandIns> {
  return { settings: {}, env: {}, stop: async () => undefined };
}
