"""The local SMTP sink's handler: every message aiosmtpd accepts lands in a Maildir, byte for byte.

Served by smtp_sink.py (infra/up and the test harness run it). It also works with aiosmtpd's own
command line: PYTHONPATH=infra/smtp-sink python3 -m aiosmtpd -n -c maildir_sink.RawMaildir DIR.

aiosmtpd's own Mailbox handler parses each message with the email package and writes it back out,
which costs about twice the CPU of the whole SMTP exchange. This handler keeps the message as sent
(dot-unstuffed by aiosmtpd, line ends made Unix-style as a Maildir expects) and puts the envelope
in front of it as the trace headers X-Peer, X-MailFrom and X-RcptTo, as Mailbox does. Delivery is
the Maildir protocol: write under tmp/, then rename into new/, so a reader never sees half a message.
"""

import mailbox
import os


class RawMaildir:
    def __init__(self, mail_dir):
        self.mailbox = mailbox.Maildir(mail_dir)  # creates tmp/, new/ and cur/ when missing
        self.new_dir = os.path.join(mail_dir, "new")

    async def handle_DATA(self, server, session, envelope):
        trace = "X-Peer: %s\nX-MailFrom: %s\nX-RcptTo: %s\n" % (
            session.peer,
            envelope.mail_from,
            ", ".join(envelope.rcpt_tos),
        )
        content = envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        data = trace.encode("utf-8", "surrogateescape") + content.replace(b"\r\n", b"\n")
        tmp = self.mailbox._create_tmp()  # a unique name, opened exclusively
        try:
            tmp.write(data)
        finally:
            tmp.close()
        os.rename(tmp.name, os.path.join(self.new_dir, os.path.basename(tmp.name)))
        return "250 OK"

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("RawMaildir takes one argument: the Maildir")
        return cls(args[0])
