/**
 * A job on a browser of its own, as the browser-per-job pools run it: launch, open a page, run the
 * work under the watchdog; every way out, a failed launch included, gives the job's slot back once
 * (`giveBack`) and then closes the browser.
 */
import type { BrowserLike } from '../../../harness/drivers/types.ts';
import type { Job, PoolEnv } from '../../../harness/pool/contract.ts';
import { workUnderWatchdog } from './watchdog.ts';

export async function workInOwnBrowser(env: PoolEnv, job: Job, giveBack: () => void, stopped?: AbortSignal): Promise<unknown> {
  let browser: BrowserLike | undefined;
  try {
    browser = await env.driver.launch();
    const page = await browser.newPage();
    const launched = browser;
    return await workUnderWatchdog(env, job, page, () => launched.close(), stopped);
  } finally {
    giveBack();
    await browser?.close();
  }
}
