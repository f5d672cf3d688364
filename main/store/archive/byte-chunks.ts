/**
 * Narrows a stream's untyped chunks to bytes, failing loudly if a reader ever yields anything else.
 * It pulls with next() rather than for-await on purpose: a consumer that stops early (an entry refused mid-file)
 * must not destroy the source, because destroying a tar entry destroys the whole tar parser with no error, and
 * the caller would then report a vague "premature close" instead of the refusal.
 */
export async function* byteChunks(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
    if (!(next.value instanceof Uint8Array))
      throw new Error("the archive reader produced something other than bytes");
    yield next.value;
  }
}
