import type { Entry, ZipFile } from "yauzl";

/**
 * The next central-directory entry of a yauzl zip opened with `lazyEntries`, or undefined at the end. yauzl
 * reports through events; this turns one step into a promise, mapping its errors with `toError` so each caller
 * words them for its own context.
 */
export function nextZipEntry(zip: ZipFile, toError: (error: Error) => Error): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(toError(error));
    };
    const cleanup = (): void => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}
