import { transparencyTile } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { readTile } from "@/lib/transparency/tiles";

// A full tile is immutable (tlog-tiles); a partial one is too, but is superseded by wider ones
// within an epoch, so readers re-ask for the newest width.
const FULL = "public, max-age=31536000, immutable";
const PARTIAL = "public, max-age=10";

export const GET = route(transparencyTile, async ({ params }) => {
  const tile = await readTile(`tile/${params.path.join("/")}`);
  return new Response(new Uint8Array(tile.bytes), { headers: { "Content-Type": "application/octet-stream", "Cache-Control": tile.full ? FULL : PARTIAL } });
});
