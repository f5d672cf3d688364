import { z } from "zod";
import { LarderError } from "../core/errors.js";
import { parseClients, REGISTRY_CLIENTS, type RegistryClient } from "../core/clients.js";
import type { SettingsRepository } from "../db/settings-repository.js";

/** What `larder config` (and the admin API's settings) can read and change, with their defaults. */
export interface MirrorSettingValues {
  /** The clients the mirror serves; a host-less address is mirrored for the default host of each. */
  readonly clients: readonly RegistryClient[];
  /** `larder serve` without --pull-through/--offline fetches misses from upstream. */
  readonly pullThrough: boolean;
  /** How long pull-through caches upstream version lists, in seconds. */
  readonly pullThroughTtlSeconds: number;
  /** Refuse keyless providers even from registry.opentofu.org (as --require-signatures). */
  readonly requireSignatures: boolean;
  /** Job item transfers at once, in all (as --concurrency). */
  readonly concurrency: number;
  /** Job item transfers at once from one upstream host (as --per-host). */
  readonly perHostConcurrency: number;
  /** Hours after which the catalog is stale and refreshed in the background; 0: never in the background. */
  readonly catalogRefreshHours: number;
}

export type SettingKey = keyof MirrorSettingValues;

/** One setting's name, default, how to read it from text and how to print it. */
interface SettingSpec<V> {
  readonly description: string;
  readonly fallback: V;
  readonly schema: z.ZodType<V>;
  /** Text to a JSON value, which the schema then checks. */
  readonly parse: (text: string) => unknown;
  readonly format: (value: V) => string;
}

/** `true`/`false` (also yes/no, on/off, 1/0) as a person types them; anything else is handed to zod to refuse. */
function parseBoolean(text: string): unknown {
  const word = text.trim().toLowerCase();
  if (["true", "yes", "on", "1"].includes(word)) return true;
  if (["false", "no", "off", "0"].includes(word)) return false;
  return text;
}

/** A decimal number as typed; anything else is handed to zod to refuse. */
function parseNumber(text: string): unknown {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}

const booleanSpec = (description: string): SettingSpec<boolean> => ({
  description,
  fallback: false,
  schema: z.boolean({ error: "expected true or false" }),
  parse: parseBoolean,
  format: String,
});

const integerSpec = (
  description: string,
  fallback: number,
  min: number,
  max: number,
): SettingSpec<number> => {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
  const message = `expected a whole number ${range}`;
  return {
    description,
    fallback,
    schema: z.number({ error: message }).int(message).min(min, message).max(max, message),
    parse: parseNumber,
    format: String,
  };
};

const specs: { readonly [K in SettingKey]: SettingSpec<MirrorSettingValues[K]> } = {
  clients: {
    description: `clients the mirror serves (${REGISTRY_CLIENTS.join(", ")}); host-less addresses are mirrored for each one's default registry`,
    fallback: REGISTRY_CLIENTS,
    schema: z.array(z.enum(["terraform", "tofu"])).min(1),
    parse: (text) => {
      const values = text
        .split(",")
        .map((value) => value.trim())
        .filter((value) => value !== "");
      if (values.length === 0)
        throw new LarderError(
          "invalid_input",
          `clients needs at least one of ${REGISTRY_CLIENTS.join(", ")}.`,
        );
      return parseClients(values, "the clients setting");
    },
    format: (value) => value.join(","),
  },
  pullThrough: booleanSpec(
    "larder serve fetches what it lacks from upstream (when neither --pull-through nor --offline is given)",
  ),
  pullThroughTtlSeconds: integerSpec(
    "seconds pull-through caches upstream version lists (when --cache-ttl is not given)",
    300,
    0,
    Number.MAX_SAFE_INTEGER,
  ),
  requireSignatures: booleanSpec(
    "refuse keyless providers even from registry.opentofu.org (or --require-signatures)",
  ),
  concurrency: integerSpec("job downloads at once, in all (--concurrency wins)", 4, 1, 64),
  perHostConcurrency: integerSpec("job downloads at once from one upstream host (--per-host wins)", 2, 1, 16),
  catalogRefreshHours: integerSpec(
    "hours after which the search catalog is refreshed in the background (0: only by larder catalog refresh)",
    24,
    0,
    720,
  ),
};

/** Every setting key, for listings and error messages. */
export const SETTING_KEYS = Object.keys(specs) as SettingKey[];

/** Told which keys changed after every write, so the engine can apply them and publish an event. */
export type SettingsListener = (keys: readonly SettingKey[]) => void;

/** Typed access to the persistent settings, each validated when read and when written. */
export class MirrorSettings {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly onChange: SettingsListener = () => undefined,
  ) {}

  /** The value in effect: the stored one, or the default. */
  get<K extends SettingKey>(key: K): MirrorSettingValues[K] {
    const spec: SettingSpec<MirrorSettingValues[K]> = specs[key];
    const stored = this.repository.get(key);
    if (stored === undefined) return spec.fallback;
    const parsed = spec.schema.safeParse(stored);
    // A hand-edited or older row must not mislead: refuse it with how to repair it.
    if (!parsed.success) {
      throw new LarderError(
        "storage_failed",
        `The stored setting ${key} is not valid; set it again with: larder config set ${key} VALUE`,
      );
    }
    return parsed.data;
  }

  /** Every setting's value in effect, JSON-shaped (the admin API's GET). */
  values(): MirrorSettingValues {
    return {
      clients: this.get("clients"),
      pullThrough: this.get("pullThrough"),
      pullThroughTtlSeconds: this.get("pullThroughTtlSeconds"),
      requireSignatures: this.get("requireSignatures"),
      concurrency: this.get("concurrency"),
      perHostConcurrency: this.get("perHostConcurrency"),
      catalogRefreshHours: this.get("catalogRefreshHours"),
    };
  }

  /** Whether the value in effect was set by someone (false: the default). */
  isSet(key: SettingKey): boolean {
    return this.repository.get(key) !== undefined;
  }

  /**
   * Sets several settings from JSON values (the admin API's PUT): every key and value is checked first, so a bad
   * one changes nothing. Returns the keys written.
   */
  update(patch: Readonly<Record<string, unknown>>): SettingKey[] {
    const checked = Object.entries(patch).map(([key, value]) => {
      const settingKey = settingKeyOf(key);
      return [settingKey, validate(settingKey, value)] as const;
    });
    for (const [key, value] of checked) this.repository.set(key, value);
    const keys = checked.map(([key]) => key);
    if (keys.length > 0) this.onChange(keys);
    return keys;
  }

  /** Sets one setting from a JSON value, validated. */
  set<K extends SettingKey>(key: K, value: MirrorSettingValues[K]): void {
    this.update({ [key]: value });
  }

  /** Sets a setting from its text form (`larder config set clients tofu`); returns the value stored. */
  setFromText(key: string, text: string): string {
    const settingKey = settingKeyOf(key);
    this.update({ [settingKey]: specs[settingKey].parse(text) });
    return this.describe(settingKey);
  }

  /** Forgets a setting so its default applies again. */
  unset(key: string): void {
    const settingKey = settingKeyOf(key);
    this.repository.delete(settingKey);
    this.onChange([settingKey]);
  }

  /** A setting's value in effect, as text. */
  describe(key: SettingKey): string {
    return formatValue(key, this.get(key));
  }

  /** What a setting is for, for `larder config`. */
  static describeKey(key: SettingKey): string {
    return specs[key].description;
  }
}

/** A value as text, as its key prints it. */
function formatValue<K extends SettingKey>(key: K, value: MirrorSettingValues[K]): string {
  const spec: SettingSpec<MirrorSettingValues[K]> = specs[key];
  return spec.format(value);
}

/** A value checked against its key's schema, or an invalid_input error naming the key and what it takes. */
function validate<K extends SettingKey>(key: K, value: unknown): MirrorSettingValues[K] {
  const spec: SettingSpec<MirrorSettingValues[K]> = specs[key];
  const parsed = spec.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues[0]?.message ?? "not a valid value";
  throw new LarderError("invalid_input", `Invalid value ${JSON.stringify(value)} for ${key}: ${reason}.`);
}

/** A key as typed by a person, checked against the known ones (case-insensitive, so `pullthrough` works too). */
export function settingKeyOf(key: string): SettingKey {
  const wanted = key.trim().toLowerCase();
  const known = SETTING_KEYS.find((candidate) => candidate.toLowerCase() === wanted);
  if (!known) {
    throw new LarderError(
      "invalid_input",
      `Unknown setting "${key}": the settings are ${SETTING_KEYS.join(", ")}. List them with: larder config`,
    );
  }
  return known;
}
