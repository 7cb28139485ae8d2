// One HTTP request written to a socket exactly as given, for what fetch cannot send or cannot do:
// raw request lines, a reader that pauses or trickles. The request should say `Connection: close`;
// the answer is read until the server closes, its body de-chunked.
import { connect } from "node:net";

export type RawAnswer = { status: number; head: string; body: Buffer };

export type RawReading = {
  /** Stop reading after the first chunk for this long (a slow reader whose kernel buffers fill). */
  pauseMs?: number;
  /** Wait this long between chunks. */
  chunkDelayMs?: number;
};

export function sendRawRequest(port: number, request: string, reading: RawReading = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let paused = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no whole answer within 20 s (${Buffer.concat(chunks).length} bytes received) to ${request.split("\r\n", 1)[0]}`));
    }, 20_000);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const waitMs = !paused && reading.pauseMs ? reading.pauseMs : reading.chunkDelayMs;
      paused = true;
      if (!waitMs) return;
      socket.pause();
      setTimeout(() => socket.resume(), waitMs);
    });
    socket.on("error", () => undefined); // a reset after the answer is read as its end
    socket.on("close", () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf("\r\n\r\n");
      const head = (split < 0 ? raw : raw.subarray(0, split)).toString("latin1");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? Buffer.alloc(0) : dechunk(head, raw.subarray(split + 4)) });
    });
    socket.write(request, "latin1");
  });
}

function dechunk(head: string, body: Buffer): Buffer {
  if (!/transfer-encoding:\s*chunked/i.test(head)) return body;
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", offset);
    const size = parseInt(body.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}
