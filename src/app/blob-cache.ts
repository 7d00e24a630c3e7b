import { LRUCache } from "lru-cache";

/**
 * Blobs are immutable, so a blob read once never needs reading again (a
 * re-run, the next push that leaves a file alone). Bounded by total bytes;
 * keyed by repository and SHA so one installation's reads never answer another's.
 */
export interface CachedBlob {
  bytes: Uint8Array;
  /** The read stopped at this many bytes (the file was over the size limit). */
  cutAt?: number;
}

export class BlobCache {
  private readonly lru: LRUCache<string, CachedBlob>;

  constructor(maxBytes = 64 * 1024 * 1024) {
    this.lru = new LRUCache<string, CachedBlob>({
      maxSize: maxBytes,
      sizeCalculation: (b) => Math.max(1, b.bytes.byteLength),
    });
  }

  /** The cached blob, when it holds at least what a read bounded by `limit` would have returned. */
  get(key: string, limit: number): Uint8Array | undefined {
    const hit = this.lru.get(key);
    if (!hit) return undefined;
    if (hit.cutAt !== undefined && hit.cutAt < limit + 1) return undefined;
    return hit.bytes.byteLength > limit + 1 ? hit.bytes.subarray(0, limit + 1) : hit.bytes;
  }

  set(key: string, bytes: Uint8Array, limit: number): void {
    const cut = bytes.byteLength > limit;
    this.lru.set(key, cut ? { bytes, cutAt: bytes.byteLength } : { bytes });
  }

  get size(): number {
    return this.lru.calculatedSize;
  }
}

export function blobKey(owner: string, repo: string, sha: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${sha}`;
}
