/** The few reads the benchmark makes outside the measured window (setup and checks). */
export interface ApiReader {
  get<T>(path: string): Promise<T>;
  /** How many nodes of the workflow are in this state (`GET /nodes?state=…&limit=1`'s total). */
  countInState(workflowId: string, state: string): Promise<number>;
}

export interface NodePage {
  readonly nodes: readonly { readonly id: string; readonly state: { readonly kind: string } }[];
  readonly next: string | null;
  readonly total: number;
}

export interface CountsAnswer {
  readonly counts: Readonly<Record<'activable' | 'in-progress' | 'successful' | 'failed', number>>;
  readonly total: number;
}

export function apiReader(baseUrl: string, token: string): ApiReader {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(baseUrl + path, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`GET ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    get,
    countInState: async (workflowId, state) =>
      (
        await get<NodePage>(
          `/api/v1/nodes?${new URLSearchParams({ workflow: workflowId, state, limit: '1' }).toString()}`,
        )
      ).total,
  };
}
