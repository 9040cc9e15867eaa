"""KlantSim: practise conversations with angry customers."""

# The one place of the version: pyproject.toml reads it, `--version` prints it, the download's zip is named after it.
__version__ = "0.1.0"
