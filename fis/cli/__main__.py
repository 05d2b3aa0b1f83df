"""`python -m fis.cli` = `fis`."""

from fis.cli.main import run

run()
