import { ArcElement, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { Bar, Doughnut } from "react-chartjs-2";
import type { DiskUsage } from "../../../shared/api/inventory.js";
import { formatBytes } from "../../components/format.js";
import { useChartColors } from "./token-colors.js";

Chart.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
// Canvas text does not inherit CSS: the charts' labels take the UI's font from the tokens.
Chart.defaults.font.family = getComputedStyle(document.documentElement)
  .getPropertyValue("--font-sans")
  .trim();

/** The biggest few providers and modules get a slice each; the rest share one, so the doughnut stays readable. */
const SLICES = 7;

interface Share {
  readonly label: string;
  readonly bytes: number;
}

/** Storage by host (bar) and by provider or module (doughnut), with a table of the same numbers for screen readers. */
export function StorageChart(props: { readonly usage: DiskUsage }) {
  const colors = useChartColors();
  const hosts: Share[] = props.usage.hosts.map((host) => ({ label: host.host, bytes: host.bytes }));
  const items: Share[] = props.usage.hosts
    .flatMap((host) =>
      [...host.providers, ...host.modules].map((entry) => ({
        label: entry.address,
        bytes: entry.bytes,
      })),
    )
    .sort((a, b) => b.bytes - a.bytes);
  const top = items.slice(0, SLICES);
  const rest = items.slice(SLICES).reduce((sum, item) => sum + item.bytes, 0);
  const slices = rest > 0 ? [...top, { label: `${items.length - SLICES} others`, bytes: rest }] : top;
  const tick = { color: colors.muted };
  const tooltip = { callbacks: { label: (context: { raw: unknown }) => formatBytes(Number(context.raw)) } };
  return (
    <section className="card stack" aria-labelledby="storage-heading">
      <div className="row">
        <h2 id="storage-heading">Storage</h2>
        <span className="muted small">
          {formatBytes(props.usage.totalBytes)} stored with checksums, signatures and docs ·{" "}
          {formatBytes(props.usage.onDiskBytes)} on disk · {formatBytes(props.usage.unreferencedBytes)}{" "}
          unreferenced
        </span>
      </div>
      <div className="storage-charts">
        <figure className="storage-figure">
          <figcaption className="small muted">By host</figcaption>
          <div className="storage-canvas">
            <Bar
              role="img"
              aria-label={`Storage by host: ${hosts.map((h) => `${h.label} ${formatBytes(h.bytes)}`).join(", ")}`}
              data={{
                labels: hosts.map((h) => h.label),
                datasets: [
                  {
                    label: "Bytes",
                    data: hosts.map((h) => h.bytes),
                    backgroundColor: colors.series[0],
                    borderRadius: 4,
                  },
                ],
              }}
              options={{
                animation: false,
                maintainAspectRatio: false,
                indexAxis: "y",
                plugins: { legend: { display: false }, tooltip },
                scales: {
                  x: {
                    ticks: { ...tick, callback: (value) => formatBytes(Number(value)) },
                    grid: { color: colors.grid },
                  },
                  y: { ticks: tick, grid: { display: false } },
                },
              }}
            />
          </div>
        </figure>
        <figure className="storage-figure">
          <figcaption className="small muted">By provider and module</figcaption>
          <div className="storage-canvas">
            <Doughnut
              role="img"
              aria-label={`Storage by provider and module: ${slices.map((s) => `${s.label} ${formatBytes(s.bytes)}`).join(", ")}`}
              data={{
                labels: slices.map((s) => s.label),
                datasets: [
                  {
                    data: slices.map((s) => s.bytes),
                    backgroundColor: slices.map(
                      (_, index) => colors.series[index % colors.series.length] ?? colors.muted,
                    ),
                    borderColor: colors.surface,
                  },
                ],
              }}
              options={{
                animation: false,
                maintainAspectRatio: false,
                plugins: {
                  legend: { position: "right", labels: { color: colors.text, boxWidth: 12 } },
                  tooltip,
                },
              }}
            />
          </div>
        </figure>
      </div>
      <table className="visually-hidden">
        <caption>Storage by host and by provider or module</caption>
        <thead>
          <tr>
            <th scope="col">Stored under</th>
            <th scope="col">Size</th>
          </tr>
        </thead>
        <tbody>
          {[...hosts, ...items].map((share) => (
            <tr key={share.label}>
              <th scope="row">{share.label}</th>
              <td>{formatBytes(share.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
