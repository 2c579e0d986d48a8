import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n';
import { claudeCodeSnippet } from '../snippet';

const env = { ANTHROPIC_BASE_URL: 'https://relay.example.com/api', ANTHROPIC_AUTH_TOKEN: '<your key cr_0123…abcd>' };
const key = { name: 'Laptop', maskedKey: 'cr_0123…abcd', origin: 'portal' as const };

describe('the Claude Code snippet', () => {
  it('says where the secret is in the reader’s language', () => {
    const en = claudeCodeSnippet((k, v) => translate('en', k, v), { env }, key);
    expect(en).toBe(
      [
        'export ANTHROPIC_BASE_URL="https://relay.example.com/api"',
        'export ANTHROPIC_AUTH_TOKEN="cr_..."   # the secret shown once when “Laptop” was created (cr_0123…abcd)',
        'claude',
      ].join('\n'),
    );
    const zh = claudeCodeSnippet((k, v) => translate('zh-CN', k, v), { env }, key);
    expect(zh.split('\n')[1]).toBe(
      'export ANTHROPIC_AUTH_TOKEN="cr_..."   # 创建“Laptop”时只显示一次的密钥（cr_0123…abcd）',
    );
  });

  it('sends the holder of an operator’s key to the operator', () => {
    const zh = claudeCodeSnippet((k, v) => translate('zh-CN', k, v), { env }, { ...key, origin: 'operator' });
    expect(zh).toContain('# “Laptop”的密钥（由管理员创建：请向管理员索取）');
  });
});
