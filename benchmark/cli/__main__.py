"""``python -m benchmark.cli`` runs the ``bench`` command."""

from benchmark.cli.app import command

command()
