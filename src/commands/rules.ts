import { Command, Option } from 'commander';
import { PRESET_NAMES } from '../core/presets.js';
import { checkRules } from '../core/rules-check.js';
import { InputError } from '../errors.js';
import { applyConfig, type ConfigExtras } from '../io/config.js';
import { styleFor } from './terminal.js';
import { chooseSegmentation, wholeNumber } from './options.js';

interface RulesOptions {
  config?: string;
  preset: string;
  bins: number;
  check?: boolean;
  configExtras?: ConfigExtras;
}

async function run(opts: RulesOptions): Promise<void> {
  const { rules } = chooseSegmentation(opts);
  const check = checkRules(rules);
  const source = opts.configExtras?.rules ? 'from the config file' : `preset ${opts.preset}`;
  const { renderRules } = await import('../render/rules.js');
  process.stdout.write(renderRules(rules, check, source, await styleFor(process.stdout, process.env)));
  if (opts.check && check.unreachable.length > 0) {
    throw new InputError(`${check.unreachable.length} rule(s) no score cell reaches: ${check.unreachable.map((u) => u.name).join(', ')}`);
  }
}

export function rulesCommand(): Command {
  const cmd = new Command('rules')
    .description('show the active RFM rule set and check it over every score cell: cells per rule, unreachable rules, overlaps, fallback share')
    .option('--config <file>', 'settings file with "rules" or "preset" (default: ./rfmkit.config.json when present)')
    .addOption(new Option('--preset <name>', `rule set: ${PRESET_NAMES.join(', ')}`).default('default'))
    .addOption(new Option('--bins <n>', 'scores per dimension, 2 to 10').default(5).argParser(wholeNumber('--bins', 2, 10)))
    .option('--check', 'exit 1 when a rule is unreachable (for CI of a config)');
  cmd.addHelpText(
    'after',
    `
Examples:
  rfmkit rules
  rfmkit rules --preset rfm-r
  rfmkit rules --config rfmkit.config.json --check

Exit codes: 0 shown (and with --check: every rule reachable), 1 with --check: a rule no cell reaches, 2 a bad config.`,
  );
  cmd.hook('preAction', (self) => {
    self.setOptionValue('configExtras', applyConfig(self, self.opts<RulesOptions>().config, process.cwd()));
  });
  return cmd.action(run);
}
