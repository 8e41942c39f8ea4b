// The Claimtrack API as a typed fetch client: `paths` is generated from openapi/openapi.json
// (`npm run generate`); `tsc --noEmit` (`npm run check`) checks this file against it, so an
// operation whose types a script relies on cannot change shape unnoticed.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema";

export type Claim = components["schemas"]["ClaimPublic"];
export type Problem = components["schemas"]["Problem"];

export function claimtrack(baseUrl: string, key: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });
}

// The calls the Python smoke test makes (tests/clients/), written against the types.
export async function firstPage(api: ReturnType<typeof claimtrack>): Promise<Claim[]> {
  const { data, error } = await api.GET("/api/v1/claims", { params: { query: { limit: 2 } } });
  if (error) throw new Error(`${error.status} ${error.code}: ${error.detail ?? error.title}`);
  return data.items;
}

export async function resolveFlag(
  api: ReturnType<typeof claimtrack>,
  flagId: number,
): Promise<string | undefined> {
  const read = await api.GET("/api/v1/flags/{flag_id}", { params: { path: { flag_id: flagId } } });
  const etag = read.response.headers.get("ETag");
  if (read.error || etag === null) throw new Error("no flag to resolve");
  const { data, error } = await api.POST("/api/v1/flags/{flag_id}/resolve", {
    params: { path: { flag_id: flagId }, header: { "If-Match": etag } },
    body: { resolution: "dismissed", reason: "two measures of different things" },
  });
  if (error) throw new Error(`${error.status} ${error.code}`);
  return data.status;
}
