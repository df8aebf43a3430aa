"""The Jinja environment: built-in templates, the vault's overrides, filters for links and dates.

Templates are code and notes are data: note text reaches a template only as
values. The vault's own templates (its templates/ folder) are rendered in a
sandbox, so a template copied from elsewhere cannot reach Python internals;
the built-in templates are vaultkit's code and are rendered without it.
"""

from __future__ import annotations

import posixpath
import re
import stat
from dataclasses import is_dataclass
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    pass_context,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from vaultkit.errors import VaultkitError
from vaultkit.model import Event, Person, Resource
from vaultkit.pages import template_cache
from vaultkit.pages.text import (  # noqa: F401 - the filters, part of this module's interface
    DAYS,
    MONTHS,
    day_month,
    hashtags,
    long_date,
    one_line,
    reason_text,
    short_date,
    span,
    unlinked,
)
from vaultkit.settings import Settings
from vaultkit.words import MARKER, plural  # noqa: F401 - MARKER and plural are part of this module's interface


def builtin_templates() -> Path:
    """The package's own folder, as importlib.resources.files() gives it for a package on disk,
    without importing importlib.resources (3 ms at the start of every command that renders)."""
    import vaultkit.templates

    return Path(vaultkit.templates.__file__).parent




class Quoted(str):
    """Text already made safe for a page (a link, a line of note text): not escaped again."""

    __slots__ = ()


HTML_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # what starts a tag or a comment; `a < b` and `<3` stay
MARKDOWN = re.compile(r"([\\\[\]])")  # what opens, closes or escapes a Markdown link
WIKI_UNSAFE = re.compile(r"[\[\]|#^]")  # what a wiki link's target or label cannot hold


# A code span as CommonMark reads it for certain: one backtick, not escaped and not part of a
# longer run, to the next single one on the line. Anything less certain is escaped (at worst
# an `&lt;` shows inside real code): `<b>`` or \`<b>` are no code, and Obsidian would run the tag.
CODE_SPAN = re.compile(r"(?<![`\\])`[^`\n]++`(?!`)")


def escape_html(text: str) -> str:
    """No HTML tag starts in `text` (Obsidian renders HTML in Markdown), but in code spans,
    where Obsidian shows it as written (and would show `&lt;` too)."""
    if "`" not in text:
        return HTML_TAG.sub("&lt;", text)
    parts, at = [], 0
    for code in CODE_SPAN.finditer(text):
        parts += [HTML_TAG.sub("&lt;", text[at : code.start()]), code.group(0)]
        at = code.end()
    parts.append(HTML_TAG.sub("&lt;", text[at:]))
    return "".join(parts)


def escape_text(text: str) -> str:
    """A value as plain text of a page: no link and no HTML tag can start in it."""
    if "[" in text or "]" in text or "\\" in text:
        text = MARKDOWN.sub(r"\\\1", text)
    return escape_html(text) if "<" in text else text


MAX_PAGE_BYTES = 64 << 20  # what one page of the vault's own templates may come to
MAX_RENDER_SECONDS = 20.0  # how long one page of the vault's own templates may take
MAX_LOOP_STEPS = 10_000_000  # steps through `range()` one page may take (Jinja caps one range at 100,000): seconds of work


class TemplateLimit(TemplateError):
    """A vault template went past a limit of the sandbox (output size, time, loop steps)."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (no internals, no changing the values given), and no path methods,
    and limits: a page's size, its rendering time and its loop steps (see `limits`).

    `settings.root` is a Path: in plain Jinja a template could call its read_text() or
    unlink(). A template may print a path, never use one.
    """

    _own: dict[type, bool] = {}  # type -> one of vaultkit's records (Person, Standing, ...)?
    intercepted_binops = frozenset(["*", "**"])  # "x" * 10**12, 9**9**9: checked before they run

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = self._range
        self.deadline = float("inf")
        self.steps = 0

    def start(self) -> None:
        """The limits begin again for each page."""
        import time

        self.deadline = time.monotonic() + MAX_RENDER_SECONDS
        self.steps = 0

    def check_time(self) -> None:
        import time

        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"took longer than {MAX_RENDER_SECONDS:g} s; stopped (a loop too big?)")

    def _range(self, *args: int) -> Any:
        from jinja2.sandbox import safe_range

        for number in safe_range(*args):
            self.steps += 1
            if self.steps % 4096 == 0:
                if self.steps > MAX_LOOP_STEPS:
                    raise TemplateLimit(f"loops took more than {MAX_LOOP_STEPS:,} steps through range(); stopped")
                self.check_time()
            yield number

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - as Jinja names them
        __self.check_time()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and isinstance(right, int) and isinstance(left, (str, list, tuple)):
            left, right = right, left
        if operator == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)):
            if left * len(right) > MAX_PAGE_BYTES:
                raise TemplateLimit(f"a value of more than {MAX_PAGE_BYTES >> 20} MiB; stopped")
        if operator == "**" and isinstance(right, int) and right > 4096:
            raise TemplateLimit(f"a power too big ({right}); stopped")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath):
            return False
        # Pages read tens of thousands of attributes of vaultkit's own records; the full
        # check (a function? a frame? a generator? a mutable?) made a 10,000-person vault
        # render twice as slowly. Their public attributes are data.
        kind = type(obj)
        own = self._own.get(kind)
        if own is None:
            own = self._own[kind] = is_dataclass(kind) and kind.__module__.startswith("vaultkit.")
        if own and not attr.startswith("_"):
            return True
        return super().is_safe_attribute(obj, attr, value)

    def render_limited(self, template: Template, context: dict[str, Any]) -> str:
        """Render piece by piece, stopping at the size and time limits."""
        self.start()
        parts: list[str] = []
        size = 0
        for number, part in enumerate(template.generate(**context)):
            size += len(part)
            if size > MAX_PAGE_BYTES:
                raise TemplateLimit(f"the page came to more than {MAX_PAGE_BYTES >> 20} MiB; stopped")
            if number % 1024 == 1023:
                self.check_time()
            parts.append(part)
        return "".join(parts)


class VaultLoader(BaseLoader):
    """The vault's own templates: regular files inside its templates folder, and nothing else.

    A symlink (a template or a folder on its way), a `..` or an absolute name in an
    `{% include %}` or `{% extends %}` is refused with a message naming it: a template must
    not be able to put another file of the computer into a page.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        import os

        pieces = split_template_path(template)  # TemplateNotFound for ".." and backslashes
        if not pieces or template.startswith("/"):
            raise TemplateNotFound(template)
        path = self.folder
        for piece in pieces:
            path = path / piece
            try:
                info = os.lstat(path)
            except OSError:
                raise TemplateNotFound(template) from None
            if stat.S_ISLNK(info.st_mode):
                shown = path.relative_to(self.folder.parent).as_posix()
                raise TemplateError(f"{shown} is a symlink; vaultkit reads templates only from regular files in the templates folder")
        if not stat.S_ISREG(info.st_mode):
            raise TemplateNotFound(template)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                source = handle.read(MAX_PAGE_BYTES + 1).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
        mtime = info.st_mtime_ns
        return source, str(path), lambda: _mtime_ns(path) == mtime


def _mtime_ns(path: Path) -> int | None:
    try:
        return path.lstat().st_mtime_ns
    except OSError:
        return None


class Renderer:
    """Renders pages; a page's links are relative to where the page will be written."""

    def __init__(self, settings: Settings, link_style: str | None = None) -> None:
        self.settings = settings
        self.link_style = link_style or settings.link_style  # "plain" for the terminal
        self._escaping = self.link_style != "plain"  # pages are escaped; the terminal shows text as it is
        builtin = FileSystemLoader(str(builtin_templates()))
        overrides = settings.root / settings.templates_dir
        self.overridden = _template_names(overrides)
        # The vault's templates may come from anywhere: they run in the sandbox. vaultkit's own
        # templates are its code, and render about three times faster outside it.
        sandboxed = ChoiceLoader([VaultLoader(overrides), builtin]) if overrides.is_dir() else builtin
        self.env = self._configure(Sandbox(loader=sandboxed, **_OPTIONS))
        # Compiled once and kept in the user's cache folder (template_cache.py); not checked
        # for changes at each use (a build renders one template for 800 pages): they are
        # vaultkit's code, which does not change while it runs either.
        self.trusted = template_cache.attach(
            self._configure(Environment(loader=builtin, auto_reload=False, **_OPTIONS))
        )

    def _configure(self, env: Environment) -> Environment:
        env.finalize = self._finalize
        env.filters.update(
            link=self._link,
            page_link=self._page_link,
            long_date=long_date,
            day_month=day_month,
            short_date=short_date,
            plural=plural,
            span=span,  # `start | span(end)`: as the global, without a call through the context
            one_line=self._one_line,
            hashtags=hashtags,
            reason=self._reason,
            source=self._source,
        )
        env.globals.update(span=span, plural=plural)
        return env

    def _template(self, name: str) -> Template:
        """The vault's version of a template, sandboxed, or else the built-in one."""
        if self.overridden is None or name in self.overridden:
            return self.env.get_template(name)
        return self.trusted.get_template(name)  # from Jinja's cache after the first (auto_reload off)

    def render(self, template: str, page: str, **context: Any) -> str:
        """Render `template` for the page at `page` (relative to the output folder)."""
        return tidy(self._render(template, page=page, settings=self.settings, **context))

    def render_note(self, template: str, **context: Any) -> str:
        """Render a note (not a page): no marker, the template's text and values as they come."""
        self._escaping = False
        try:
            return self._render(template, settings=self.settings, **context)
        finally:
            self._escaping = self.link_style != "plain"

    def _one_line(self, text: str) -> str:
        """One line of note text on a page: no HTML tag starts in it. Its own links
        (`[[Charles Babbage]]`) stay links: the text is the user's own."""
        text = one_line(text)
        if not self._escaping:
            return text
        return Quoted(escape_html(text) if "<" in text else text)

    def _finalize(self, value: Any) -> Any:
        """Every value a page prints: text that is not already a link or quoted note text is
        escaped, so a name like `Bob](https://evil.example)` or `<script>` is shown, never run."""
        if type(value) is str and self._escaping and ("[" in value or "]" in value or "<" in value or "\\" in value):
            return escape_text(value)
        return value

    def _render(self, template: str, **context: Any) -> str:
        """Errors in a template are the template's: file and line, never a traceback."""
        loaded = None
        try:
            loaded = self._template(template)
            if loaded.environment is self.env:
                return self.env.render_limited(loaded, context)
            return loaded.render(**context)
        except TemplateNotFound as exc:
            within = f"{template}: " if exc.name != template else ""
            raise VaultkitError(
                f"template {within}no template {exc.name!r} in {self.settings.templates_dir}/ or vaultkit's own "
                "(an include or extends names a file inside the templates folder)"
            ) from None
        except TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            line = getattr(exc, "lineno", None)
            if isinstance(exc, TemplateLimit) and loaded is not None and loaded.filename:
                where, line = loaded.filename, _template_line(exc, loaded.filename)
            place = f"{where}:{line}" if line else where
            raise VaultkitError(f"template {place}: {exc.message or exc}") from None
        except MemoryError:
            raise VaultkitError(f"template {loaded.filename if loaded else template}: ran out of memory while rendering it; "
                                "stopped (a loop or a value too big?)") from None
        except Exception as exc:
            # `{{ 1/0 }}` in the vault's own override is the user's to fix; in a
            # built-in template it is vaultkit's bug and goes on as one.
            filename = loaded.filename if loaded else None
            overrides = self.settings.root / self.settings.templates_dir
            if not filename or not Path(filename).is_relative_to(overrides):
                raise
            line = _template_line(exc, filename)
            place = f"{filename}:{line}" if line else filename
            raise VaultkitError(f"template {place}: {type(exc).__name__}: {exc}") from None

    def render_text(self, template: str, **context: Any) -> str:
        """Render for the terminal: tidy, but no marker line."""
        return self.render(template, "", **context).split("\n", 1)[1]

    def _rel(self, context: Context, target: str) -> str:
        """A vault-relative path as seen from the page being rendered, URL-quoted."""
        page_dir = posixpath.dirname(posixpath.join(self.settings.output_dir, context["page"]))
        return quote(posixpath.relpath(target, page_dir or "."))

    @pass_context
    def _link(self, context: Context, item: Person | Event | Resource | str, label: str | None = None) -> str:
        if isinstance(item, str):  # a name that resolved to no note
            if self.link_style == "plain":
                return item
            if self.link_style == "wiki" and not WIKI_UNSAFE.search(item):
                return Quoted(f"[[{item}]]")
            return Quoted(escape_text(item))
        stem = _stem(item.path)
        shown = label or item.name
        if self.link_style == "plain":
            return shown
        if self.link_style == "wiki" and not WIKI_UNSAFE.search(stem) and not WIKI_UNSAFE.search(shown):
            return Quoted(f"[[{stem}]]" if shown == stem else f"[[{stem}|{shown}]]")
        # a Markdown link, and in wiki style the one a wiki link cannot hold: label escaped, path quoted
        return Quoted(f"[{escape_text(shown)}]({self._rel(context, item.path)})")

    @pass_context
    def _source(self, context: Context, path: str) -> str:
        """A link to the note a line came from, by its vault-relative path."""
        stem = path[:-3] if path.lower().endswith(".md") else path
        if self.link_style == "markdown":
            return f"[{_stem(path)}]({self._rel(context, path)})"
        return f"[[{stem}]]"  # in the terminal too: Obsidian's quick switcher takes it as it is

    @pass_context
    def _reason(self, context: Context, reason: Any) -> str:
        text = reason_text(reason, lambda item: self._link(context, item))
        if not self._escaping:
            return text
        return Quoted(escape_html(text) if "<" in text else text)  # its note text: no HTML tag

    @pass_context
    def _page_link(self, context: Context, page: str, label: str) -> str:
        """A link to another generated page, `page` relative to the output folder."""
        target = posixpath.join(self.settings.output_dir, page)
        if self.link_style == "plain":
            return label
        stem = posixpath.splitext(target)[0]
        if self.link_style == "wiki" and not WIKI_UNSAFE.search(stem) and not WIKI_UNSAFE.search(label):
            return Quoted(f"[[{stem}|{label}]]")
        return Quoted(f"[{escape_text(label)}]({self._rel(context, target)})")


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The template line an error came from: Jinja maps its frames back to the template file."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_OPTIONS: dict[str, Any] = dict(
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False
)


def _template_names(folder: Path) -> frozenset[str] | None:
    """The names of the templates a vault overrides ('Reminders.md.j2', 'parts/x.j2'); None: unknown."""
    if not folder.is_dir():
        return frozenset()
    try:
        return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    except OSError:
        return None  # cannot list them: sandbox every template


@lru_cache(maxsize=1 << 16)  # one call per link on every page: a big vault renders thousands
def _stem(path: str) -> str:
    base = path.rpartition("/")[2]
    if base.endswith(".md") and base[:-3].strip("."):  # a note: what splitext gives, sooner
        return base[:-3]
    return posixpath.splitext(base)[0]


def tidy(text: str) -> str:
    """Marker first, no trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    if out and out[0] == MARKER:
        out.pop(0)
    return "\n".join([MARKER, *out]) + "\n"
