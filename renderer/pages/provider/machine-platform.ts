/**
 * This machine's platform as terraform names it (`linux_amd64`), guessed from what the browser says: the one
 * preselected in the matrix. Browsers hide the CPU on macOS (always "Intel"), so Apple silicon reads as amd64
 * unless the user agent data says arm; the guess only preselects, a person can change it.
 */
export function machinePlatform(): string {
  const agent = navigator.userAgent.toLowerCase();
  const os =
    agent.includes("windows") || agent.includes("win32")
      ? "windows"
      : agent.includes("mac")
        ? "darwin"
        : "linux";
  const arch = /arm64|aarch64|armv8/.test(agent) ? "arm64" : "amd64";
  return `${os}_${arch}`;
}
