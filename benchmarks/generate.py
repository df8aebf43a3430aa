"""A realistic generated vault of N people, for benchmarks.

    python benchmarks/generate.py 10000 /tmp/vault-10k [--seed 7]

or, from another benchmark:

    from generate import generate, TODAY
    generate(10_000, Path("/tmp/vault-10k"), seed=7)

The same N and seed give the same files, byte for byte. People come in three
tiers, as in a large network: 60% imported and barely touched (a few keys or
none, 0-2 log lines), 32% known (tags, met, a cadence for 30% of them, 0-15
log lines), 8% close (every key the format knows, 5-40 log lines, follow-ups).
Logs have interactions tagged the way real logs are (#intro, #help, #thanked, ...),
follow-ups open and done, links to other people, a few links to nobody and a
few notes with a problem (as a real vault has); there are events and resources,
one per 100 people up to 100 of each: a bigger network does not go to ten times as
many events, and since each upcoming event lists every matching person as an
invitee (and each resource is matched against everyone), events and resources
growing with the people would make the pages grow with the square of the network. Dates are spread around TODAY,
so every page of a build for `--today TODAY` has content.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 12, 1)  # pass --today with this date so the pages are deterministic

FIRST = (
    "Ada Grace Alan Barbara Charles Dennis Edsger Frances Guido Hedy Ivan John Katherine Linus "
    "Margaret Niklaus Ole Radia Shafi Tim Vint Whitfield Yukihiro Anita Bjarne Carol Donald Evelyn "
    "Fernando Gladys Hal Irene Jean Ken Leslie Mary Nancy Peter Rasmus Sophie Tony Ursula Vera "
    "Wendy Xavier Yolanda Zoe Aiko Bruno Chidi Dalia Emeka Farah Gustavo Hana Ines Jamal Kofi Lena "
    "Mateo Nadia Omar Priya Quentin Rosa Sven Tariq Uma Viktor Wanjiru Ximena Yusuf Zainab Amara "
    "Bilal Camille Diego Elif Femi Greta Hiro Ingrid Javier Kenji Leila Marek Noor Olga Pablo Rhea "
    "Samir Tove Ulla Vikram Wei Yara Zeynep Anders Beatriz Cyrus Dmitri Esme Felix Gita Hugo Ilse "
    "Jonas Kira Luca Maya Nils Oona Paulo Quinn Ravi Selin Theo Una Vito Willa Yannick Zora"
).split()
ONSETS = "B C D F G H J K L M N P R S T V W Br Ch Dr Fr Gr Kr Pr St Tr Sch Th Wh Bl".split()
MIDDLES = "a e i o u ai ea ou ie au".split()
ENDS = "rt ll nn ck mp nd rd son man berg ford ley ton wick sen ssen dal stad ez ski ova ini elli ard er".split()

TAGS = (
    "python rust data ml design product sales marketing hiring investor mentor mentee founder "
    "friend family neighbour climber runner chess music poetry photography london berlin paris "
    "nyc remote speaker organiser open-source security devops frontend backend research academia "
    "health fintech edtech climate journalism"
).split()
INTERESTS = (
    "compilers poetry gardening sailing cycling cooking jazz typography databases distributed-systems "
    "nlp visualisation accessibility ethics economics history philosophy football cricket film"
).split()
GROUP_WORDS = "PSF IEEE ACM PyData Rust-Lang Women-in-Data Climbing-Club Book-Club Alumni Meetup".split()
CITIES = "London Berlin Paris Lisbon Amsterdam Nairobi Lagos Tokyo Toronto Austin".split()
COMPANIES = "Analytical Engines|Kestrel Health|Northwind|Globex|Initech|Umbrella Labs|Hooli|Acme Data|Stark Analytics|Wayne Fintech".split("|")
ROLES = ("CTO", "Engineer", "Data Scientist", "Designer", "Product Manager", "Founder", "Recruiter", "Researcher", "Writer", "")
CADENCES = ("weekly", "biweekly", "monthly", "quarterly", "yearly", "6w", "10d", "3m", "1y")
WHAT = (
    "Coffee in King's Cross", "Call about the new role", "Lunch near the office", "Met at the meetup",
    "Long walk and catch-up", "Video call; talked about hiring", "Drinks after the conference",
    "Reviewed a draft of the talk", "Quick chat on the train", "Dinner with the team",
    "Sent the recording of my talk", "Exchanged notes on the project",
)
FAVOURS = (("intro", "Introduced me to {link}"), ("help", "Helped me debug the deploy"),
           ("gift", "Sent me a book"), ("referral", "Referred me to {link}"))
TASKS = ("Send the call for proposals", "Share the slides", "Ask about the job opening",
         "Book the next coffee", "Send the article on {topic}", "Introduce to {link}")


def _names(n: int, rng: random.Random) -> list[str]:
    """N distinct display names, first name + a made-up surname."""
    surnames = sorted({o + m + e for o in ONSETS for m in MIDDLES for e in ENDS})
    total = len(FIRST) * len(surnames)
    if n > total:
        raise ValueError(f"at most {total} people")
    picks = rng.sample(range(total), n)
    return [f"{FIRST[i % len(FIRST)]} {surnames[i // len(FIRST)]}" for i in picks]


def _day(rng: random.Random, back: int, ahead: int = 0) -> date:
    return TODAY + timedelta(days=rng.randint(-back, ahead))


def _inline_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _person(i: int, name: str, names: list[str], groups: list[str], rng: random.Random) -> str:
    """One person. Three tiers, as a large network has them: most contacts were imported
    and barely touched (a few keys, a line or two of log), some are known (tags, a cadence
    now and then, a short log), a few are close (every key, long logs, follow-ups)."""

    def link() -> str:
        return f"[[{rng.choice(names)}]]"

    tier = rng.random()
    close, known = tier > 0.92, 0.6 < tier <= 0.92
    fm: list[str] = []
    first = name.split()[0]
    if known or close or rng.random() < 0.7:
        fm.append(f"email: {first.lower()}.{i}@example.com")
        fm.append(f"company: {rng.choice(COMPANIES)}")
        if known or close or rng.random() < 0.5:
            fm.append(f"tags: {_inline_list(rng.sample(TAGS, rng.randint(1, 4 if close else 2)))}")
    if known or close:
        role = rng.choice(ROLES)
        if role:
            fm.append(f"role: {role}")
        fm.append(f"met: {_day(rng, 6 * 365, 0).isoformat()}")
        if rng.random() < (0.9 if close else 0.3):
            fm.append(f"cadence: {rng.choice(CADENCES)}")
        fm.append(f"how_met: {rng.choice(('PyCon UK', 'a friend', 'work', 'the climbing gym', 'Twitter', 'university'))}")
        if rng.random() < 0.6:
            fm.append(f"interests: {_inline_list(rng.sample(INTERESTS, rng.randint(1, 3)))}")
        if rng.random() < 0.5:
            fm.append(f"groups: {_inline_list(rng.sample(groups, rng.randint(1, 2)))}")
    elif rng.random() < 0.03:
        fm.append(f"cadence: {rng.choice(CADENCES)}")
    if close:
        fm.append(f"aliases: [{first} {i}]")
        fm.append(f'phone: "+44 20 7946 {i % 10000:04d}"')
        b = _day(rng, 365)
        if rng.random() < 0.7:
            fm.append(f"birthday: {rng.randint(1950, 2000)}-{b.month:02d}-{min(b.day, 28):02d}")
        else:
            fm.append(f'birthday: "--{b.month:02d}-{min(b.day, 28):02d}"')
        fm.append("social:")
        fm.append(f"  linkedin: https://www.linkedin.com/in/{first.lower()}{i}")
        if rng.random() < 0.5:
            fm.append(f'  mastodon: "@{first.lower()}{i}@hachyderm.io"')
        if rng.random() < 0.5:
            fm.append(f'introduced_by: "{link()}"')
        fm.append(f"status: {rng.choices(('active', 'paused', 'archived'), (8, 1, 1))[0]}")
        if rng.random() < 0.1:
            fm.append(f"snooze_until: {_day(rng, -1, 60).isoformat()}")
    if rng.random() < 0.2:
        fm.append(f"source: import-{rng.randint(1, 9)}")  # a key vaultkit does not know
    if rng.random() < 0.002 and not any(f.startswith("cadence:") for f in fm):
        fm.append("cadence: sometimes")  # a problem, as in a real vault
    lines = ["---", *fm, "---"] if fm else []
    lines.append(
        f"{first} works on {rng.choice(TAGS)} and cares about {rng.choice(INTERESTS)}. "
        f"We first talked about {rng.choice(INTERESTS)} in {rng.choice(CITIES)}."
    )
    if close or rng.random() < 0.2:
        lines += ["", f"Partner: {rng.choice(FIRST)}. Kids: {rng.randint(0, 3)}. Likes {rng.choice(INTERESTS)}."]
    if close:
        count = rng.randint(5, 40)
    elif known:
        count = rng.randint(0, 15)
    else:
        count = rng.choice((0, 0, 0, 1, 1, 2))
    if count:
        lines += ["", "## Log"]
        days = sorted(_day(rng, (2 if close else 5) * 365, 20) for _ in range(count))
        for k, d in enumerate(days):
            roll = rng.random()
            if roll < 0.03:
                kind, text = rng.choice(FAVOURS)
                line = f"- {d.isoformat()} {text.format(link=link())}. #{kind}"
            elif roll < 0.08 and k:
                line = f"- {d.isoformat()} Sent a thank-you card. #thanked"
            elif roll < 0.25:
                line = f"- {d.isoformat()} {rng.choice(WHAT)} with {link()}. #{rng.choice(TAGS)}"
            else:
                line = f"- {d.isoformat()} {rng.choice(WHAT)}."
            lines.append(line)
    tasks = rng.randint(0, 3) if close else rng.choice((0, 0, 0, 0, 0, 1)) if known else 0
    if tasks:
        lines += ["", "## Follow-ups"]
        for _ in range(tasks):
            text = rng.choice(TASKS).format(topic=rng.choice(INTERESTS), link=link())
            if rng.random() < 0.3:
                lines.append(f"- [x] {text} ✅ {_day(rng, 200).isoformat()}")
            elif rng.random() < 0.7:
                lines.append(f"- [ ] {text} 📅 {_day(rng, 60, 60).isoformat()}")
            else:
                lines.append(f"- [ ] {text}")
    if rng.random() < 0.005:
        lines += ["", "See also [[Nobody In Particular]]."]  # a link to nobody: a warning
    return "\n".join(lines) + "\n"


def _event(j: int, names: list[str], rng: random.Random) -> tuple[str, str]:
    when = _day(rng, 300, 45)
    title = f"{rng.choice(('Python', 'Data', 'Design', 'Founders', 'Climbing', 'Book'))} {rng.choice(('meetup', 'dinner', 'conference', 'workshop', 'drinks'))} {j}"
    attendees = ", ".join(f'"[[{n}]]"' for n in rng.sample(names, min(len(names), rng.randint(0, 20))))
    text = (
        f"---\ndate: {when.isoformat()}\nlocation: {rng.choice(CITIES)}\n"
        f"invite: {_inline_list(rng.sample(TAGS, rng.randint(1, 2)))}\nattendees: [{attendees}]\n---\n"
        f"Agenda and notes for {title}.\n"
    )
    if rng.random() < 0.3:
        text += f"\n- [ ] Send the photos 📅 {(when + timedelta(days=3)).isoformat()}\n"
    return f"{when.isoformat()} {title}.md", text


def _resource(j: int, names: list[str], rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(("article", "job", "tool", "event"))
    title = f"{rng.choice(INTERESTS).replace('-', ' ').title()} {kind} {j}"
    shared = ", ".join(f'"[[{n}]]"' for n in rng.sample(names, min(len(names), rng.randint(0, 3))))
    text = (
        f"---\nurl: https://example.com/{kind}/{j}\nkind: {kind}\n"
        f"tags: {_inline_list(rng.sample(TAGS + INTERESTS, rng.randint(1, 3)))}\n"
        f"added: {_day(rng, 120).isoformat()}\nshared_with: [{shared}]\n---\n"
        f"Why it matters: {rng.choice(WHAT).lower()}.\n"
    )
    return f"{title}.md", text


def _daily(day: date, names: list[str], rng: random.Random) -> str:
    """A daily note: a line or two of the day, some linking people met ("Lunch with [[Ada]]")."""
    lines = [f"# {day.strftime('%A %d %B %Y')}", ""]
    for _ in range(rng.randint(1, 5)):
        kind = rng.random()
        if kind < 0.45:
            who = rng.sample(names, rng.choice((1, 1, 2)))
            lines.append(f"{rng.choice(MEETINGS)} with " + " and ".join(f"[[{w}]]" for w in who) + rng.choice(("", "", " #help", " #thanked")))
        elif kind < 0.6:
            lines.append(f"- [ ] Send [[{rng.choice(names)}]] the notes 📅 {(day + timedelta(days=rng.randint(1, 20))).isoformat()}")
        else:
            lines.append(rng.choice(("Wrote most of the day.", "Read about [[Compilers]].", "Gym, then errands.", "> A quote from [[Nobody]]")))
    return "\n".join(lines) + "\n"


def _meeting(k: int, day: date, names: list[str], rng: random.Random) -> tuple[str, str]:
    who = rng.sample(names, rng.randint(1, 4))
    topic = rng.choice(("Roadmap", "Hiring", "Review", "Intro call", "Planning", "Catch-up"))
    people = ", ".join(f'"[[{w}]]"' for w in who)
    text = f"---\ndate: {day.isoformat()}T{9 + k % 8:02d}:30\ntype: meeting\npeople: [{people}]\n---\nNotes of the {topic.lower()}.\n"
    return f"{day.isoformat()} {topic} {k}.md", text


MEETINGS = ("Lunch", "Coffee", "Call", "Walk", "Drinks", "Video chat")


def generate(n: int, folder: Path, seed: int = 7, daily_days: int = 0, meetings: int = 0) -> dict[str, int]:
    """Write a vault of n people (plus events and resources) into folder; return the counts.

    `daily_days`: daily notes in Daily/ for that many days up to TODAY; `meetings`: meeting
    notes with a `people:` list in Meetings/ (both from a random generator of their own, so the
    people notes are the same with or without them).

    Existing files of the same names are overwritten; nothing else is touched.
    """
    rng = random.Random(seed)
    folder = Path(folder)
    for sub in ("people", "events", "resources"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "vaultkit.toml").write_text('output_dir = "Overview"\n', encoding="utf-8")
    names = _names(n, rng)
    group_count = max(5, min(300, n // 100))
    groups = [f"{GROUP_WORDS[g % len(GROUP_WORDS)]} {CITIES[g // len(GROUP_WORDS) % len(CITIES)]}" + (f" {g // 100}" if g >= 100 else "") for g in range(group_count)]
    for i, name in enumerate(names):
        with open(folder / "people" / f"{name}.md", "w", encoding="utf-8", newline="") as handle:
            handle.write(_person(i, name, names, groups, rng))
    events = max(3, min(n // 100, 100))
    for j in range(events):
        file, text = _event(j, names, rng)
        with open(folder / "events" / file, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    resources = max(3, min(n // 100, 100))
    for j in range(resources):
        file, text = _resource(j, names, rng)
        with open(folder / "resources" / file, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    other = random.Random(seed + 1)
    if daily_days:
        (folder / "Daily").mkdir(exist_ok=True)
        for back in range(daily_days):
            day = TODAY - timedelta(days=back)
            with open(folder / "Daily" / f"{day.isoformat()}.md", "w", encoding="utf-8", newline="") as handle:
                handle.write(_daily(day, names, other))
    if meetings:
        (folder / "Meetings").mkdir(exist_ok=True)
        for k in range(meetings):
            file, text = _meeting(k, TODAY - timedelta(days=other.randint(0, 3 * 365)), names, other)
            with open(folder / "Meetings" / file, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    return {"people": n, "events": events, "resources": resources, "daily": daily_days, "meetings": meetings}


@contextmanager
def given_or_generated(vault: Path | None, people: int, prefix: str, **options: int) -> Iterator[Path]:
    """`vault` if one is given; else a vault of `people` generated (with `options`, as
    generate takes them) in a temporary folder that is removed at the end."""
    if vault is not None:
        yield vault
        return
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        generate(people, work / "vault", **options)
        yield work / "vault"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many people")
    parser.add_argument("folder", type=Path, help="where to write the vault")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--daily-days", type=int, default=0, help="daily notes for that many days (e.g. 1095)")
    parser.add_argument("--meetings", type=int, default=0, help="meeting notes with a people: list (e.g. 2000)")
    args = parser.parse_args()
    counts = generate(args.n, args.folder, seed=args.seed, daily_days=args.daily_days, meetings=args.meetings)
    print(f"{args.folder}: {counts['people']} people, {counts['events']} events, "
          f"{counts['resources']} resources; build with --today {TODAY.isoformat()}")


if __name__ == "__main__":
    main()
