"""Compiled built-in templates, kept between runs so that a build does not compile them again.

Jinja compiles a template to Python code the first time an environment loads it:
for vaultkit's page templates that took about a tenth of a second of every build.
Jinja can keep the compiled code (its "bytecode cache"); vaultkit keeps it, for
its own templates only, in the user's cache folder:

    $XDG_CACHE_HOME/vaultkit/templates-<Jinja version>/   (or ~/.cache/vaultkit/...)

one file per template. The vault's own templates (its templates/ folder) do not
use it: they are rendered in the sandbox, which compiles a template differently,
and they are the vault's, not vaultkit's.

Nothing in it is trusted. Each file starts with a digest of the rest together with
everything the compiled code depends on besides the template's text (the Python,
Jinja and vaultkit versions, the environment's options, the filters and tests and
how each is called); inside, Jinja keeps a checksum of the template's text. A file
that is missing, damaged, from another version or from a template since edited is
ignored and written again; a folder that cannot be made or written is ignored.
Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from vaultkit import __version__

MAGIC = b"vaultkit-template\x00"
DIGEST_SIZE = 32


def cache_folder() -> Path | None:
    """Where compiled templates are kept; None if there is no home to keep them in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: the XDG spec says to ignore it
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "vaultkit" / f"templates-{jinja2.__version__}"


def fingerprint(env: Environment) -> bytes:
    """What compiling a template in `env` depends on, besides the template's text."""

    def kinds(functions: dict) -> list[tuple[str, str]]:  # a filter's calling convention is compiled in
        return sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items())

    options = (
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, env.autoescape, env.is_async, env.sandboxed, env.undefined.__name__,
        sorted(env.extensions), kinds(env.filters), kinds(env.tests),
        repr(getattr(env.finalize, "jinja_pass_arg", None)) if env.finalize else None,
    )  # fmt: skip
    stamp = (sys.version, jinja2.__version__, __version__, options)
    return repr(stamp).encode("utf-8", "surrogateescape")


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache in a folder, each file checked before it is used."""

    def __init__(self, folder: Path, env: Environment) -> None:
        self.folder = folder
        self.stamp = fingerprint(env)

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def _digest(self, payload: bytes) -> bytes:
        return hashlib.blake2b(self.stamp + payload, digest_size=DIGEST_SIZE).digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except (OSError, ValueError):
            return  # not there (the first run), or unreadable: compile
        start = len(MAGIC) + DIGEST_SIZE
        payload = data[start:]
        if data[: len(MAGIC)] != MAGIC or data[len(MAGIC) : start] != self._digest(payload):
            return  # damaged, truncated, or written for another Python, Jinja or vaultkit
        try:
            bucket.bytecode_from_string(payload)  # Jinja's own check: the template's text
        except Exception:  # noqa: BLE001 - whatever a bad file raises, it is only a cache
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        import tempfile  # here: only the first run with a new template writes

        payload = bucket.bytecode_to_string()
        data = MAGIC + self._digest(payload) + payload
        temp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # A temporary file renamed over the old one: a reader sees a whole file, and two
            # builds writing at once each write their own. Not flushed to disk: a file lost in
            # a crash is only compiled again.
            with tempfile.NamedTemporaryFile("wb", dir=self.folder, prefix=".tmp-", delete=False) as out:
                temp = out.name
                out.write(data)
            os.replace(temp, self._path(bucket))
            temp = None
        except OSError:
            pass  # a read-only home, a full disk: build without keeping it
        finally:
            if temp is not None:
                try:
                    os.unlink(temp)
                except OSError:
                    pass


def attach(env: Environment) -> Environment:
    """Give `env` (vaultkit's own templates, outside the sandbox) the cache, if there is a folder for it."""
    folder = cache_folder()
    if folder is not None and not env.sandboxed:
        env.bytecode_cache = TemplateCache(folder, env)
    return env
