import { Command, CommanderError } from "commander";
import { errorMessage, LarderError } from "../core/errors.js";
import { APP_VERSION } from "../engine/app-version.js";
import { registerAudit } from "./commands/audit.js";
import { registerBundle } from "./commands/bundle.js";
import { registerCatalog } from "./commands/catalog.js";
import { registerConfig } from "./commands/config.js";
import { registerDelete } from "./commands/delete.js";
import { registerDu } from "./commands/du.js";
import { registerGc } from "./commands/gc.js";
import { registerJobs } from "./commands/jobs.js";
import { registerList } from "./commands/list.js";
import { registerMirror } from "./commands/mirror.js";
import { registerProject } from "./commands/project.js";
import { registerSearch } from "./commands/search.js";
import { registerServe } from "./commands/serve.js";
import { registerTerraformrc } from "./commands/terraformrc.js";
import { registerTls } from "./commands/tls.js";
import { registerToken } from "./commands/token.js";
import { registerUpstream } from "./commands/upstream.js";

/** Builds the `larder` command tree. */
export function buildProgram(): Command {
  const program = new Command("larder")
    .description("An offline mirror for Terraform and OpenTofu providers and modules.")
    .version(APP_VERSION)
    .showHelpAfterError("(run larder --help for usage)")
    // Without this, `--version` after a subcommand would print Larder's version instead of being a constraint.
    .enablePositionalOptions()
    .exitOverride();
  registerServe(program);
  registerMirror(program);
  registerProject(program);
  registerList(program);
  registerSearch(program);
  registerJobs(program);
  registerTerraformrc(program);
  registerBundle(program);
  registerConfig(program);
  registerToken(program);
  registerTls(program);
  registerAudit(program);
  registerUpstream(program);
  registerDelete(program);
  registerGc(program);
  registerDu(program);
  registerCatalog(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 on success, non-zero with a one-line reason on stderr otherwise. */
export async function runCli(argv: readonly string[]): Promise<number> {
  quietOnClosedPipe();
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed usage errors; help and version exit with 0.
      return error.exitCode;
    }
    process.stderr.write(`larder: ${errorMessage(error)}\n`);
    if (!(error instanceof LarderError) && process.env.LARDER_DEBUG)
      process.stderr.write(`${String((error as Error).stack)}\n`);
    if (error instanceof LarderError && error.code === "interrupted") return 130;
    return error instanceof LarderError && error.code === "invalid_input" ? 2 : 1;
  }
}

let pipeGuarded = false;

/** `larder list | head` closes the pipe early: stop quietly, as other command-line tools do, not with a stack. */
function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
}
