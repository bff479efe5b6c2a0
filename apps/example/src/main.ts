// `pnpm start`: every adapter on one configuration, each on its own port, and the playground page,
// until Ctrl-C.
import { CorsConfigError } from '@cors/core';
import { exampleOptions, sampleOrigin } from './config.js';
import { startPlayground } from './playground/server.js';
import { servers } from './servers.js';

const options = (() => {
  try {
    return exampleOptions(process.env);
  } catch (error) {
    console.error(error instanceof CorsConfigError ? error.message : error);
    process.exit(1);
  }
})();

try {
  const started: Array<{ name: string; url: string; close(): Promise<void> }> = [];
  for (const [name, start] of Object.entries(servers)) {
    started.push({ name, ...(await start(options)) });
  }
  const origin = sampleOrigin(options);
  const width = Math.max(...started.map((s) => s.name.length));
  console.log('@cors example: every adapter on one configuration\n');
  console.log(`${'framework'.padEnd(width)}  url`);
  for (const s of started) console.log(`${s.name.padEnd(width)}  ${s.url}`);
  console.log(`\norigins: ${JSON.stringify(options.origin)}  (set CORS_ORIGINS to change)`);
  console.log(`allowed origin: ${origin}`);
  console.log(`try: curl -i -H 'Origin: ${origin}' ${started[0]?.url}/resource`);
  const playground = await startPlayground({ servers, initial: options, adapter: 'express' });
  console.log(
    `\nplayground: open ${playground.url} (pick an adapter, edit its options, send a request)`,
  );
  console.log('\nexample app ready; Ctrl-C stops it');
  const stop = async () => {
    await Promise.all([...started.map((s) => s.close()), playground.close()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof CorsConfigError ? error.message : error);
  process.exit(1);
}
