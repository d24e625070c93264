"""The local SMTP sink: aiosmtpd on loopback, every accepted message kept in a Maildir.

    python3 infra/smtp-sink/smtp_sink.py HOST:PORT MAILDIR

Run by infra/up (the local stack) and by the test harness (tests/harness/smtp_sink.cc), so tests
read mail exactly as a person does in var/mail. Messages are stored as sent (maildir_sink.py).
The event loop is uvloop when python3-uvloop is installed (infra/deps.sh installs it): it halves
the sink's CPU per message, which matters when the follow-ups benchmark sends hundreds a second
on the same two cores as everything else. SIGTERM and SIGINT stop it cleanly.
"""

import asyncio
import os
import signal
import sys

from aiosmtpd.smtp import SMTP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from maildir_sink import RawMaildir  # noqa: E402

try:
    import uvloop
except ImportError:
    uvloop = None


async def serve(host, port, mail_dir):
    handler = RawMaildir(mail_dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="carebridge-smtp-sink"), host, port
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("smtp sink listening on %s:%d, mail in %s" % (host, port, mail_dir), flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    if len(sys.argv) != 3 or ":" not in sys.argv[1]:
        sys.exit("usage: smtp_sink.py HOST:PORT MAILDIR")
    host, _, port = sys.argv[1].rpartition(":")
    if uvloop is not None:
        uvloop.install()
    asyncio.run(serve(host, int(port), sys.argv[2]))


if __name__ == "__main__":
    main()
