import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.ts';

const run = promisify(execFile);
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Cruises a tree of `files` laid out as the harness is, with the project's own rule. */
async function violationsIn(files: Record<string, string>): Promise<Violation[]> {
  const root = tempDir('tally-layers-');
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  // depcruise exits non-zero when it finds violations; its JSON on stdout is what is judged.
  const { stdout } = await run(DEPCRUISE, ['harness', '--config', CONFIG, '--output-type', 'json'], { cwd: root }).catch(
    (error: { stdout: string }) => ({ stdout: error.stdout }),
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the layer rule (npm run deps)', () => {
  it('passes a tree whose imports point down', async () => {
    const violations = await violationsIn({
      'harness/history/events.ts': 'export const kind = 1;\n',
      'harness/runner/run.ts': "import { kind } from '../history/events.ts';\nexport const run = kind;\n",
    });
    expect(violations).toEqual([]);
  });

  it('fails an upward import, a cycle, test code in production and a folder outside the layers', async () => {
    const violations = await violationsIn({
      'harness/history/events.ts': "import { run } from '../runner/run.ts';\nexport const kind = run;\n",
      'harness/runner/run.ts': 'export const run = 1;\n',
      'harness/pool/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
      'harness/pool/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      'harness/drivers/driver.ts': "import { fake } from './testing/fake.ts';\nexport const driver = fake;\n",
      'harness/drivers/testing/fake.ts': 'export const fake = 1;\n',
      'harness/widgets/widget.ts': "import { run } from '../runner/run.ts';\nexport const widget = run;\n",
    });
    const found = violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'layer-history: harness/history/events.ts → harness/runner/run.ts',
        'no-cycles: harness/pool/a.ts → harness/pool/b.ts',
        'no-test-code-in-production: harness/drivers/driver.ts → harness/drivers/testing/fake.ts',
        'layers-are-known: harness/widgets/widget.ts → harness/runner/run.ts',
      ]),
    );
  });
});
