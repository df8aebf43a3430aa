"""One module a command, where a command needs more than wiring."""
