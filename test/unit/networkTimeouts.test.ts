// Storage that stops answering: calls time out with NoAnswer, downloads are timed by their progress.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { withTimeouts } from "../../src/core/networkTimeouts";
import type { BlobGateway } from "../../src/core/gateways";

const never = (signal?: AbortSignal) => new Promise<never>((_, reject) => signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));

function frozen(stream?: PassThrough): BlobGateway & { aborted: number } {
  const g = {
    accountName: "acct", aborted: 0,
    blobUrl: () => "http://127.0.0.1:9/acct/c/b",
    listFlat: (_c: string, _p: string, o: { signal?: AbortSignal }) => { o.signal?.addEventListener("abort", () => (g.aborted += 1)); return never(o.signal); },
    openStream: async () => ({ stream: stream ?? new PassThrough(), contentLength: 10 }),
  };
  return g as unknown as BlobGateway & { aborted: number };
}

describe("network timeouts", () => {
  it("a listing that never answers ends as NoAnswer naming the host, and the request is aborted", async () => {
    const inner = frozen();
    const gateway = withTimeouts(inner, () => 50);
    const started = Date.now();
    await assert.rejects(gateway.listFlat("c", "p", { pageSize: 10 }), (e: { code?: string; message?: string }) => e.code === "NoAnswer" && e.message === "No answer from 127.0.0.1:9 after 50 ms.");
    assert.ok(Date.now() - started < 1000);
    assert.equal(inner.aborted, 1);
  });

  it("the caller's cancel still cancels (not reported as NoAnswer)", async () => {
    const gateway = withTimeouts(frozen(), () => 10_000);
    const controller = new AbortController();
    const listing = gateway.listFlat("c", "p", { pageSize: 10, signal: controller.signal });
    controller.abort();
    await assert.rejects(listing, (e: { name?: string }) => e.name === "AbortError");
  });

  it("a download is timed by its progress: slow but moving finishes, stalled ends as NoAnswer", async () => {
    const moving = new PassThrough();
    const gateway = withTimeouts(frozen(moving), () => 80);
    const { stream } = await gateway.openStream("c", "b", 0);
    const received: Buffer[] = [];
    stream.on("data", (c: Buffer) => received.push(c));
    // Five chunks 50 ms apart: 250 ms in all, never 80 ms without a byte.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
      moving.write(Buffer.from(`chunk${i}`));
    }
    moving.end();
    await new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject));
    assert.equal(Buffer.concat(received).toString(), "chunk0chunk1chunk2chunk3chunk4");

    const stalled = new PassThrough();
    const second = await withTimeouts(frozen(stalled), () => 80).openStream("c", "b", 0);
    second.stream.resume();
    stalled.write(Buffer.from("first"));
    await assert.rejects(new Promise((resolve, reject) => second.stream.on("end", resolve).on("error", reject)), /No answer from 127\.0\.0\.1:9/);
  });
});
