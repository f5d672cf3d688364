/**
 * A design token's colour as canvas code (Chart.js) can use it: tokens are `light-dark()` pairs, which only CSS
 * resolves, so a probe element is styled with the token and its computed `rgb(…)` read back.
 */
export function resolveTokenColor(token: string, within: Element = document.documentElement): string {
  const probe = document.createElement("span");
  probe.style.color = `var(${token})`;
  probe.style.display = "none";
  within.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}
