import type { CatalogKind } from "../../core/catalog.js";
import type { CatalogListOptions, CatalogPage } from "../../upstream/catalog/catalog-fetch.js";
import type { OpenTofuCatalogClient } from "../../upstream/catalog/opentofu-catalog-client.js";
import type { TerraformCatalogClient } from "../../upstream/catalog/terraform-catalog-client.js";

/** The registries with a catalog API to list; private registries have none (their addresses are looked up). */
export const PUBLIC_CATALOG_REGISTRIES = ["registry.terraform.io", "registry.opentofu.org"] as const;

/** One listing a refresh walks: a registry's providers or its modules. */
export interface CatalogSource {
  /** The registry the entries belong to, as catalog_sources keys it. */
  readonly registry: string;
  readonly kind: CatalogKind;
  /** The host the listing is fetched from: one listing at a time per API host, to be polite. */
  readonly apiHost: string;
  /** The cursor of the listing's first page, to tell a run from the start from a resumed one. */
  readonly first: number;
  list(options: CatalogListOptions): AsyncGenerator<CatalogPage>;
}

/** Every public catalog source, in the order reports list them. */
export function publicCatalogSources(
  terraform: TerraformCatalogClient,
  tofu: OpenTofuCatalogClient,
): CatalogSource[] {
  const [terraformHost, tofuHost] = PUBLIC_CATALOG_REGISTRIES;
  return [
    {
      registry: terraformHost,
      kind: "provider",
      apiHost: terraformHost,
      first: 1,
      list: (options) => terraform.providers(options),
    },
    {
      registry: terraformHost,
      kind: "module",
      apiHost: terraformHost,
      first: 0,
      list: (options) => terraform.modules(options),
    },
    {
      registry: tofuHost,
      kind: "provider",
      apiHost: "api.opentofu.org",
      first: 0,
      list: (options) => tofu.providers(options),
    },
    {
      registry: tofuHost,
      kind: "module",
      apiHost: "api.opentofu.org",
      first: 0,
      list: (options) => tofu.modules(options),
    },
  ];
}
