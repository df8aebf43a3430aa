"""Sending a text by SMTP with the [mail] settings: the stdlib's smtplib and EmailMessage.

Every failure a person can fix (a setting missing, a wrong port, a refused login, TLS
that fails) is a VaultkitError naming host:port and the setting to change. The
password comes from the caller (the environment), is used for the login only, and is
never part of a message.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from vaultkit.errors import VaultkitError
from vaultkit.settings import CONFIG_NAME, Settings

PASSWORD_ENV = "VAULTKIT_SMTP_PASSWORD"
TIMEOUT = 30  # seconds to wait for the server at each step
IMPLICIT_TLS_PORT = 465  # "SMTPS": TLS from the first byte, not STARTTLS (RFC 8314)


def message(settings: Settings, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 mail from `from` to `to`."""
    mail = settings.mail
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2] or None)
    msg.set_content(body)
    return msg


def send_mail(settings: Settings, subject: str, body: str, password: str = "") -> None:
    """Send `body` as a mail; raise VaultkitError naming the server and the setting to fix."""
    mail = settings.mail
    where = f"{settings.root / CONFIG_NAME}"
    missing = [key for key, value in (("host", mail.host), ("from", mail.sender), ("to", mail.to)) if not value]
    if missing:
        raise VaultkitError(
            f"{where}: [mail] {', '.join(missing)} not set; `vaultkit digest --mail` needs host, from "
            'and to, like [mail] host = "smtp.example.com" (see docs/settings.md)'
        )
    if mail.username and not password:
        raise VaultkitError(
            f"{where}: [mail] username is {mail.username!r} but {PASSWORD_ENV} is empty; set the "
            "password in that environment variable (never in a file in the vault)"
        )
    server = f"{mail.host}:{mail.port}"
    msg = message(settings, subject, body)
    try:
        _send(settings, msg, password)
    except VaultkitError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise VaultkitError(
            f"{server} refused the login as {mail.username!r} ({_said(exc, password)}); check username "
            f"in [mail] of {where} and the password in {PASSWORD_ENV}"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise VaultkitError(f"{server} refused the recipient {refused}; check to in [mail] of {where}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise VaultkitError(
            f"{server} refused the sender {mail.sender!r} ({_said(exc, password)}); check from in [mail] of {where}"
        ) from None
    except ssl.SSLError as exc:
        raise VaultkitError(
            f"{server}: TLS failed ({exc.reason or exc}); check host and port in [mail] of {where} "
            "(587 with starttls = true, or 465 for TLS from the start)"
        ) from None
    except ConnectionRefusedError:
        raise VaultkitError(
            f"{server} refused the connection: nothing listens there; check host and port in [mail] of {where}"
        ) from None
    except socket.gaierror:
        raise VaultkitError(f"{server}: no such host; check host in [mail] of {where}") from None
    except TimeoutError:
        raise VaultkitError(
            f"{server} did not answer within {TIMEOUT} s; check host and port in [mail] of {where}"
        ) from None
    except smtplib.SMTPServerDisconnected as exc:
        raise VaultkitError(
            f"{server} closed the connection ({exc or 'no reason given'}); check port and starttls in [mail] "
            f"of {where} (465 expects TLS from the start, 587 STARTTLS)"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise VaultkitError(f"cannot send through {server}: {_said(exc, password)}; check [mail] in {where}") from None


def _send(settings: Settings, msg: EmailMessage, password: str) -> None:
    mail = settings.mail
    server = f"{mail.host}:{mail.port}"
    context = ssl.create_default_context()  # the system's CAs, host name checked
    smtp: smtplib.SMTP
    if mail.port == IMPLICIT_TLS_PORT:
        smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=TIMEOUT)
    with smtp:
        if mail.starttls and mail.port != IMPLICIT_TLS_PORT:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise VaultkitError(
                    f"{server} does not offer STARTTLS, so the mail would cross the network unencrypted; "
                    f"use the server's STARTTLS port (usually 587) or 465, or set starttls = false in [mail] "
                    f"of {settings.root / CONFIG_NAME} for a server on this machine"
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if mail.username:
            smtp.ehlo_or_helo_if_needed()
            if not smtp.has_extn("auth"):
                raise VaultkitError(
                    f"{server} offers no login (AUTH){'' if mail.starttls else ' without TLS'}; remove username "
                    f"from [mail] of {settings.root / CONFIG_NAME}"
                    + ("" if mail.starttls else ", or set starttls = true")
                )
            smtp.login(mail.username, password)
        smtp.send_message(msg)


def _said(exc: BaseException, password: str) -> str:
    """What the server said, as text, with the password taken out should it echo it."""
    code, text = getattr(exc, "smtp_code", None), getattr(exc, "smtp_error", None)
    said = f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}" if code else str(exc)
    return said.replace(password, "***") if password else said
