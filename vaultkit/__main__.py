"""`python -m vaultkit`: the same as the `vaultkit` command."""

from .cli import main

main()
