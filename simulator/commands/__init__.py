"""Command-line subcommands, one module each, registered by simulator.cli."""
