import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderUi } from '../../../test/render';
import { ChannelForm } from '../channel-form';

/** What the add-channel form sends for each kind of channel, and the secret it shows once. */
let sent: { url: string; body: Record<string, unknown> }[] = [];
beforeEach(() => {
  sent = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    sent.push({ url: String(input), body: JSON.parse(String(init?.body ?? '{}')) });
    const channel = { id: 'c1', type: 'webhook', label: '', target: 'https://x.example/…', events: [] };
    return Response.json({ channel, secret: 'made-by-the-portal-0123456789' }, { status: 201 });
  });
});

describe('adding a channel', () => {
  it('sends a webhook’s URL and chosen events, and shows the made secret once', async () => {
    renderUi(<ChannelForm categories={['usage', 'expiry', 'operator']} />);
    await userEvent.type(screen.getByLabelText('Webhook URL'), 'https://hooks.example.com/portal');
    const events = screen.getByRole('group', { name: 'Events sent to Webhook' });
    await userEvent.click(within(events).getByLabelText('Operator changes'));
    await userEvent.click(screen.getByRole('button', { name: 'Add channel' }));
    expect(sent).toEqual([
      {
        url: '/api/notifications/channels',
        body: { type: 'webhook', label: '', events: ['usage', 'expiry'], url: 'https://hooks.example.com/portal' },
      },
    ]);
    expect(await screen.findByText('made-by-the-portal-0123456789')).toBeTruthy();
  });

  it('sends a robot’s URL and signing secret, and a Telegram bot’s token and chat', async () => {
    renderUi(<ChannelForm categories={['usage', 'expiry', 'operator', 'system']} />);
    await userEvent.selectOptions(screen.getByLabelText('Type'), 'dingtalk');
    await userEvent.type(screen.getByLabelText('Robot URL'), 'https://oapi.dingtalk.com/robot/send?access_token=abc');
    await userEvent.type(screen.getByLabelText(/Signing secret/), 'SECabc');
    await userEvent.click(screen.getByRole('button', { name: 'Add channel' }));
    // An admin's form starts without "system": admin events are chosen on purpose.
    expect(sent[0].body).toEqual({
      type: 'dingtalk',
      label: '',
      events: ['usage', 'expiry', 'operator'],
      url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
      secret: 'SECabc',
    });

    await userEvent.selectOptions(screen.getByLabelText('Type'), 'telegram');
    expect(screen.queryByLabelText(/Signing secret/)).toBeNull();
    await userEvent.type(screen.getByLabelText('Bot token'), '123:abc');
    await userEvent.type(screen.getByLabelText('Chat id'), '@ops');
    await userEvent.click(screen.getByRole('button', { name: 'Add channel' }));
    expect(sent[1].body).toMatchObject({ type: 'telegram', token: '123:abc', chatId: '@ops' });
    expect(sent[1].body.url).toBeUndefined();
  });
});
