import type { Command } from "commander";
import { auditCli, openLarderFor, type CommonOptions } from "../cli-context.js";
import { table } from "../table.js";

/** `larder config [get KEY | set KEY VALUE | unset KEY]`: the mirror's persistent settings, kept in its database. */
export function registerConfig(program: Command): void {
  const config = program
    .command("config")
    .description("Show or change the mirror's settings (kept in its data dir)")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: CommonOptions) => {
      const larder = await openLarderFor(options);
      try {
        const { MirrorSettings, SETTING_KEYS } = await import("../../engine/mirror-settings.js");
        const rows = SETTING_KEYS.map((key) => [
          key,
          larder.settings.describe(key),
          larder.settings.isSet(key) ? "set" : "default",
          MirrorSettings.describeKey(key),
        ]);
        process.stdout.write(table(["SETTING", "VALUE", "FROM", "MEANING"], rows));
      } finally {
        larder.close();
      }
    });
  config
    .command("get")
    .description("Print one setting's value in effect")
    .argument("<key>", "setting name, e.g. clients")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (key: string, options: CommonOptions) => {
      const larder = await openLarderFor(options);
      try {
        const { settingKeyOf } = await import("../../engine/mirror-settings.js");
        process.stdout.write(`${larder.settings.describe(settingKeyOf(key))}\n`);
      } finally {
        larder.close();
      }
    });
  config
    .command("set")
    .description("Change a setting, e.g. larder config set clients tofu")
    .argument("<key>", "setting name, e.g. clients")
    .argument(
      "<value>",
      "new value: true/false, a number, or for clients a comma-separated list of terraform and tofu",
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (key: string, value: string, options: CommonOptions) => {
      const larder = await openLarderFor(options);
      try {
        const { settingKeyOf } = await import("../../engine/mirror-settings.js");
        const name = settingKeyOf(key);
        const stored = await auditCli(
          larder,
          "config.set",
          name,
          () => larder.settings.setFromText(key, value),
          (text) => `${name} = ${text}`,
        );
        process.stdout.write(`${name} = ${stored}\n`);
      } finally {
        larder.close();
      }
    });
  config
    .command("unset")
    .description("Return a setting to its default")
    .argument("<key>", "setting name, e.g. clients")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (key: string, options: CommonOptions) => {
      const larder = await openLarderFor(options);
      try {
        const { settingKeyOf } = await import("../../engine/mirror-settings.js");
        const name = await auditCli(
          larder,
          "config.unset",
          key.trim().toLowerCase(),
          () => {
            larder.settings.unset(key);
            return settingKeyOf(key);
          },
          (unset) => `${unset} = ${larder.settings.describe(unset)} (default)`,
        );
        process.stdout.write(`${name} = ${larder.settings.describe(name)} (default)\n`);
      } finally {
        larder.close();
      }
    });
}
