import { Archive } from "lucide-react";
import { NavLink, Outlet } from "react-router";
import { useConnection } from "../state/connection.js";
import { useStatus } from "../state/status.js";
import { ConnectionBanner } from "./connection-banner.js";
import { NAV } from "./routes.js";
import { ThemeToggle } from "./theme-toggle.js";

/** The frame of every page: navigation in a `nav` landmark, a top bar with status and theme, the page. */
export function Layout() {
  const status = useStatus((s) => s.status);
  const version = useConnection((s) => s.serverVersion) ?? status?.version;
  const activeJobs = status?.counts.activeJobs ?? 0;
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <Archive size={20} aria-hidden="true" /> Larder
        </div>
        <nav aria-label="Main">
          <ul className="nav-list">
            {NAV.map((entry) => (
              <li key={entry.path}>
                <NavLink to={entry.path} className="nav-link">
                  <entry.icon size={16} aria-hidden="true" />
                  {entry.label}
                  {entry.path === "/downloads" && activeJobs > 0 ? (
                    <span className="nav-count" aria-label={`${activeJobs} active`}>
                      {activeJobs}
                    </span>
                  ) : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {version ? `Larder ${version}` : null}
          {status ? (
            <div>{status.mode === "pull-through" ? "Pull-through on" : "Serving what is stored"}</div>
          ) : null}
        </div>
      </aside>
      <div className="topbar">
        <ConnectionBanner />
        <ThemeToggle />
      </div>
      <main className="main" id="main">
        <Outlet />
      </main>
    </div>
  );
}
