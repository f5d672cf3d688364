import type { Request, Response } from "express";
import type { PullThrough } from "../../engine/pull-through.js";
import type { ServedCounter } from "../metrics.js";
import type { MissExplanation } from "../miss-explanation.js";
import type { AnswerCache, AnswerContent } from "./answer-cache.js";
import { sendAnswer } from "./send-answer.js";

/** What the protocol routes share: the answer cache, the served counter, pull-through and the miss hints. */
export interface ProtocolContext {
  readonly cache: AnswerCache;
  readonly countServed: ServedCounter;
  /** The pull-through service while it is switched on (the setting can change while serving). */
  readonly pullThrough: () => PullThrough | undefined;
  readonly misses: MissExplanation;
}

/** One request's view of the cache: the generation read before anything was looked up. */
export interface AnswerScope {
  /** Sends the answer, keeping it for the next identical request when it came from stored data only. */
  send(answer: AnswerContent): void;
}

/**
 * Opens a request's cache scope. Read the generation first, then the database: an answer is only stored if no
 * change landed in between. Answers that merged an upstream listing (pull-through) or that have a query string
 * are sent but not stored.
 */
export function answerScope(
  context: ProtocolContext,
  req: Request,
  res: Response,
  pullThrough: PullThrough | undefined,
): AnswerScope {
  const generation = context.cache.sync();
  const url = req.originalUrl;
  const storable = pullThrough === undefined && !url.includes("?");
  return {
    send: (answer) => {
      sendAnswer(req, res, context.cache.put(storable ? url : undefined, generation, answer));
    },
  };
}

/** A JSON document as the bytes a cached answer holds. */
export function jsonBody(document: unknown): Buffer {
  return Buffer.from(JSON.stringify(document));
}
