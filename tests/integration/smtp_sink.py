#!/usr/bin/python3
"""A real SMTP server on loopback for the e-mail tests (aiosmtpd, Debian's python3-aiosmtpd).

  smtp_sink.py serve DIR     listens on a free 127.0.0.1 port, writes it to DIR/port, and every
                             message it accepts to DIR/<n>.eml; RCPT TO an address starting with
                             "reject" is refused with 550.
  smtp_sink.py extract EML PDF
                             parses a stored message, writes its PDF attachment to PDF and prints
                             {subject, from, to, text, html, attachment} as JSON.
"""
import email
import email.policy
import json
import os
import socket
import sys
import time


def serve(directory):
    from aiosmtpd.controller import Controller

    class Sink:
        count = 0

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.lower().startswith("reject"):
                return "550 5.1.1 Mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            Sink.count += 1
            path = os.path.join(directory, "%d.eml" % Sink.count)
            with open(path + ".part", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.rename(path + ".part", path)
            return "250 Message accepted for delivery"

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port, ready_timeout=30)
    controller.start()
    with open(os.path.join(directory, "port.part"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(directory, "port.part"), os.path.join(directory, "port"))
    try:
        while True:
            time.sleep(1)
    finally:
        controller.stop()


def extract(eml, pdf):
    with open(eml, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = {"subject": str(msg["subject"]), "from": str(msg["from"]), "to": str(msg["to"])}
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain":
            out["text"] = part.get_content()
        elif ctype == "text/html":
            out["html"] = part.get_content()
        elif ctype == "application/pdf":
            out["attachment"] = part.get_filename()
            with open(pdf, "wb") as f:
                f.write(part.get_payload(decode=True))
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        extract(sys.argv[2], sys.argv[3])
