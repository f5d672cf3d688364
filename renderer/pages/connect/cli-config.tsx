import * as Tabs from "@radix-ui/react-tabs";
import type { ConnectInfo } from "../../../shared/api/connect.js";
import { CopyButton } from "../../components/copy-button.js";

type Tool = ConnectInfo["configs"][number]["tool"];
type Mode = ConnectInfo["configs"][number]["mode"];

const TOOL_NAMES: Record<Tool, string> = { terraform: "Terraform", tofu: "OpenTofu" };
const MODE_NAMES: Record<Mode, string> = { host: "Host mode", "network-mirror": "Network mirror" };
const MODE_NOTES: Record<Mode, string> = {
  host: "Larder answers for each registry host over plain HTTP. Source addresses and lock files stay exactly as they are; nothing to trust.",
  "network-mirror":
    "Providers install through Larder's HTTPS network mirror. Needs Larder's CA trusted (below); modules still come from their registries.",
};

/** Where each tool reads its CLI configuration, per OS (TF_CLI_CONFIG_FILE works for both and wins). */
function placesFor(tool: Tool): readonly { readonly os: string; readonly where: string }[] {
  const unix = tool === "tofu" ? "~/.tofurc" : "~/.terraformrc";
  const windows = tool === "tofu" ? "%APPDATA%\\tofu.rc" : "%APPDATA%\\terraform.rc";
  return [
    { os: "Linux and macOS", where: unix },
    { os: "Windows", where: windows },
    { os: "Any OS, any file", where: "TF_CLI_CONFIG_FILE=/path/to/the/file" },
  ];
}

function ConfigPanel(props: { readonly tool: Tool; readonly mode: Mode; readonly text: string }) {
  const { tool, mode, text } = props;
  const titleId = `config-${tool}-${mode}`;
  return (
    <div className="stack">
      <p className="muted small">{MODE_NOTES[mode]}</p>
      <div className="code-head">
        <h3 id={titleId}>
          {TOOL_NAMES[tool]} CLI configuration ({MODE_NAMES[mode].toLowerCase()})
        </h3>
        <CopyButton
          text={text}
          label={`Copy the ${TOOL_NAMES[tool]} ${MODE_NAMES[mode].toLowerCase()} configuration`}
        />
      </div>
      <pre className="code-block" aria-labelledby={titleId} tabIndex={0}>
        {text}
      </pre>
      <h3>Where to put it</h3>
      <dl className="facts small">
        {placesFor(tool).map((place) => (
          <div key={place.os} style={{ display: "contents" }}>
            <dt className="muted">{place.os}</dt>
            <dd className="mono">{place.where}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The generated CLI configs: one tab per tool, inside it one per mode (network mirror only with HTTPS on). */
export function CliConfigs(props: { readonly info: ConnectInfo }) {
  const tools = [...new Set(props.info.configs.map((config) => config.tool))];
  return (
    <section className="card" aria-labelledby="configs-title">
      <h2 id="configs-title" className="section-title">
        Point terraform or tofu at Larder
      </h2>
      <Tabs.Root defaultValue="tofu">
        <Tabs.List className="tabs-list" aria-label="Tool">
          {tools.map((tool) => (
            <Tabs.Trigger key={tool} value={tool} className="tabs-trigger">
              {TOOL_NAMES[tool]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {tools.map((tool) => {
          const configs = props.info.configs.filter((config) => config.tool === tool);
          return (
            <Tabs.Content key={tool} value={tool}>
              <Tabs.Root defaultValue="host">
                <Tabs.List className="tabs-list" aria-label={`${TOOL_NAMES[tool]} mode`}>
                  {configs.map((config) => (
                    <Tabs.Trigger key={config.mode} value={config.mode} className="tabs-trigger">
                      {MODE_NAMES[config.mode]}
                    </Tabs.Trigger>
                  ))}
                </Tabs.List>
                {configs.map((config) => (
                  <Tabs.Content key={config.mode} value={config.mode}>
                    <ConfigPanel tool={tool} mode={config.mode} text={config.text} />
                  </Tabs.Content>
                ))}
              </Tabs.Root>
            </Tabs.Content>
          );
        })}
      </Tabs.Root>
    </section>
  );
}
