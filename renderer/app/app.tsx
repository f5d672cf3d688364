import { useEffect } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { ActivityPage } from "../pages/activity/activity-page.js";
import { BrowsePage } from "../pages/browse/browse-page.js";
import { BundlesPage } from "../pages/bundles/bundles-page.js";
import { ConnectPage } from "../pages/connect/connect-page.js";
import { DownloadsPage } from "../pages/downloads/downloads-page.js";
import { MirrorPage } from "../pages/mirror/mirror-page.js";
import { ModulePage } from "../pages/module/module-page.js";
import { NotFoundPage } from "../pages/not-found-page.js";
import { ProjectPage } from "../pages/projects/project-page.js";
import { ProjectsPage } from "../pages/projects/projects-page.js";
import { ProviderPage } from "../pages/provider/provider-page.js";
import { SettingsPage } from "../pages/settings/settings-page.js";
import { useConnection } from "../state/connection.js";
import { useStatus } from "../state/status.js";
import { useEventConnection } from "./event-connection.js";
import { Layout } from "./layout.js";
import { SignedOut } from "./signed-out.js";

/** The router and the app-wide pieces: the event connection, status, and the signed-out state. */
export function App() {
  useEventConnection();
  const connection = useConnection((s) => s.state);
  useEffect(() => {
    void useStatus.getState().load();
  }, []);
  if (connection === "unauthorized") return <SignedOut />;
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/browse" replace />} />
          <Route path="browse" element={<BrowsePage />} />
          <Route path="providers/:host/:namespace/:type" element={<ProviderPage />} />
          <Route path="modules/:host/:namespace/:name/:system" element={<ModulePage />} />
          <Route path="projects" element={<ProjectsPage />} />
          <Route path="projects/:id" element={<ProjectPage />} />
          <Route path="downloads" element={<DownloadsPage />} />
          <Route path="mirror" element={<MirrorPage />} />
          <Route path="bundles" element={<BundlesPage />} />
          <Route path="connect" element={<ConnectPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="activity" element={<ActivityPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
