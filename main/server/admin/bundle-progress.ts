import type { ApiEvent } from "../../../shared/api/index.js";
import { errorMessage } from "../../core/errors.js";
import type { AdminContext } from "./admin-context.js";

type Operation = Extract<ApiEvent, { type: "bundle" }>["operation"];

/** Publishes a bundle operation's start, progress (at most 5 per second), end or failure on the event stream. */
export function reporter(context: AdminContext, operation: Operation) {
  let total: number | null = null;
  let lastAt = 0;
  const publish = (
    phase: "started" | "progress" | "finished" | "failed",
    done: number,
    message: string | null,
  ): void => {
    context.events.publish({ type: "bundle", operation, phase, bytesDone: done, bytesTotal: total, message });
  };
  let done = 0;
  return {
    hooks: {
      onPlanned: (_plan: unknown, tarBytes: number) => {
        total = tarBytes;
        publish("progress", 0, null);
      },
      onProgress: (bytes: number) => {
        done = bytes;
        const now = Date.now();
        if (now - lastAt < 200) return;
        lastAt = now;
        publish("progress", bytes, null);
      },
    },
    async around<T>(work: () => Promise<T>): Promise<T> {
      publish("started", 0, null);
      try {
        const result = await work();
        publish("finished", total ?? done, null);
        return result;
      } catch (error) {
        publish("failed", done, errorMessage(error));
        throw error;
      }
    },
  };
}
