"""Click wiring only: parse options, call one function, print its result."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from vaultkit import __version__
from vaultkit.errors import Problem, VaultkitError

ISSUES_URL = "the vaultkit issue tracker"


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD", param, ctx)
        if not 1000 <= day.year <= 9000:  # pages count years forward and back from it
            self.fail(f"{value!r} is too far from our time; use a year from 1000 to 9000", param, ctx)
        return day


DATE = DateParam()


def vault_options(dated: bool = True) -> Callable:
    """--vault on every command; --today where a date matters."""

    def decorate(func: Callable) -> Callable:
        func = click.option(
            "--vault",
            type=click.Path(file_okay=False, path_type=str),
            envvar="VAULTKIT_VAULT",
            help="The vault folder (default: the nearest folder upwards with vaultkit.toml, "
            "else the current one). Env: VAULTKIT_VAULT.",
        )(func)
        if dated:
            func = click.option(
                "--today",
                type=DATE,
                envvar="VAULTKIT_TODAY",
                help="Compute as if today were this date (default: the clock). Env: VAULTKIT_TODAY.",
            )(func)
        return func

    return decorate


def settings_for(vault: str | None):  # -> Settings, imported lazily to keep --help fast
    from vaultkit.settings import load_settings, vault_root

    return load_settings(vault_root(vault))


def load(vault: str | None):
    from vaultkit.commands.as_read import (
        load_index,  # with the build cache: only the notes that changed are read
    )

    return load_index(settings_for(vault))


def person_named(person: str, vault: str | None) -> tuple[Any, Any, Any]:
    """(settings, the person a typed name means, what was loaded): from the people's rows
    (commands/reckoning.py) when the name is exactly one person's file name, `name` or
    alias, else edit/find.find_person on the index, which says why or guesses. A command
    that edits their note then keeps the rows (reckoning.keep_rows) for the next one."""
    from vaultkit.commands.reckoning import answered

    settings = settings_for(vault)
    who, loaded = answered(settings, lambda loaded: named_in(loaded, person, vault))
    return settings, who, loaded


def named_in(loaded: Any, person: str, vault: str | None) -> Any:
    """person_named's person, of what reckoning.load_rows loaded (the rows, or the index)."""
    from vaultkit.edit.find import find_person, name_key

    if loaded.rows is not None:
        from vaultkit.rules.cards import Cards

        at = Cards(loaded.rows).find(name_key(person))
        if at is not None:
            return loaded.rows.person(at)
    return find_person(loaded.index or load(vault), person)


def colour() -> bool | None:
    """False when NO_COLOR (any value but empty) or --no-color says so; else Click decides (a terminal)."""
    if os.environ.get("NO_COLOR") or NO_COLOUR:
        return False
    return None


NO_COLOUR: list[bool] = []  # set by --no-color; read from any thread (watch echoes from its own)


def secho(message: str, **styles: Any) -> None:
    click.secho(message, color=colour(), **styles)


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        color = "yellow" if problem.severity == "warning" else "red"
        secho(str(problem), fg=color, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, prog_name="vaultkit")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.option("--no-color", is_flag=True, help="No colours in the output (as the NO_COLOR environment variable does).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, no_color: bool) -> None:
    """vaultkit: a plain-text personal CRM.

    Each person is one Markdown note with YAML front matter. vaultkit reads the
    vault and writes overview pages (reminders, thank-you notes, events,
    resources to share, groups) into its output folder, by default Overview/.
    """
    if no_color:
        NO_COLOUR.append(True)
    ctx.color = colour()
    if ctx.invoked_subcommand is None:  # plain `vaultkit`: the help, and success
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit(0)


@cli.command()
@click.option("--no-cache", is_flag=True, help="Read every note again; leave the cache in .vaultkit/cache as it is.")
@vault_options()
def build(no_cache: bool, vault: str | None, today: date | None) -> None:
    """Read the vault and write every overview page.

    Pages are written only when their content changed. Exits 1 when a note had
    a problem (the pages are still written from the others). Notes unchanged
    since the last build are taken from the cache in .vaultkit/cache.

    Example: vaultkit build --vault example-vault --today 2026-12-01
    """
    from vaultkit.commands.build import build as run_build

    report = run_build(settings_for(vault), today or date.today(), use_cache=not no_cache, waiting=lambda line: click.echo(line, err=True))
    print_problems(report.problems)
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@vault_options(dated=True)
def init(folder: Path, vault: str | None, today: date | None) -> None:
    """Set up FOLDER: vaultkit.toml for the notes there, or a sample vault if empty.

    In a folder that holds notes, finds the people (a People or Contacts
    folder, or notes tagged as people), the daily notes and the notes with
    attendees, writes vaultkit.toml saying so and prints a summary; it makes
    no folder and no sample person. In an empty folder it makes the folders,
    a sample person and a sample event. Nothing that exists is overwritten.

    Example: vaultkit init my-network
    """
    from datetime import timedelta

    from vaultkit.commands.init import init_existing, init_vault, is_existing_vault, summary

    today = today or date.today()
    target = Path(vault) if vault and str(folder) == "." else folder
    if is_existing_vault(target):
        created, found = init_existing(target, today.isoformat())
        click.echo(f"{'created' if created else 'kept   '} {target / 'vaultkit.toml'}")
        click.echo(summary(found))
    else:
        for name, created in init_vault(target, today.isoformat(), (today + timedelta(days=14)).isoformat()):
            click.echo(f"{'created' if created else 'kept   '} {target / name}")
    click.echo(f"Next: vaultkit build --vault {target}")


@cli.command()
@click.argument("name")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag; repeat for several.")
@click.option("--cadence", default="", help="How often to check in: monthly, quarterly, 6w, ...")
@click.option("--email", "emails", multiple=True, metavar="ADDRESS", help="Email address; repeat for several.")
@click.option("--company", default="", help="Company or organisation.")
@click.option("--role", default="", help="Role or job title.")
@click.option("--alias", "aliases", multiple=True, metavar="NAME", help="Another name links may use; repeat for several.")
@click.option("--birthday", default="", metavar="YYYY-MM-DD|--MM-DD", help="Birthday; --MM-DD when the year is unknown.")
@click.option("--met", type=DATE, help="The day you met.")
@vault_options()
def add(
    name: str, tags: tuple[str, ...], cadence: str, emails: tuple[str, ...], company: str, role: str,
    aliases: tuple[str, ...], birthday: str, met: date | None, vault: str | None, today: date | None,
) -> None:
    """Create a note for a new person, people/NAME.md, from the person template.

    Where the vault has an Obsidian people template (Templates/Person.md,
    People Template.md, ...), the note starts from it: {{title}} is the name,
    {{date}} today, and the fields given fill its keys. Refuses a name that is
    already a person (by file name or alias) and any name that is not a plain
    file name.

    Example: vaultkit add "Grace Hopper" --tag navy --tag cobol --cadence quarterly
    """
    from vaultkit.edit.person import add_person

    index = load(vault)
    path = add_person(index.settings, index, name, tags, cadence, emails, company, role, aliases, birthday, met, today or date.today())
    click.echo(f"created {path.relative_to(index.settings.root).as_posix()}")


@cli.command()
@click.argument("person")
@click.argument("text", nargs=-1, required=True)
@click.option("--date", "when", type=DATE, help="The day of the interaction (default: today).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag such as help or thanked; repeat for several.")
@vault_options()
def log(person: str, text: tuple[str, ...], when: date | None, tags: tuple[str, ...], vault: str | None, today: date | None) -> None:
    """Add a dated line to PERSON's `## Log` (made at the end if missing).

    PERSON is a file name, alias or name, in any case. Every other byte of the
    note stays as it was.

    Example: vaultkit log Ada "Coffee at King's Cross; she is hiring" --tag hiring
    """
    from vaultkit.commands.reckoning import keep_rows
    from vaultkit.edit.person import append_log, log_line

    settings, who, loaded = person_named(person, vault)
    day = today or date.today()
    line = log_line(when or day, " ".join(text), tags)
    append_log(settings, who, line)
    click.echo(f"{who.path}: {line}")
    keep_rows(loaded, day)


@cli.command()
@click.argument("person")
@click.argument("until", metavar="2w|DATE")
@vault_options()
def snooze(person: str, until: str, vault: str | None, today: date | None) -> None:
    """No check-in reminder for PERSON until a date: `2w`, `10d`, `3m`, `1y` from
    today, or YYYY-MM-DD.

    Sets `snooze_until:` in the note's front matter; every other line stays as
    it was (key order, comments, quoting, line endings).

    Example: vaultkit snooze "Hannah Kowalski" 2w
    """
    from vaultkit.commands.reckoning import keep_rows
    from vaultkit.edit.verbs import snooze as run_snooze
    from vaultkit.edit.verbs import snooze_date

    now = today or date.today()
    settings, who, loaded = person_named(person, vault)  # (a name that is no one's is said first)
    day = snooze_date(until, now)
    run_snooze(settings, who, day)
    click.echo(f"{who.path}: snooze_until: {day.isoformat()}")
    keep_rows(loaded, now)


@cli.command()
@click.argument("person")
@click.argument("which", nargs=-1, required=True, metavar="ID-TEXT-OR-NUMBER")
@vault_options()
def done(person: str, which: tuple[str, ...], vault: str | None, today: date | None) -> None:
    """Tick one of PERSON's open follow-ups and add the Tasks plugin's `✅ date`.

    Name it by the id `vaultkit show PERSON` prints after it (it stays while
    the text does), by a piece of its text (case-insensitive) that matches
    only that one, or by its number there (which shifts after each done).

    Example: vaultkit done Priya "call for proposals"
    """
    from vaultkit.commands.reckoning import keep_rows
    from vaultkit.edit.verbs import done as run_done
    from vaultkit.edit.verbs import pick_followup

    settings, who, loaded = person_named(person, vault)
    task = pick_followup(who, " ".join(which))
    day = today or date.today()
    run_done(settings, who, task, day)
    click.echo(f"{task.source or who.path}:{task.line}: done: {' '.join(task.text.split())}")
    keep_rows(loaded, day)


@cli.command()
@click.argument("person")
@click.argument("text", nargs=-1)
@click.option("--date", "when", type=DATE, help="The day you thanked them (default: today).")
@vault_options()
def thank(
    person: str, text: tuple[str, ...], when: date | None, vault: str | None, today: date | None
) -> None:
    """Log that you thanked PERSON: a #thanked line at the end of their `## Log`.

    Without TEXT the line says what the thanks was for (the favours still owed).
    It clears those favours from the Thank-you page at the next build.

    Example: vaultkit thank Nadia "Sent flowers for the referral"
    """
    from vaultkit.commands.reckoning import answered, keep_rows
    from vaultkit.edit.verbs import thank as run_thank
    from vaultkit.rules.cards import Asked, Cards

    day = today or date.today()

    def answer(loaded: Any) -> tuple[Any, Any]:
        """The person, and their favours waiting for thanks (from the rows, or the index)."""
        who = named_in(loaded, person, vault)
        asked = Cards(loaded.rows) if loaded.rows is not None else Asked(loaded.index)  # (no rows: the index)
        return who, asked.thanks_owed(who, day)

    settings = settings_for(vault)
    (who, owed), loaded = answered(settings, answer)
    _, line = run_thank(settings, who, " ".join(text), when or day, owed)
    click.echo(f"{who.path}: {line}")
    keep_rows(loaded, day)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of text.")
@click.option("--all", "show_all", is_flag=True, help="Every entry of each section, not only the page_limit most urgent.")
@vault_options()
def due(as_json: bool, show_all: bool, vault: str | None, today: date | None) -> None:
    """Today's reminders in the terminal: overdue check-ins first, with reasons.

    Each section shows its page_limit (20) most urgent entries, as Reminders.md
    does, and says how many more there are; --all shows them all.

    Example: vaultkit due --today 2026-12-01
    """
    from vaultkit.commands.build import require_people
    from vaultkit.commands.reckoning import answered, keep_rows

    def answer(loaded: Any, today: date) -> str:
        settings = loaded.settings
        if loaded.rows is not None:
            require_people(settings, len(loaded.rows))
            sections, reasons = loaded.rows.sections(today), loaded.rows.reasons
        else:  # a note changed since the rows were made: the index, as without them
            from vaultkit.rules.reminders import due_now

            require_people(settings, len(loaded.index.people))
            sections, reasons = due_now(loaded.index, today)
        from vaultkit.pages.views import reminders_context

        context = reminders_context(settings, sections, today, reasons, None if show_all else -1)
        if as_json:
            import json

            from vaultkit.pages.views import due_data

            return json.dumps(due_data(context), indent=2, ensure_ascii=False) + "\n"
        from vaultkit.pages.render import Renderer

        return Renderer(settings, link_style="plain").render_text("Reminders.md.j2", **context)

    day = today or date.today()
    question = ("due", day.isoformat(), as_json, show_all)  # (asked again the same day: commands/answers.py)
    text, loaded = answered(settings_for(vault), lambda loaded: answer(loaded, day), question)
    click.echo(text, nl=False)
    keep_rows(loaded, day)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of Markdown.")
@click.option("--mail", "send", is_flag=True, help="Send it by mail with the [mail] settings; "
              "the password from VAULTKIT_SMTP_PASSWORD. Nothing due sends nothing.")
@vault_options()
def digest(as_json: bool, send: bool, vault: str | None, today: date | None) -> None:
    """Today's short list: overdue check-ins, follow-ups due, birthdays this week,
    thanks owed; each with who, why now and what to say.

    Markdown on standard output (`Nothing due today.` when so); --mail sends it
    instead, for a morning cron job or timer (docs/every-morning.md).

    Example: vaultkit digest --mail
    """
    from vaultkit.commands import digest as made

    index = load(vault)
    found = made.digest(index, today or date.today())
    if as_json:
        import json

        click.echo(json.dumps(made.as_data(index, found), indent=2, ensure_ascii=False))
    if not send:
        if not as_json:
            click.echo(made.markdown(index, found), nl=False)
        return
    if found.empty:
        click.echo("Nothing due today: no mail sent.", err=True)
        return
    from vaultkit.commands.mail import PASSWORD_ENV, send_mail

    mail = index.settings.mail
    send_mail(index.settings, made.subject(found), made.markdown(index, found), os.environ.get(PASSWORD_ENV, ""))
    click.echo(f"sent the digest to {', '.join(mail.to)} through {mail.host}:{mail.port} ({found.summary})", err=True)


@cli.command()
@click.argument("person")
@click.option("--json", "as_json", is_flag=True, help="Print the interactions and follow-ups as JSON, each with its note's path and line.")
@vault_options()
def show(person: str, as_json: bool, vault: str | None, today: date | None) -> None:
    """A prep card before meeting PERSON: how you met, last interactions,
    open follow-ups, interests, what you owe them.

    Example: vaultkit show "Ada Lovelace"
    """
    from vaultkit.commands.reckoning import (
        answered,
        day_introductions,
        keep_introductions,
        keep_rows,
    )

    def answer(loaded: Any, today: date) -> str:
        from vaultkit.edit.find import find_person, name_key
        from vaultkit.rules.cards import Asked, Cards  # (with matchmaking: not for an answer kept)

        asked: Any = None
        day = day_introductions(loaded, today)
        if day is None:  # (for the next show: made once the card is printed)
            keep_introductions(loaded, today)
        if loaded.rows is not None:
            cards = Cards(loaded.rows)
            cards.day = None if day is None else (today, day)
            at = cards.find(name_key(person))
            if at is not None:
                asked, who = cards, loaded.rows.person(at)
        if asked is None:  # a note changed since the rows were made; or no one, or several, by
            # that name: the index's find_person says which, or guesses
            index = loaded.index or load(vault)
            asked, who = Asked(index), find_person(index, person)
        if as_json:
            import json

            from vaultkit.pages.views import card_data

            return json.dumps(card_data(asked, who, today), ensure_ascii=False, indent=2) + "\n"
        from vaultkit.pages.render import Renderer
        from vaultkit.pages.views import card_context

        context = card_context(asked, who, today)
        return Renderer(loaded.settings, link_style="plain").render_text("card.md.j2", **context)

    day = today or date.today()
    question = ("show", person, day.isoformat(), as_json)  # (asked again the same day: commands/answers.py)
    text, loaded = answered(settings_for(vault), lambda loaded: answer(loaded, day), question)
    click.echo(text, nl=False)
    keep_rows(loaded, day)


@cli.command()
@click.option("--strict", is_flag=True, help="Count warnings as problems too (exit 1).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@vault_options()
def check(strict: bool, fmt: str, vault: str | None, today: date | None) -> None:
    """List every problem in the vault with file and line; exit 1 if any.

    Unreadable notes, invalid YAML, bad dates, unknown cadences, links to
    nobody, duplicate names or aliases. Warnings (such as interactions dated
    after today) count only with --strict.

    Example: vaultkit check --strict
    """
    from vaultkit.commands.check import check_vault

    index = load(vault)
    problems = check_vault(index, today or date.today())
    counted = [p for p in problems if strict or p.severity == "error"]
    if fmt == "json":
        import json

        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        notes = len(index.people) + len(index.events) + len(index.resources)
        from vaultkit.pages.render import plural

        files = len({p.path for p in problems})
        # the summary goes to stderr: stdout holds only `path:line: message` lines
        click.echo(f"{plural(len(problems), 'problem')} in {plural(files, 'file')}; {plural(notes, 'note')} read", err=True)
    if counted:
        sys.exit(1)


@cli.group("import")
def import_group() -> None:
    """Bring people in from address books, and interactions in from mail, calendars and
    LinkedIn messages.

    Example: vaultkit import linkedin Connections.csv --dry-run
    """


def contact_import(source: str, what: str) -> Callable:
    @import_group.command(source)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Change nothing; print what would be created and merged.")
    @click.option("--tag", "tags", multiple=True, metavar="TAG", help="Add this tag to every imported person; repeat for several.")
    @vault_options(dated=False)
    def command(file: Path, dry_run: bool, tags: tuple[str, ...], vault: str | None) -> None:
        import_(source, file, dry_run, tags, vault)

    command.help = f"""Bring contacts in from {what}.

    Each contact becomes a new note in the people folder, or is merged into the
    person it matches (by email, LinkedIn profile, then name or alias): missing keys
    are added and lists extended; nothing you wrote is changed. Importing the same
    file again changes nothing.

    Example: vaultkit import {source} FILE --tag {source} --dry-run
    """
    return command


contact_import("linkedin", "LinkedIn's Connections.csv")
contact_import("google", "a Google Contacts CSV")
contact_import("vcard", "a vCard file (.vcf)")


def import_(source: str, file: Path, dry_run: bool, tags: tuple[str, ...], vault: str | None) -> None:
    """Contacts from `file` into the people folder."""
    from vaultkit.importers import read_contacts
    from vaultkit.importers.merge import apply, plan_import

    index = load(vault)
    parsed = read_contacts(source, file)
    plan = plan_import(index, parsed, tags)
    applied = None
    if not dry_run:
        quiet = len(parsed.contacts) <= 300 or not sys.stderr.isatty()
        with click.progressbar(plan.changes, label="Writing notes", file=sys.stderr, hidden=quiet) as bar:
            applied = apply(index.settings, bar)
    for line in plan.change_lines(applied):
        click.echo(line)
    for line in plan.notice_lines(applied.failed if applied else ()):
        secho(line, fg="yellow", err=True)
    click.echo(plan.summary(applied))
    if applied and applied.failed:  # a note that could not be written (a full disk, a read-only folder)
        sys.exit(1)


def interaction_import(kind: str, path_type: click.Path, summary: str, example: str) -> Callable:
    @import_group.command(kind)
    @click.argument("path", type=path_type)
    @click.option("--dry-run", is_flag=True, help="Write nothing; print the ledger lines that would be added.")
    @click.option("--since", type=DATE, help="Only interactions on or after this day.")
    @click.option("--me", "me", multiple=True, metavar="ADDRESS",
                  help="One of your own addresses (LinkedIn: your profile URL); repeat for several. "
                  "Default: `me` in vaultkit.toml.")
    @click.option("--no-subjects", is_flag=True, help="Keep no subject or title, only the day, the kind and who.")
    @vault_options()
    def command(path: Path, dry_run: bool, since: date | None, me: tuple[str, ...], no_subjects: bool,
                vault: str | None, today: date | None) -> None:
        from vaultkit.importers.interactions import run
        from vaultkit.importers.tally import Options

        index = load(vault)
        settings = index.settings
        options = Options(
            today=today or date.today(),
            since=since,
            me=tuple(m.strip().lower() for m in me) or settings.me,
            ignore=settings.ignore_addresses,
            max_recipients=settings.max_recipients,
            max_attendees=settings.max_attendees,
            subjects=not no_subjects,
        )

        def wrap(items, count):  # a progress bar only on a terminal
            if not sys.stderr.isatty():
                return items

            def shown():
                with click.progressbar(items, length=count(), label=f"Reading {path.name}", file=sys.stderr) as bar:
                    yield from bar

            return shown()

        report = run(kind, path, index, options, dry_run, wrap)
        for line in report.change_lines():
            click.echo(line)
        for line in report.notice_lines():
            click.secho(line, fg="yellow", err=True)
        for line in report.summary_lines():
            click.echo(line)

    command.help = f"""{summary}

    Each interaction with a person in the vault becomes one line of a ledger note,
    Interactions/YYYY-MM {kind.split("-")[0]}.md, ending with a block id: importing the same
    file again adds nothing, and lines you edited are kept. Only the day, the kind,
    who and a subject or title are kept, never a message's text. Ends with the
    people seen most often who are not in the vault.

    Example: {example}
    """
    return command


interaction_import(
    "mail",
    click.Path(exists=True, path_type=Path),
    "Interactions from mail: an mbox file (Gmail Takeout, Thunderbird) or a Maildir folder.",
    "vaultkit import mail ~/Takeout/Mail/All.mbox --me ada@example.com --since 2025-01-01",
)
interaction_import(
    "calendar",
    click.Path(exists=True, dir_okay=False, path_type=Path),
    "Interactions from a calendar: every event in an .ics file that took place with people in the vault.",
    "vaultkit import calendar ~/Downloads/calendar.ics --me ada@example.com",
)
interaction_import(
    "linkedin-messages",
    click.Path(exists=True, dir_okay=False, path_type=Path),
    "Interactions from LinkedIn messages: messages.csv from LinkedIn's data export.",
    "vaultkit import linkedin-messages ~/Downloads/messages.csv --dry-run",
)


@cli.group()
def export() -> None:
    """Write the vault out for other tools: contacts as vCard, reminders as a calendar."""


@export.command("vcard")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (default: standard output).")
@vault_options(dated=False)
def export_vcard(output: Path | None, vault: str | None) -> None:
    """Every person as a vCard 4.0, with cadence, snooze and other vaultkit keys in X- fields.

    Importing the file into an empty vault gives the same people and keys.

    Example: vaultkit export vcard -o network.vcf
    """
    from vaultkit.exporters.vcard import export_vcard as make

    index = load(vault)
    write_export(make(index), output, f"{len(index.people)} people")


@export.command("ics")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (default: standard output).")
# At most ten years: a calendar of reminders needs no more, and a date past year 9999
# would overflow (`--days 99999999` was an OverflowError, not a usage message).
@click.option("--days", type=click.IntRange(min=1, max=3650), default=30, show_default=True,
              help="How many days ahead to include, 1 to 3650 (ten years).")
@vault_options()
def export_ics(output: Path | None, days: int, vault: str | None, today: date | None) -> None:
    """A calendar (iCalendar) of check-ins due, dated follow-ups, birthdays and upcoming events.

    Each entry keeps its UID from one export to the next, so a calendar that
    subscribes to the file updates entries instead of adding them again.

    Example: vaultkit export ics -o reminders.ics --days 60
    """
    from vaultkit.commands.reckoning import answered, keep_rows
    from vaultkit.exporters.ics import export_ics as make
    from vaultkit.exporters.ics import export_ics_of_rows

    def answer(loaded: Any, day: date) -> tuple[bytes, int]:
        if loaded.rows is not None:
            return export_ics_of_rows(loaded.rows, day, days)
        return make(loaded.index, day, days)  # (no rows: the index)

    day = today or date.today()
    (data, count), loaded = answered(settings_for(vault), lambda loaded: answer(loaded, day))
    write_export(data, output, f"{count} calendar entries")
    keep_rows(loaded, day)


def write_export(data: bytes, output: Path | None, what: str) -> None:
    """Bytes to standard output, or atomically to a file with a line saying so."""
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        return
    from vaultkit.write import atomic_write

    try:
        atomic_write(output.resolve(), data)
    except OSError as exc:
        raise VaultkitError(f"{output}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {output} ({what})", err=True)


@cli.command()
@click.option("--poll", is_flag=True, help="Look at the disk every second instead of using OS events "
              "(network drives, containers, or when the watch limit is reached).")
@vault_options()
def watch(poll: bool, vault: str | None, today: date | None) -> None:
    """Build the pages, then rebuild them each time a note is saved, until Ctrl-C.

    Only the notes that changed are read again and only the pages whose text
    changed are written. Prints one line per rebuild; a broken note is reported
    and its last good version kept until it reads again. Without --today the
    date follows the clock, past midnight too.

    Example: vaultkit watch --vault example-vault
    """
    import signal

    from vaultkit.watch import Watcher

    def echo(line: str, colour: str | None) -> None:
        secho(line, fg=colour, err=colour is not None)

    watcher = Watcher(settings_for(vault), today=today, poll=poll, echo=echo, freeze=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it as Ctrl-C does
    try:
        watcher.run()
    except KeyboardInterrupt:
        click.echo("Stopped watching.")


# What `vaultkit --help` lists: each command's whole first sentence, never cut off.
SHORT_HELP = {
    "init": "Set up a vault: settings for the notes there, or a sample.",
    "build": "Read the vault and write every overview page.",
    "add": "Create a note for a new person.",
    "log": "Add a dated line to a person's Log.",
    "snooze": "No check-in reminder for a person until a date.",
    "done": "Tick one of a person's open follow-ups.",
    "thank": "Log that you thanked a person.",
    "due": "Today's reminders in the terminal.",
    "show": "A prep card before meeting a person.",
    "check": "List every problem in the vault; exit 1 if any.",
    "import": "Bring in contacts, and contact from mail and calendars.",
    "digest": "Today's short list of whom to write to, and why.",
    "export": "Write contacts as vCard, reminders as a calendar.",
    "watch": "Rebuild the pages each time a note is saved.",
}
IMPORT_SHORT_HELP = {
    "linkedin": "People from LinkedIn's Connections.csv.",
    "google": "People from a Google Contacts CSV export.",
    "vcard": "People from a vCard file (a phone, Outlook, Gmail).",
    "mail": "Contact from an mbox file or a Maildir, as ledger notes.",
    "calendar": "Contact from the meetings of an .ics calendar.",
    "linkedin-messages": "Contact from LinkedIn's messages.csv export.",
}
EXPORT_SHORT_HELP = {
    "ics": "A calendar of check-ins, follow-ups, birthdays, events.",
    "vcard": "Every person as a vCard 4.0.",
}
for _name, _text in SHORT_HELP.items():
    if _name in cli.commands:
        cli.commands[_name].short_help = _text
for _name, _text in IMPORT_SHORT_HELP.items():
    if _name in import_group.commands:
        import_group.commands[_name].short_help = _text
for _name, _text in EXPORT_SHORT_HELP.items():
    if _name in export.commands:
        export.commands[_name].short_help = _text


def main() -> NoReturn:
    """The console script: Click's own handling, plus no traceback for an internal error.

    The process ends with the command, without freeing the index object by object (read/
    collector.py): a tenth of a warm `vaultkit due` at 10,000 people."""
    from vaultkit.read import collector

    collector.ends_process()
    try:
        run()
    except SystemExit as done:
        collector.end(done.code)
    collector.end(0)


def run() -> None:
    """The CLI with its error handling; ends by raising SystemExit, as Click does."""
    try:
        cli.main(prog_name="vaultkit")
    except MemoryError:
        click.secho("vaultkit: ran out of memory; nothing more was written. A very big note, import or "
                    "template? See docs/troubleshooting.md", fg="red", err=True)
        sys.exit(1)
    except Exception as exc:  # an internal bug: say so briefly, not with a traceback
        if "--debug" in sys.argv[1:] or os.environ.get("VAULTKIT_DEBUG"):
            raise
        secho(
            f"vaultkit: internal error: {type(exc).__name__}: {exc}\n"
            f"This is a bug in vaultkit, not in your notes. Run again with --debug for the "
            f"traceback and report it to {ISSUES_URL}.",
            fg="red",
            err=True,
        )
        sys.exit(2)


__all__ = ["cli", "main", "run", "VaultkitError"]
