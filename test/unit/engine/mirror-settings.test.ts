// Every setting key: text parsing as `larder config set` reads it, validation on write and on read, defaults.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { SettingsRepository } from "../../../main/db/settings-repository.js";
import { MirrorSettings, SETTING_KEYS, settingKeyOf } from "../../../main/engine/mirror-settings.js";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let temp: TempDir;
let db: Db;
let repository: SettingsRepository;
let changed: string[][];
let settings: MirrorSettings;

beforeEach(async () => {
  temp = await makeTempDir("settings");
  db = openDatabase(join(temp.path, "larder.db"));
  repository = new SettingsRepository(db);
  changed = [];
  settings = new MirrorSettings(repository, (keys) => changed.push([...keys]));
});

afterEach(async () => {
  db.close();
  await temp.remove();
});

/** Asserts the action throws a LarderError with this code and a message matching `message`. */
function expectLarderError(action: () => unknown, code: string, message: RegExp): void {
  const error = errorOf(action);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

describe("defaults", () => {
  it("are today's behaviour", () => {
    expect(settings.values()).toEqual({
      clients: ["terraform", "tofu"],
      pullThrough: false,
      pullThroughTtlSeconds: 300,
      requireSignatures: false,
      concurrency: 4,
      perHostConcurrency: 2,
      catalogRefreshHours: 24,
    });
    expect(SETTING_KEYS.every((key) => !settings.isSet(key))).toBe(true);
  });
});

describe("text parsing", () => {
  it.each([
    ["pullThrough", "true", "true"],
    ["pullThrough", "FALSE", "false"],
    ["pullThrough", "yes", "true"],
    ["pullThrough", "off", "false"],
    ["requireSignatures", "1", "true"],
    ["requireSignatures", "no", "false"],
    ["pullThroughTtlSeconds", "0", "0"],
    ["pullThroughTtlSeconds", " 3600 ", "3600"],
    ["concurrency", "1", "1"],
    ["concurrency", "64", "64"],
    ["perHostConcurrency", "16", "16"],
    ["catalogRefreshHours", "0", "0"],
    ["catalogRefreshHours", "720", "720"],
    ["clients", "tofu, terraform", "terraform,tofu"],
  ])("%s %j reads as %s", (key, text, shown) => {
    expect(settings.setFromText(key, text)).toBe(shown);
    expect(settings.describe(settingKeyOf(key))).toBe(shown);
    expect(changed).toEqual([[key]]);
  });

  it.each([
    ["pullThrough", "maybe", /pullThrough: expected true or false/],
    ["requireSignatures", "", /requireSignatures: expected true or false/],
    ["pullThroughTtlSeconds", "-1", /pullThroughTtlSeconds: expected a whole number 0 or more/],
    ["pullThroughTtlSeconds", "1.5", /pullThroughTtlSeconds: expected a whole number/],
    ["pullThroughTtlSeconds", "soon", /pullThroughTtlSeconds: expected a whole number/],
    ["concurrency", "0", /concurrency: expected a whole number from 1 to 64/],
    ["concurrency", "65", /concurrency: expected a whole number from 1 to 64/],
    ["perHostConcurrency", "17", /perHostConcurrency: expected a whole number from 1 to 16/],
    ["catalogRefreshHours", "721", /catalogRefreshHours: expected a whole number from 0 to 720/],
    ["clients", "foo", /"foo"/],
  ])("%s refuses %j as invalid input and keeps the old value", (key, text, reason) => {
    const before = settings.values();
    expectLarderError(() => settings.setFromText(key, text), "invalid_input", reason);
    expect(settings.values()).toEqual(before);
    expect(changed).toEqual([]);
  });

  it("accepts keys in any case and names the known ones for an unknown key", () => {
    expect(settings.setFromText("PULLTHROUGH", "true")).toBe("true");
    expect(settings.get("pullThrough")).toBe(true);
    expectLarderError(
      () => settings.setFromText("upstreams", "x"),
      "invalid_input",
      /Unknown setting "upstreams": the settings are clients, pullThrough, pullThroughTtlSeconds, requireSignatures, concurrency, perHostConcurrency, catalogRefreshHours/,
    );
  });
});

describe("JSON values (the admin API)", () => {
  it("update checks every key before writing any", () => {
    expectLarderError(
      () => settings.update({ concurrency: 8, perHostConcurrency: 99 }),
      "invalid_input",
      /perHostConcurrency/,
    );
    expect(settings.get("concurrency")).toBe(4);
    expect(settings.update({ concurrency: 8, pullThrough: true })).toEqual(["concurrency", "pullThrough"]);
    expect(settings.values()).toMatchObject({ concurrency: 8, pullThrough: true });
    expect(changed).toEqual([["concurrency", "pullThrough"]]);
  });

  it("refuses a string where a number or boolean belongs", () => {
    expectLarderError(() => settings.update({ concurrency: "8" }), "invalid_input", /concurrency/);
    expectLarderError(() => settings.update({ requireSignatures: "true" }), "invalid_input", /true or false/);
  });

  it("unset returns to the default and reports the change", () => {
    settings.set("requireSignatures", true);
    settings.unset("requireSignatures");
    expect(settings.get("requireSignatures")).toBe(false);
    expect(settings.isSet("requireSignatures")).toBe(false);
    expect(changed).toEqual([["requireSignatures"], ["requireSignatures"]]);
  });
});

describe("validation on read", () => {
  it.each([
    ["concurrency", 0],
    ["concurrency", "4"],
    ["perHostConcurrency", 2.5],
    ["pullThrough", "yes"],
    ["pullThroughTtlSeconds", -5],
  ])("a hand-edited %s of %j is refused with how to repair it", (key, value) => {
    repository.set(key, value);
    expectLarderError(
      () => settings.get(settingKeyOf(key)),
      "storage_failed",
      new RegExp(`larder config set ${key} VALUE`),
    );
  });
});
