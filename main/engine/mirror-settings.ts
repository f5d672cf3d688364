import { z } from "zod";
import { LarderError } from "../core/errors.js";
import { parseClients, REGISTRY_CLIENTS, type RegistryClient } from "../core/clients.js";
import type { SettingsRepository } from "../db/settings-repository.js";

/** What `larder config` (and the admin API's settings) can read and change, with their defaults. */
export interface MirrorSettingValues {
  /** The clients the mirror serves; a host-less address is mirrored for the default host of each. */
  readonly clients: readonly RegistryClient[];
}

export type SettingKey = keyof MirrorSettingValues;

const clientsSchema = z.array(z.enum(["terraform", "tofu"])).min(1);

/** One setting's name, default, how to read it from text and how to print it. */
interface SettingSpec<K extends SettingKey> {
  readonly description: string;
  readonly fallback: MirrorSettingValues[K];
  readonly schema: z.ZodType<MirrorSettingValues[K]>;
  readonly parse: (text: string) => MirrorSettingValues[K];
  readonly format: (value: MirrorSettingValues[K]) => string;
}

const specs: { readonly [K in SettingKey]: SettingSpec<K> } = {
  clients: {
    description: `clients the mirror serves (${REGISTRY_CLIENTS.join(", ")}); host-less addresses are mirrored for each one's default registry`,
    fallback: REGISTRY_CLIENTS,
    schema: clientsSchema,
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
};

/** Every setting key, for listings and error messages. */
export const SETTING_KEYS = Object.keys(specs) as SettingKey[];

/** Typed access to the persistent settings, each validated when read so a hand-edited row cannot mislead. */
export class MirrorSettings {
  constructor(private readonly repository: SettingsRepository) {}

  /** The value in effect: the stored one, or the default. */
  get<K extends SettingKey>(key: K): MirrorSettingValues[K] {
    const spec: SettingSpec<K> = specs[key];
    const stored = this.repository.get(key);
    if (stored === undefined) return spec.fallback;
    const parsed = spec.schema.safeParse(stored);
    if (!parsed.success) {
      throw new LarderError(
        "storage_failed",
        `The stored setting ${key} is not valid; set it again with: larder config set ${key} VALUE`,
      );
    }
    return parsed.data;
  }

  /** Whether the value in effect was set by someone (false: the default). */
  isSet(key: SettingKey): boolean {
    return this.repository.get(key) !== undefined;
  }

  /** Sets a setting from its text form (`larder config set clients tofu`); returns the value stored. */
  setFromText(key: string, text: string): string {
    const settingKey = settingKeyOf(key);
    const spec = specs[settingKey];
    const value = spec.parse(text);
    this.repository.set(settingKey, value);
    return this.describe(settingKey);
  }

  /** Forgets a setting so its default applies again. */
  unset(key: string): void {
    this.repository.delete(settingKeyOf(key));
  }

  /** A setting's value in effect, as text. */
  describe(key: SettingKey): string {
    const spec: SettingSpec<typeof key> = specs[key];
    return spec.format(this.get(key));
  }

  /** What a setting is for, for `larder config`. */
  static describeKey(key: SettingKey): string {
    return specs[key].description;
  }
}

/** A key as typed by a person, checked against the known ones. */
export function settingKeyOf(key: string): SettingKey {
  const known = SETTING_KEYS.find((candidate) => candidate === key.trim().toLowerCase());
  if (!known) {
    throw new LarderError(
      "invalid_input",
      `Unknown setting "${key}": the settings are ${SETTING_KEYS.join(", ")}. List them with: larder config`,
    );
  }
  return known;
}
