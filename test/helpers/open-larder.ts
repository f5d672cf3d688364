import { Larder, type LarderOptions } from "../../main/engine/larder.js";

/**
 * Opens an engine whose `clients` setting is terraform only, as the engine tests about something else (downloads,
 * jobs, refusals, serving) expect: a host-less `fixture/alpha` is then one package on registry.terraform.io, not
 * one per client. The per-client behaviour has tests of its own, on the real default of both clients.
 */
export async function openTerraformLarder(options: LarderOptions): Promise<Larder> {
  const larder = await Larder.open(options);
  larder.settings.setFromText("clients", "terraform");
  return larder;
}
