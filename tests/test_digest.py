"""`vaultkit digest`: today's short list on stdout, as JSON, and sent by mail to a real local
SMTP server (aiosmtpd on 127.0.0.1); failures exit 1 naming host:port and the setting to fix."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from conftest import run_cli, write_vault

from vaultkit.cli import cli

VAULT = {
    "people/Ada Lovelace.md": """\
---
cadence: monthly
birthday: 1815-12-05
---
## Log
- 2026-10-01 Coffee; she is writing about the Analytical Engine.

## Follow-ups
- [ ] Send her the [[Rust for Python developers|Rust guide]] 📅 2026-11-28
- [ ] Book the dinner 📅 2027-02-01
""",
    "people/Grace Hopper.md": "---\ncadence: quarterly\n---\n- 2026-09-20 Call.\n",
    "people/Charles Babbage.md": "---\ncadence: weekly\ntags: [rust]\n---\n- 2026-11-20 Lunch.\n",
    "people/Linus Pauling.md": "---\ncadence: weekly\nmet: 2026-11-01\n---\n",
    "people/Nadia Haddad.md": "---\n---\n- 2026-11-20 Referred me to a research-ops contract. #referral\n",
    "people/Paused Pat.md": "---\ncadence: weekly\nstatus: paused\n---\n- [ ] Send the slides 📅 2026-12-01\n",
    "people/Snoozed Sam.md": "---\ncadence: monthly\nsnooze_until: 2027-01-01\n---\n",
    "resources/Rust for Python developers.md": "---\ntags: [rust]\nadded: 2026-11-15\n---\n",
}

DIGEST = """\
# Today — Tuesday 1 December 2026

## Check in (3)
- Ada Lovelace — monthly, 30 days overdue (last contact 2026-10-01). Open follow-up: Send her the Rust guide (due 2026-11-28). Birthday on Saturday 5 December.
- Linus Pauling — weekly, 23 days overdue (met 2026-11-01, no contact since). No note of what to say: ask what they are working on.
- Charles Babbage — weekly, 4 days overdue (last contact 2026-11-20). Reason to write: Rust for Python developers matches #rust.

## Follow-ups (2)
- Ada Lovelace: Send her the Rust guide — **3 days late** (due 2026-11-28).
- Paused Pat: Send the slides — due today.

## Birthdays this week (1)
- Ada Lovelace — Saturday 5 December, turns 211. Send a happy birthday.

## Thanks owed (1)
- Nadia Haddad — referral on 2026-11-20: Referred me to a research-ops contract. Say thank you; a draft is in Overview/Thank-you notes/Nadia Haddad.md.
"""

SUBJECT = "vaultkit, Tue 1 Dec: 3 check-ins, 2 follow-ups, 1 birthday, 1 thank-you"
PASSWORD = "correct horse battery staple"


def test_digest_of_a_small_vault(vault):
    result = run_cli("digest", vault=vault(VAULT), today="2026-12-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == DIGEST


def test_page_limit_keeps_the_most_overdue_and_counts_the_rest(vault):
    root = vault(VAULT, settings="page_limit = 2\n")
    out = run_cli("digest", vault=root, today="2026-12-01").stdout
    assert out.split("\n\n## Follow-ups")[0] == (
        "# Today — Tuesday 1 December 2026\n\n"
        "## Check in (3)\n"
        "- Ada Lovelace — monthly, 30 days overdue (last contact 2026-10-01). Open follow-up: Send her the "
        "Rust guide (due 2026-11-28). Birthday on Saturday 5 December.\n"
        "- Linus Pauling — weekly, 23 days overdue (met 2026-11-01, no contact since). No note of what to say: "
        "ask what they are working on.\n"
        "- …and 1 more: `vaultkit due`"
    )


def test_sections_with_nothing_are_left_out_and_nothing_at_all_says_so(vault):
    only_ada = {"people/Ada Lovelace.md": "---\ncadence: monthly\n---\n- 2026-10-01 Coffee.\n"}
    root = vault(only_ada)
    assert run_cli("digest", vault=root, today="2026-10-20").stdout == "Nothing due today.\n"
    assert run_cli("digest", vault=root, today="2026-10-20").exit_code == 0
    assert run_cli("digest", vault=root, today="2026-11-02").stdout == (
        "# Today — Monday 2 November 2026\n\n"
        "## Check in (1)\n"
        "- Ada Lovelace — monthly, 1 day overdue (last contact 2026-10-01). Last time (2026-10-01): Coffee.\n"
    )


def test_json_for_scripts(vault):
    result = run_cli("digest", "--json", vault=vault(VAULT, settings="page_limit = 1\n"), today="2026-12-01")
    data = json.loads(result.stdout)
    assert data == {
        "today": "2026-12-01",
        "overdue": [{
            "name": "Ada Lovelace", "path": "people/Ada Lovelace.md", "cadence": "monthly",
            "last_contact": "2026-10-01", "due": "2026-11-01", "days_overdue": 30,
            "say": ["Open follow-up: Send her the Rust guide (due 2026-11-28).", "Birthday on Saturday 5 December."],
        }],
        "more_overdue": 2,
        "followups": [
            {"name": "Ada Lovelace", "path": "people/Ada Lovelace.md",
             "text": "Send her the [[Rust for Python developers|Rust guide]]", "due": "2026-11-28",
             "days_late": 3, "line": 9},
            {"name": "Paused Pat", "path": "people/Paused Pat.md", "text": "Send the slides", "due": "2026-12-01",
             "days_late": 0, "line": 5},
        ],
        "birthdays": [{"name": "Ada Lovelace", "path": "people/Ada Lovelace.md", "date": "2026-12-05", "turns": 211}],
        "thanks": [{"name": "Nadia Haddad", "path": "people/Nadia Haddad.md", "favours": [
            {"date": "2026-11-20", "kind": "referral", "text": "Referred me to a research-ops contract. #referral"},
        ]}],
    }


# --- by mail, to a real SMTP server on this machine ------------------------------------------


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps every mail that arrives."""

    def __init__(self) -> None:
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.mails.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A factory: start an aiosmtpd server on 127.0.0.1 and a free port; stopped after the test."""
    started = []

    def start(**options) -> tuple[Inbox, int]:
        inbox, port = Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=10, **options)
        controller.start()
        started.append(controller)
        return inbox, port

    yield start
    for controller in started:
        controller.stop()


def mail_settings(port: int, extra: str = "starttls = false\n") -> str:
    return (
        "[mail]\n"
        'host = "127.0.0.1"\n'
        f"port = {port}\n"
        'from = "vaultkit@example.com"\n'
        'to = ["me@example.com", "also-me@example.org"]\n'
        + extra
    )


def send(root: Path, today: str = "2026-12-01", password: str | None = None):
    env = {"VAULTKIT_SMTP_PASSWORD": password} if password is not None else {}
    return CliRunner(env=env).invoke(
        cli, ["digest", "--mail", "--vault", str(root), "--today", today], catch_exceptions=False
    )


def test_mail_arrives_with_the_subject_and_the_digest(vault, smtp_server):
    inbox, port = smtp_server()
    root = vault(VAULT, settings=mail_settings(port))
    result = send(root)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"sent the digest to me@example.com, also-me@example.org through 127.0.0.1:{port} "
        "(3 check-ins, 2 follow-ups, 1 birthday, 1 thank-you)\n"
    )
    [mail] = inbox.mails
    assert mail.mail_from == "vaultkit@example.com"
    assert mail.rcpt_tos == ["me@example.com", "also-me@example.org"]
    message = message_from_bytes(mail.original_content, policy=policy.default)
    # unfolded as RFC 5322 says (Python's parser keeps the space of a fold before the first word)
    unfolded = mail.original_content.replace(b"\r\n ", b" ").replace(b"\r\n\t", b"\t")
    assert f"\r\nSubject: {SUBJECT}\r\n".encode() in b"\r\n" + unfolded
    assert message["Subject"].strip() == SUBJECT
    assert message["From"] == "vaultkit@example.com"
    assert message["To"] == "me@example.com, also-me@example.org"
    assert message.get_content_type() == "text/plain"
    assert message.get_content().replace("\r\n", "\n") == DIGEST  # CRLF on the wire


def test_nothing_due_sends_nothing(vault, smtp_server):
    inbox, port = smtp_server()
    root = vault({"people/Ada Lovelace.md": "---\ncadence: monthly\n---\n- 2026-11-20 Coffee.\n"},
                 settings=mail_settings(port))
    result = send(root)
    assert result.exit_code == 0, result.output
    assert result.stderr == "Nothing due today: no mail sent.\n"
    assert inbox.mails == []


def test_login_with_the_password_from_the_environment(vault, smtp_server):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    inbox, port = smtp_server(authenticator=authenticator, auth_require_tls=False)
    root = vault(VAULT, settings=mail_settings(port, 'starttls = false\nusername = "me"\n'))
    result = send(root, password=PASSWORD)
    assert result.exit_code == 0, result.output
    assert logins == [(b"me", PASSWORD.encode())]
    assert len(inbox.mails) == 1
    assert PASSWORD not in result.output


def test_a_refused_login_names_username_and_the_variable_not_the_password(vault, smtp_server):
    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    inbox, port = smtp_server(authenticator=authenticator, auth_require_tls=False)
    root = vault(VAULT, settings=mail_settings(port, 'starttls = false\nusername = "me"\n'))
    result = send(root, password=PASSWORD)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{port} refused the login as 'me' (535 5.7.8 Authentication credentials invalid); "
        f"check username in [mail] of {root / 'vaultkit.toml'} and the password in VAULTKIT_SMTP_PASSWORD\n"
    )
    assert PASSWORD not in result.output
    assert "Traceback" not in result.output
    assert inbox.mails == []


def test_a_username_without_the_password_variable(vault, smtp_server):
    _, port = smtp_server()
    root = vault(VAULT, settings=mail_settings(port, 'starttls = false\nusername = "me"\n'))
    result = send(root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {root / 'vaultkit.toml'}: [mail] username is 'me' but VAULTKIT_SMTP_PASSWORD is empty; "
        "set the password in that environment variable (never in a file in the vault)\n"
    )


def test_a_port_with_nothing_listening(vault):
    port = free_port()
    root = vault(VAULT, settings=mail_settings(port))
    result = send(root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{port} refused the connection: nothing listens there; check host and port "
        f"in [mail] of {root / 'vaultkit.toml'}\n"
    )


def test_mail_settings_missing(vault, tmp_path):
    root = vault(VAULT, settings='[mail]\nhost = "smtp.example.com"\n')
    result = send(root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {root / 'vaultkit.toml'}: [mail] from, to not set; `vaultkit digest --mail` needs host, "
        'from and to, like [mail] host = "smtp.example.com" (see docs/settings.md)\n'
    )
    result = send(write_vault(tmp_path / "bare", VAULT))  # no vaultkit.toml at all
    assert result.exit_code == 1
    assert "[mail] host, from, to not set" in result.stderr


def test_starttls_asked_for_but_not_offered(vault, smtp_server):
    inbox, port = smtp_server()  # no TLS context: the server offers no STARTTLS
    root = vault(VAULT, settings=mail_settings(port, "starttls = true\n"))
    result = send(root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{port} does not offer STARTTLS, so the mail would cross the network unencrypted; "
        "use the server's STARTTLS port (usually 587) or 465, or set starttls = false in [mail] of "
        f"{root / 'vaultkit.toml'} for a server on this machine\n"
    )
    assert inbox.mails == []


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command for a certificate")
def test_tls_with_a_certificate_nobody_signed(vault, smtp_server, tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = smtp_server(tls_context=context)
    root = vault(VAULT, settings=mail_settings(port, "starttls = true\n"))
    result = send(root)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: 127.0.0.1:{port}: TLS failed (CERTIFICATE_VERIFY_FAILED); ")
    assert result.stderr.endswith(
        f"check host and port in [mail] of {root / 'vaultkit.toml'} (587 with starttls = true, or 465 for TLS "
        "from the start)\n"
    )
    assert inbox.mails == []


def test_thanks_for_several_favours_names_the_latest_and_counts_the_others(vault):
    root = vault({"people/Nadia Haddad.md": (
        "---\n---\n- 2026-11-02 Reviewed my CV!  #help\n"
        "- 2026-11-20 Introduced me to [[Ada Lovelace|Ada]] #intro #london\n"
    )})
    assert run_cli("digest", vault=root, today="2026-12-01").stdout == (
        "# Today — Tuesday 1 December 2026\n\n"
        "## Thanks owed (1)\n"
        "- Nadia Haddad — intro on 2026-11-20: Introduced me to Ada (and 1 more). Say thank you; a draft is in "
        "Overview/Thank-you notes/Nadia Haddad.md.\n"
    )


def test_plain_words_for_a_mail():
    from vaultkit.commands.digest import sentence, untagged
    from vaultkit.pages.render import unlinked

    assert unlinked("Send [[Ada Lovelace]] the [[Rust guide#Part 2|guide]] and [[Notes#Top]]") == (
        "Send Ada Lovelace the guide and Notes"
    )
    assert untagged("Reviewed my CV! #help #cv") == "Reviewed my CV!"
    assert untagged("#help") == "#help"  # nothing but tags: kept as written
    assert untagged("Met at #pycon in Leeds") == "Met at #pycon in Leeds"
    assert [sentence(t) for t in ("Done", "Done.", "Really?", "Wait…")] == ["Done.", "Done.", "Really?", "Wait…"]


def test_a_port_where_something_else_answers(vault):
    """Not an SMTP server (it closes at once, as a TLS-only or a web port may): exit 1, no traceback."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def close_one() -> None:
        conn, _ = listener.accept()
        conn.close()

    thread = threading.Thread(target=close_one, daemon=True)
    thread.start()
    try:
        root = vault(VAULT, settings=mail_settings(port))
        result = send(root)
    finally:
        thread.join(timeout=10)
        listener.close()
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{port} closed the connection (Connection unexpectedly closed); check port and "
        f"starttls in [mail] of {root / 'vaultkit.toml'} (465 expects TLS from the start, 587 STARTTLS)\n"
    )
