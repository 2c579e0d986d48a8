import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it came over the wire (headers and MIME body). */
  raw: string;
}

/** An SMTP reply to refuse a step with: `{ code: 550, text: 'No such user' }`. */
export interface Refusal {
  code: number;
  text: string;
}

export interface SmtpHooks {
  connect?: () => Refusal | undefined;
  rcpt?: (address: string) => Refusal | undefined;
  data?: () => Refusal | undefined;
}

export interface SmtpReceiver {
  /** smtp://user:pass@127.0.0.1:port (credentials only when the server requires them). */
  url: string;
  port: number;
  mails: ReceivedMail[];
  hooks: SmtpHooks;
  close(): Promise<void>;
}

const refuse = (r: Refusal) => Object.assign(new Error(r.text), { responseCode: r.code });

/**
 * A real SMTP server (the `smtp-server` package) in the test process, on loopback. STARTTLS is off (no
 * certificate to trust in tests), so a login is allowed over the plain connection.
 */
export async function startSmtp(auth?: { user: string; pass: string }): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const hooks: SmtpHooks = {};
  const server = new SMTPServer({
    logger: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    onConnect(_session, cb) {
      const r = hooks.connect?.();
      cb(r ? refuse(r) : undefined);
    },
    onAuth(a, _session, cb) {
      if (auth && a.username === auth.user && a.password === auth.pass) return cb(null, { user: a.username });
      cb(refuse({ code: 535, text: 'Authentication credentials invalid' }));
    },
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      const r = hooks.rcpt?.(address.address);
      cb(r ? refuse(r) : undefined);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const r = hooks.data?.();
        if (r) return cb(refuse(r));
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb(null);
      });
    },
  });
  // A client killed mid-dialogue resets its connection; the server reports it as an 'error' event.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const cred = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
  return {
    url: `smtp://${cred}127.0.0.1:${port}`,
    port,
    mails,
    hooks,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
