// Applies the theme saved by the UI's toggle ("light" | "dark"; absent: follow the system) before first paint.
try {
  var theme = localStorage.getItem("larder.theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch {
  // Storage may be disabled; the system theme applies.
}
