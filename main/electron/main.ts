// The desktop app's main process: the engine and server `larder serve` runs, a window on its UI, a tray that
// keeps serving when the window closes. Everything that decides something lives in the modules next to this one
// (tested in Node); this file only wires them to Electron.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  app,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  shell,
  Tray,
  type BrowserWindow,
} from "electron";
import { appMenuTemplate } from "./app-menu.js";
import { cliOnPathHelp } from "./cli-on-path.js";
import { desktopPorts, startDesktopServer, stopDesktopServer, type DesktopServer } from "./desktop-server.js";
import { createDesktopWindow, openMirrorPage } from "./desktop-window.js";
import { createIpcHandlers } from "./ipc-handlers.js";
import { JobNotifications } from "./job-notifications.js";
import { MirrorStatus } from "./mirror-status.js";
import { desktopLoginItem, nativeDesktopServices, notify, notifyUnlessFocused } from "./native-services.js";
import { trayMenuTemplate } from "./tray-menu.js";

type Connected = Exclude<DesktopServer, { kind: "conflict" }>;

const here = dirname(fileURLToPath(import.meta.url));
const STATUS_POLL_MS = 5000;
/** How long quitting waits for requests in flight and the engine to close before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

let window: BrowserWindow | null = null;
let connected: Connected | null = null;
let status: MirrorStatus | null = null;
let tray: Tray | null = null;
let quitting = false;
/** Set once the server is stopped (or there is none): the next quit goes through. */
let stopped = false;
let stopping: Promise<void> | null = null;
let toldAboutTray = false;
const loginItem = desktopLoginItem();

const dataDirOf = (server: Connected): string =>
  server.kind === "own" ? server.larder.dataDir : server.dataDir;
// Before a server is known nothing may match: not "null", which is the origin of data: and file: pages.
const origin = (): string => (connected ? new URL(connected.httpUrl).origin : "");
const log = (line: string): void => {
  console.log(line);
};

/** Starts or attaches to the server; on a port conflict asks whether to use free ports instead, or quit. */
async function connect(): Promise<Connected | null> {
  let ports = desktopPorts();
  for (;;) {
    const result = await startDesktopServer(ports, log);
    if (result.kind !== "conflict") return result;
    const { suggested } = result;
    const choice = await dialog.showMessageBox({
      type: "warning",
      title: "Larder",
      message: `Larder cannot serve on ports ${result.ports.http} and ${result.ports.https}`,
      detail:
        `${result.detail}.\n\nLarder can serve on ports ${suggested.http} and ${suggested.https} instead for ` +
        "this run. Terraform and tofu configured for the usual ports will not reach it until you set LARDER_PORT " +
        "or stop what holds the port.",
      buttons: [`Use ports ${suggested.http} and ${suggested.https}`, "Quit"],
      defaultId: 0,
      cancelId: 1,
    });
    if (choice.response !== 0) return null;
    ports = suggested;
  }
}

/**
 * Stops what this process runs: requests in flight finish and the engine closes. Bounded, so a request that never
 * ends cannot keep the app from quitting; the database is consistent either way (WAL, transactions).
 */
async function stopServer(): Promise<void> {
  const server = connected;
  if (!server) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      resolve("timeout");
    }, STOP_TIMEOUT_MS);
  });
  const result = await Promise.race([
    stopDesktopServer(server).then(() => "stopped" as const),
    timeout,
  ]).catch((error: unknown) => `failed: ${String(error)}`);
  clearTimeout(timer);
  log(result === "stopped" ? "Larder stopped." : `Larder quit without a clean stop (${result}).`);
}

function showWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function trayIcon(): Electron.NativeImage {
  const name = process.platform === "darwin" ? "trayTemplate.png" : "tray.png";
  const image = nativeImage.createFromPath(join(app.getAppPath(), "resources", "tray", name));
  if (process.platform === "darwin") image.setTemplateImage(true);
  return image;
}

function updateTray(): void {
  if (!tray || !connected) return;
  const serving =
    connected.kind === "own"
      ? `Serving ${connected.httpUrl}`
      : `Attached to larder serve at ${connected.httpUrl}`;
  const menu = Menu.buildFromTemplate(
    trayMenuTemplate(
      {
        serving,
        activeJobs: status?.activeJobs() ?? null,
        openAtLogin: loginItem.isEnabled(),
        loginItemsSupported: loginItem.supported,
      },
      {
        open: showWindow,
        pauseAll: () => {
          void status?.pauseAll().then(updateTray);
        },
        setOpenAtLogin: (enabled) => {
          loginItem.setEnabled(enabled);
          updateTray();
        },
        quit: () => {
          app.quit();
        },
      },
    ),
  );
  tray.setContextMenu(menu);
  tray.setToolTip(`Larder — ${serving}`);
}

function showCliHelp(): void {
  const help = cliOnPathHelp(process.platform, process.resourcesPath, app.isPackaged, process.env.APPIMAGE);
  dialog
    .showMessageBox({
      type: "info",
      title: "The larder CLI",
      message: help.summary,
      detail: help.commands,
      buttons: ["Copy commands", "Close"],
      defaultId: 0,
      cancelId: 1,
    })
    .then(({ response }) => {
      if (response === 0) void clipboard.writeText(help.commands);
    })
    .catch((error: unknown) => {
      log(`The CLI help dialog failed: ${String(error)}`);
    });
}

function installMenus(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(process.platform, {
        openDataFolder: () => {
          if (connected) void shell.openPath(dataDirOf(connected));
        },
        showCliHelp,
      }),
    ),
  );
  tray = new Tray(trayIcon());
  tray.on("click", showWindow);
  updateTray();
}

function registerIpc(): void {
  const services = nativeDesktopServices(
    () => window,
    () => (connected ? dataDirOf(connected) : ""),
  );
  for (const [channel, handler] of Object.entries(createIpcHandlers(services, origin)))
    ipcMain.handle(channel, handler);
}

/** Notifications for the jobs this process runs (an attached `larder serve` runs its own and is not watched). */
function watchJobs(server: Connected): void {
  if (server.kind !== "own") return;
  const notifications = new JobNotifications((job) => status?.describe(job));
  server.server.events.listen((event) => {
    if (event.type === "job") void status?.refresh().then(updateTray);
    const notice = notifications.noticeFor(event);
    if (notice) notifyUnlessFocused(notice.title, notice.body);
  });
}

async function start(): Promise<void> {
  const server = await connect();
  if (!server) {
    stopped = true;
    app.quit();
    return;
  }
  connected = server;
  status = new MirrorStatus(server.httpUrl, server.token);
  registerIpc();
  installMenus();
  watchJobs(server);
  setInterval(() => {
    void status?.refresh().then(updateTray);
  }, STATUS_POLL_MS).unref();

  window = createDesktopWindow(join(here, "preload.cjs"), origin);
  // Started at login (the autostart entry passes --hidden; macOS says so itself): straight to the tray.
  const startHidden =
    process.argv.includes("--hidden") ||
    (process.platform === "darwin" && app.getLoginItemSettings().wasOpenedAtLogin);
  window.once("ready-to-show", () => {
    if (!startHidden) showWindow();
  });
  window.on("close", (event) => {
    if (quitting) return;
    // Closing the window keeps the mirror serving: terraform on this machine still needs it.
    event.preventDefault();
    window?.hide();
    if (!toldAboutTray) {
      toldAboutTray = true;
      // Not notifyUnlessFocused: the window that just hid may still count as focused for a moment.
      notify("Larder is still serving", "Quit from the tray or menu bar icon to stop the mirror.");
    }
  });
  await openMirrorPage(window, server.httpUrl, server.token);
}

if (!app.requestSingleInstanceLock()) {
  // Another Larder runs: it gets the second-instance event and shows its window.
  app.quit();
} else {
  app.setAppUserModelId("dev.larder.app");
  app.on("second-instance", showWindow);
  app.on("activate", showWindow);
  app.on("window-all-closed", () => {
    // The window only hides; this fires once quitting, when the server is already stopping.
  });
  app.on("before-quit", (event) => {
    quitting = true;
    if (stopped) return;
    event.preventDefault();
    stopping ??= stopServer().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox("Larder could not start", error instanceof Error ? error.message : String(error));
      // A server that did start is still stopped properly by before-quit.
      app.quit();
    });
}
