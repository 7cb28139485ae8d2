/**
 * Key uploads take turns within a server process. A full upload is bulk work (102 signatures,
 * 200 KB of key rows): four at once kept both cores of a small server busy and the cheap routes
 * beside them waited (npm run bench, goal 4). One at a time, an upload waits for the one before
 * it, and every other request still finds a core. Uploads are rare (a new device, a refill) and
 * limited per device and account, so the queue stays short.
 */
let last: Promise<unknown> = Promise.resolve();

export function inUploadTurn<T>(upload: () => Promise<T>): Promise<T> {
  const turn = last.then(upload, upload);
  last = turn.catch(() => undefined);
  return turn;
}
