import { z } from "zod";

/** One generated CLI configuration file. */
export const cliConfigSchema = z.object({
  tool: z.enum(["terraform", "tofu"]),
  mode: z.enum(["host", "network-mirror"]),
  text: z.string(),
});

/** `GET /api/connect`: everything a person needs to point terraform or tofu at this mirror. */
export const connectInfoSchema = z.object({
  httpUrl: z.string(),
  httpsUrl: z.string().nullable(),
  caCertPath: z.string().nullable(),
  trustBundlePath: z.string().nullable(),
  configs: z.array(cliConfigSchema),
  /** Per OS, each step as what it is for and the exact command, so a page can offer the command to copy. */
  trust: z.array(
    z.object({
      os: z.enum(["linux", "macos", "windows"]),
      steps: z.array(z.object({ note: z.string(), command: z.string() })),
    }),
  ),
});
export type ConnectInfo = z.infer<typeof connectInfoSchema>;

/** `POST /api/connect/test`: what the server could reach of itself, as a client would. */
export const connectTestSchema = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
});
export type ConnectTest = z.infer<typeof connectTestSchema>;
