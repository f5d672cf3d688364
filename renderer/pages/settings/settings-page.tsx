import { useEffect } from "react";
import { Choice } from "../../components/choice.js";
import { PageHeader } from "../../components/page-header.js";
import { ErrorState, LoadingRows } from "../../components/states.js";
import { useSettings } from "../../state/settings.js";
import { useStatus } from "../../state/status.js";
import { useTheme, type ThemeChoice } from "../../state/theme.js";
import "../../styles/ops.css";
import { SettingsForm } from "./settings-form.js";
import { UpstreamsCard } from "./upstreams-card.js";

/** Where larder serve listens: set when it starts (--port, --https-port), so shown, not edited. */
function ListenersCard() {
  const status = useStatus((s) => s.status);
  return (
    <section className="card stack" aria-labelledby="ports-title">
      <h2 id="ports-title">Ports</h2>
      <dl className="facts">
        <dt className="muted">HTTP</dt>
        <dd className="mono">{status?.listeners.http ?? "…"}</dd>
        <dt className="muted">HTTPS</dt>
        <dd className="mono">{status === null ? "…" : (status.listeners.https ?? "off")}</dd>
      </dl>
      <p className="muted small">
        Set when larder serve starts (--port, --https-port); restart it to change them.
      </p>
    </section>
  );
}

function ThemeCard() {
  const choice = useTheme((s) => s.choice);
  const choose = useTheme((s) => s.choose);
  const pick = (value: ThemeChoice) => {
    choose(value);
  };
  return (
    <section className="card stack" aria-labelledby="theme-title">
      <h2 id="theme-title">Appearance</h2>
      <fieldset className="choices inline">
        <legend>Theme (this browser)</legend>
        <Choice name="theme" value="system" current={choice} onPick={pick} label="Follow the system" />
        <Choice name="theme" value="light" current={choice} onPick={pick} label="Light" />
        <Choice name="theme" value="dark" current={choice} onPick={pick} label="Dark" />
      </fieldset>
    </section>
  );
}

/** Settings: what `larder config` and `larder upstream` change, applied without a restart; ports and theme. */
export function SettingsPage() {
  const settings = useSettings((s) => s.settings);
  const error = useSettings((s) => s.error);
  const load = useSettings((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  let body;
  if (settings === null && error !== null)
    body = (
      <ErrorState
        title="Could not load the settings"
        message={error}
        onRetry={() => {
          void load();
        }}
      />
    );
  else if (settings === null) body = <LoadingRows label="Loading the settings" />;
  else
    body = (
      <>
        <SettingsForm settings={settings} />
        <UpstreamsCard settings={settings} />
      </>
    );
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        subtitle="How this mirror fetches, serves and checks; changes apply at once."
      />
      {body}
      <div className="grid-2">
        <ListenersCard />
        <ThemeCard />
      </div>
    </div>
  );
}
