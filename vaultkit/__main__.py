"""`python -m vaultkit`: the same as the `vaultkit` command."""

from vaultkit.cli import main

main()
