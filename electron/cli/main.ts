import { adminCommand, ADMIN_USAGE } from './commands/admin';
import { logsCommand, LOGS_USAGE } from './commands/logs';
import { packCommand, PACK_USAGE } from './commands/pack';
import { serveCommand, SERVE_USAGE } from './commands/serve';
import { UsageError } from './usage-error';

const USAGE = `Usage: kiosk <command> [options]

Commands:
  serve    run the kiosk for a browser on this machine
  pack     check, build, install and switch content packs
  logs     export the visit log and verify its hash chain
  admin    set the staff PIN and read the audit trail

${SERVE_USAGE}

${PACK_USAGE}

${LOGS_USAGE}

${ADMIN_USAGE}`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve: serveCommand,
  pack: packCommand,
  logs: logsCommand,
  admin: adminCommand,
};

/** Exit codes: 0 done, 1 failed (the message says why and what to do), 2 called wrongly. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`Error: ${(error as Error).message}`);
    return 1;
  }
}
