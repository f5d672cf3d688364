import { useEffect } from "react";
import { formatBytes } from "../../components/format.js";
import { MirrorBar } from "../../components/mirror-bar.js";
import { selectionKey, useCatalogDetail, type ProviderParams } from "../../state/catalog-detail.js";
import type { ProviderVersion } from "./platform-matrix.js";

/** What the ticked versions × platforms add up to (known sizes only), and Mirror for exactly those. */
export function ProviderMirror(props: {
  readonly params: ProviderParams;
  readonly address: string;
  readonly versions: readonly ProviderVersion[];
  readonly pickedVersions: ReadonlySet<string>;
  readonly pickedPlatforms: ReadonlySet<string>;
}) {
  const mirror = useCatalogDetail((s) => s.mirror);
  const startMirror = useCatalogDetail((s) => s.startMirror);
  const estimate = useCatalogDetail((s) => s.estimate);
  const estimateSizes = useCatalogDetail((s) => s.estimateSizes);
  const key = selectionKey(props.address, props.pickedVersions, props.pickedPlatforms);
  // Once the ticking pauses, ask what the selection weighs (the catalog rarely knows sizes upfront).
  useEffect(() => {
    if (props.pickedVersions.size === 0 || props.pickedPlatforms.size === 0) return;
    const timer = setTimeout(() => {
      void estimateSizes(props.params, [...props.pickedVersions], [...props.pickedPlatforms]);
    }, 400);
    return () => {
      clearTimeout(timer);
    };
  }, [key]);
  const estimated = estimate?.key === key ? estimate.sizes : null;
  let bytes = 0;
  let unknown = 0;
  let packages = 0;
  for (const version of props.versions) {
    if (!props.pickedVersions.has(version.version)) continue;
    for (const platform of props.pickedPlatforms) {
      const [os, arch] = platform.split("_");
      const offered = version.platforms?.find((entry) => entry.os === os && entry.arch === arch);
      if (version.platforms !== null && offered === undefined) continue;
      packages += 1;
      if (offered?.size === null || offered?.size === undefined) unknown += 1;
      else bytes += offered.size;
    }
  }
  const versions = props.pickedVersions.size;
  const platforms = props.pickedPlatforms.size;
  const summary =
    versions === 0 || platforms === 0 ? (
      <span className="muted">Tick at least one version and one platform to mirror.</span>
    ) : (
      <>
        {versions} {versions === 1 ? "version" : "versions"} × {platforms}{" "}
        {platforms === 1 ? "platform" : "platforms"}: {packages} {packages === 1 ? "package" : "packages"},{" "}
        {estimated !== null && estimated.total > bytes
          ? `${formatBytes(estimated.total)}${estimated.complete ? "" : " + some of unknown size"}`
          : unknown === packages
            ? "size unknown"
            : `${formatBytes(bytes)}${unknown > 0 ? ` + ${unknown} of unknown size` : ""}`}
      </>
    );
  return (
    <MirrorBar
      summary={summary}
      disabled={versions === 0 || platforms === 0}
      mirror={mirror?.address === props.address ? mirror : null}
      onMirror={() => {
        void startMirror({
          kind: "provider",
          address: props.address,
          versions: [...props.pickedVersions],
          platforms: [...props.pickedPlatforms],
        });
      }}
    />
  );
}
