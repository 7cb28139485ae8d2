import { z } from "./zod";

/**
 * An id sent by a client (a path segment, a body field), lowered to the one spelling PostgreSQL
 * stores. `::uuid` matches every letter case, so without this each spelling of one user's id
 * counted as a target of its own in the per-target limits (about 2^20 spellings per id).
 */
export const uuidInput = () => z.uuid().toLowerCase();
